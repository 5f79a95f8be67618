import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STEP1_FIELDS, STEP2_FIELDS } from '../src/flows/richiesta/form.js';
import { Client, useTestApp } from './support/app.js';
import { italianCitizen } from './support/citizens.js';

/** The steps of the PIN request form (R2), each posted to. */
const REQUEST_STEPS = ['/pin/richiesta', '/pin/richiesta/dati', '/pin/richiesta/riepilogo'];

/**
 * Bad input never answers 500 and never leaves a half-written request: random bodies are posted
 * to every route (with a valid CSRF token and a flow at the right step, so the handlers run).
 */

describe('random bodies to every route', () => {
  const t = useTestApp('pglite');

  const counts = async () =>
    Promise.all(
      ['citizens', 'credentials', 'outbox_messages'].map(async (table) =>
        Number(
          (
            await t.db
              .selectFrom(table as 'citizens')
              .select(t.db.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );

  const knownField = fc.constantFrom(
    ...STEP1_FIELDS,
    ...STEP2_FIELDS,
    'azione',
    '_csrf',
    '__proto__',
    'constructor',
    'pin',
    'confirm',
    'current',
    'ritorno',
    'codice',
    'numeroTessera',
    'scadenzaTessera',
    'captcha',
    'captchaId',
    'captchaKind',
    't',
    'tipo',
    'valore',
    'categoria',
    'iban',
    'intestatario',
    'numero',
    'indirizzo',
    'stato',
    'esito',
    'motivo',
    'giornate2019',
    'decl_nonPensionato',
    'decl_operaioAgricoloOtd',
    'figlio1',
    'importo',
    'partitaIva',
    'rapporto',
    'dataCessazione',
  );
  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom(
      'EE',
      'IT',
      'M',
      'F',
      'avanti',
      'aggiorna',
      'conferma',
      'indietro',
      'A562',
      'PI',
      '99/99/9999',
      '01/01/1900',
      'art27',
      'art23',
      'art30',
      'attivo',
      'disattivo',
      'si',
      'IT60X0542811101000000123456',
      '120',
      '600',
      '+393331234567',
    ),
  );
  const body = fc.dictionary(fc.oneof(knownField, fc.string({ maxLength: 12 })), value, { maxKeys: 30 });

  it('POST routes', async () => {
    const before = await counts();
    const c = italianCitizen();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ...REQUEST_STEPS,
          '/lingua/it',
          '/',
          '/dev/mailbox',
          '/accedi',
          '/esci',
          '/accedi/cambio-pin',
          '/pin/ripristino',
          '/pin/ripristino/conferma',
          '/pin/revoca',
          '/pin/revoca/conferma',
          '/pin/revoca/completa',
          '/profilo/cambia',
          '/profilo/recapiti',
          '/profilo/recapiti/verifica',
        ),
        body,
        async (url, form) => {
          const client = new Client(t.app);
          await client.get('/pin/richiesta');
          if (url !== '/pin/richiesta') await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
          const params = new URLSearchParams();
          for (const [k, v] of Object.entries(form)) params.append(k, v);
          params.set('_csrf', client.csrf());
          const res = await client.post(url, Object.fromEntries(params), { csrf: client.csrf() });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    expect(await counts()).toEqual(before);
  });

  it('POST routes behind a session, logged in', async () => {
    const { givenCitizenWithPin } = await import('./support/pins.js');
    const { createPinHasher } = await import('../src/security/hasher.js');
    const hasher = createPinHasher(t.config.argon2);
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    await client.get('/accedi');
    await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' });
    await client.get('/bacheca');
    const csrf = client.csrf();
    // Every POST route of the app (ids replaced by unknown ones), except logging out.
    const posts = [
      ...new Set(
        t.app.routeList
          .filter((r) => r.method === 'POST' && r.url !== '/esci' && !r.url.startsWith('/api/'))
          .map((r) => r.url.replace(/:[a-z]+/g, '00000000-0000-4000-8000-000000000000')),
      ),
    ];
    const applications = async () => (await t.db.selectFrom('covid_applications').select('id').execute()).length;
    const before = await applications();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), body, async (url, form) => {
        const res = await client.post(url, Object.fromEntries(Object.entries(form).filter(([k]) => k !== '_csrf')), { csrf });
        expect(res.statusCode, url).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    expect(await applications()).toBe(before);
    const credential = await t.db.selectFrom('credentials').select('pin_hash').where('id', '=', c.credentialId).executeTakeFirstOrThrow();
    expect(await hasher.verify(credential.pin_hash, 'K7X9M3P4')).toBe(true);
  });

  it('raw payloads of any content type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...REQUEST_STEPS, '/accedi', '/pin/ripristino', '/pin/revoca', '/pin/revoca/completa', '/accedi/cambio-pin'),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'text/plain',
          'multipart/form-data',
          'application/x-www-form-urlencoded; charset=latin1',
        ),
        fc.uint8Array({ maxLength: 2000 }),
        async (url, type, bytes) => {
          const res = await t.app.inject({ method: 'POST', url, payload: Buffer.from(bytes), headers: { 'content-type': type } });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('API bodies of any shape, authenticated', async () => {
    const { addClient } = await import('../src/clients/clients.js');
    const { createSecretBox } = await import('../src/security/secret-box.js');
    const { secret } = await addClient(t.db, createSecretBox(t.config.secretKey), { id: 'prop.client', name: 'p', scopes: ['certificati:write'] });
    const json = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          protocollo: fc.oneof(fc.string(), fc.integer()),
          codiceFiscale: fc.string(),
          tipo: fc.constantFrom('inizio', 'x', ''),
          dataRilascio: fc.string(),
          inizioPrognosi: fc.string(),
          finePrognosi: fc.string(),
          medico: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(json, async (value) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/certificati-malattia',
          payload: JSON.stringify(value) ?? '',
          headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`prop.client:${secret}`).toString('base64')}` },
        });
        expect(res.statusCode).toBeLessThan(500);
        expect(res.statusCode).not.toBe(201);
      }),
      { numRuns: 200 },
    );
  });

  it('GET routes with random query strings and cookies', async () => {
    const gets = [...new Set(t.app.routeList.filter((r) => r.method === 'GET' && !r.url.includes('*')).map((r) => r.url.replace(/:[a-z]+/g, 'x')))];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...gets, '/dev/mailbox/1/attachments/0', '/pin/revoca/controllo/x.png'),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 30 }), { maxKeys: 4 }),
        fc.string({ maxLength: 60 }),
        async (url, query, cookie) => {
          const qs = new URLSearchParams(query).toString();
          const res = await t.app.inject({
            method: 'GET',
            url: `${url}?${qs}`,
            headers: {
              cookie: `varco_richiesta=${encodeURIComponent(cookie)}; varco_lang=${encodeURIComponent(cookie)}; varco_session=${encodeURIComponent(cookie)}; varco_revoca=${encodeURIComponent(cookie)}`,
            },
          });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});
