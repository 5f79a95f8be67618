import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP1_FIELDS, STEP2_FIELDS } from '../src/flows/richiesta/form.js';
import { type TestApp, Client, buildTestApp } from './support/app.js';
import { italianCitizen } from './support/citizens.js';

/**
 * Bad input never answers 500 and never leaves a half-written request: random bodies are posted
 * to every route (with a valid CSRF token and a flow at the right step, so the handlers run).
 */
describe('random bodies to every route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('pglite');
  });
  afterAll(async () => {
    await t.close();
  });

  const counts = async () => Promise.all(['citizens', 'credentials', 'outbox_messages'].map(async (table) => Number((await t.db.selectFrom(table as 'citizens').select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));

  const knownField = fc.constantFrom(...STEP1_FIELDS, ...STEP2_FIELDS, 'azione', '_csrf', '__proto__', 'constructor');
  const value = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('EE', 'IT', 'M', 'F', 'avanti', 'aggiorna', 'conferma', 'indietro', 'A562', 'PI', '99/99/9999', '01/01/1900'));
  const body = fc.dictionary(fc.oneof(knownField, fc.string({ maxLength: 12 })), value, { maxKeys: 30 });

  it('POST routes', async () => {
    const before = await counts();
    const c = italianCitizen();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/pin/richiesta', '/pin/richiesta/dati', '/pin/richiesta/riepilogo', '/lingua/it', '/', '/dev/mailbox'), body, async (url, form) => {
        const client = new Client(t.app);
        await client.get('/pin/richiesta');
        if (url !== '/pin/richiesta') await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(form)) params.append(k, v);
        params.set('_csrf', client.csrf());
        const res = await client.post(url, Object.fromEntries(params), { csrf: client.csrf() });
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(await counts()).toEqual(before);
  });

  it('raw payloads of any content type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/pin/richiesta', '/pin/richiesta/dati', '/pin/richiesta/riepilogo'),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data', 'application/x-www-form-urlencoded; charset=latin1'),
        fc.uint8Array({ maxLength: 2000 }),
        async (url, type, bytes) => {
          const res = await t.app.inject({ method: 'POST', url, payload: Buffer.from(bytes), headers: { 'content-type': type } });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('GET routes with random query strings and cookies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/', '/accesso', '/pin', '/pin/richiesta', '/pin/richiesta/dati', '/pin/richiesta/riepilogo', '/pin/richiesta/esito', '/api/geo/comuni', '/lingua/de', '/dev/mailbox/1/attachments/0', '/dev/mailbox.json'),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 30 }), { maxKeys: 4 }),
        fc.string({ maxLength: 60 }),
        async (url, query, cookie) => {
          const qs = new URLSearchParams(query).toString();
          const res = await t.app.inject({ method: 'GET', url: `${url}?${qs}`, headers: { cookie: `varco_richiesta=${encodeURIComponent(cookie)}; varco_lang=${encodeURIComponent(cookie)}` } });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});
