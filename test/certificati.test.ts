import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../src/clients/clients.js';
import { createSmtpChannel } from '../src/outbox/channels/smtp.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { type TestApp, buildTestApp } from './support/app.js';
import { computeCf } from '../src/domain/codice-fiscale/index.js';
import { ENGINES } from './support/db.js';
import { pdfPages } from './support/pdf.js';
import { loggedInCitizen } from './support/pins.js';
import { loginOperator } from './support/operators.js';
import { startSmtpSink } from './support/smtp.js';
import { auditOf, outboxOf, secretSentTo } from './support/rows.js';
import { deliverOutbox } from './support/deliver.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const cfOf = (day: number) => computeCf({ cognome: 'Neri', nome: 'Luca', dataNascita: new Date(Date.UTC(1980, 0, day)), sesso: 'M', belfioreNascita: 'G702' });
let protocolSeq = 100_000_000 + Math.floor(Math.random() * 1_000_000);

describe.each(ENGINES)('sickness certificates (R20, seed 000) on %s', (engine) => {
  let t: TestApp;
  let box: ReturnType<typeof createSecretBox>;
  let basic: string;
  beforeAll(async () => {
    t = await buildTestApp(engine, {}, { hasher });
    box = createSecretBox(t.config.secretKey);
    const { secret } = await addClient(t.db, box, { id: 'medici.toscana', name: 'Sistema TS Toscana', scopes: ['certificati:write'] });
    basic = `Basic ${Buffer.from(`medici.toscana:${secret}`).toString('base64')}`;
  });
  afterAll(async () => {
    await t.close();
  });

  const certificate = (cf: string, extra: Record<string, unknown> = {}) => ({
    protocollo: String(protocolSeq++),
    codiceFiscale: cf,
    tipo: 'inizio',
    dataRilascio: '2026-11-20',
    inizioPrognosi: '2026-11-20',
    finePrognosi: '2026-11-27',
    medico: { nome: 'Anna', cognome: 'Bianchi' },
    ...extra,
  });
  const send = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/certificati-malattia',
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { authorization: basic, 'content-type': 'application/json', ...headers },
    });
  const outboxFor = (citizenId: string, template: string) => outboxOf(t.db, { citizenId, template }).select(['id', 'channel', 'recipient', 'params']).execute();

  const codeSentTo = (recipient: string) => secretSentTo(t.db, box, 'certificato.code', recipient);

  it('publishes the OpenAPI document with the very schema the endpoint enforces', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/certificati-malattia'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/Certificato');
    expect(doc.components.schemas.Certificato.required).toEqual([
      'protocollo',
      'codiceFiscale',
      'tipo',
      'dataRilascio',
      'inizioPrognosi',
      'finePrognosi',
      'medico',
    ]);
    // Every field the schema lists is refused when missing, so document and validator cannot drift.
    const c = await loggedInCitizen(t, hasher);
    for (const field of doc.components.schemas.Certificato.required as string[]) {
      const body: Record<string, unknown> = certificate(c.c.codiceFiscale);
      delete body[field];
      const res2 = await send(body);
      expect(res2.statusCode).toBe(400);
      expect(res2.json().errors).toContainEqual({ field, message: 'Campo obbligatorio' });
    }
  });

  it('refuses missing or wrong credentials with 401 and a client without the scope with 403', async () => {
    const body = certificate(cfOf(1));
    expect((await send(body, { authorization: '' })).statusCode).toBe(401);
    const wrong = await send(body, { authorization: `Basic ${Buffer.from('medici.toscana:wrong').toString('base64')}` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().title).toBe('Autenticazione del client richiesta');
    const english = await send(body, { authorization: 'Basic eDp5', 'accept-language': 'en' });
    expect(english.json().title).toBe('Client authentication required');
    await t.db
      .insertInto('clients')
      .values({ id: 'senza.scope', name: 'x', scopes: JSON.stringify([]), secret_fingerprint: box.fingerprint('client:senza.scope:s3cret'), jwks: null })
      .execute();
    expect((await send(body, { authorization: `Basic ${Buffer.from('senza.scope:s3cret').toString('base64')}` })).statusCode).toBe(403);
    expect(await t.db.selectFrom('sick_certificates').select('id').where('protocollo', '=', body.protocollo).execute()).toEqual([]);
    const refusals = await auditOf(t.db, { event: 'client.refused' }).select('details').execute();
    expect(refusals.length).toBeGreaterThanOrEqual(4);
  });

  it('accepts a JWT signed by the client key once; replayed, expired or for another audience it is refused', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    await addClient(t.db, box, {
      id: 'medici.jwt',
      name: 'Sistema firmato',
      scopes: ['certificati:write'],
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] },
    });
    const jwt = (o: { aud?: string; exp?: string; jti?: string } = {}) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer('medici.jwt')
        .setSubject('medici.jwt')
        .setAudience(o.aud ?? `${t.config.publicUrl}/api/v1/certificati-malattia`)
        .setIssuedAt()
        .setExpirationTime(o.exp ?? '2m')
        .setJti(o.jti ?? randomUUID())
        .sign(privateKey);
    const cf = cfOf(2);
    const token = await jwt();
    expect((await send(certificate(cf), { authorization: `Bearer ${token}` })).statusCode).toBe(201);
    expect((await send(certificate(cf), { authorization: `Bearer ${token}` })).statusCode).toBe(401);
    expect((await send(certificate(cf), { authorization: `Bearer ${await jwt({ aud: 'https://elsewhere.example' })}` })).statusCode).toBe(401);
    expect((await send(certificate(cf), { authorization: `Bearer ${await jwt({ exp: '1h' })}` })).statusCode).toBe(401);
    expect((await send(certificate(cf), { authorization: `Bearer ${await jwt({ exp: '-2m' })}` })).statusCode).toBe(401);
    // A JWT whose issuer is not a string, and Basic credentials with a broken escape: 401, never 500.
    const odd = await new SignJWT({ iss: { a: 1 } } as never).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('2m').sign(privateKey);
    expect((await send(certificate(cf), { authorization: `Bearer ${odd}` })).statusCode).toBe(401);
    expect((await send(certificate(cf), { authorization: `Basic ${Buffer.from('medici.jwt%:x%zz').toString('base64')}` })).statusCode).toBe(401);
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('medici.jwt')
      .setSubject('medici.jwt')
      .setAudience(t.config.publicUrl)
      .setExpirationTime('2m')
      .setJti(randomUUID())
      .sign(other.privateKey);
    expect((await send(certificate(cf), { authorization: `Bearer ${forged}` })).statusCode).toBe(401);
  });

  it('a supervisore lists the clients and disables one: its secret stops working at once', async () => {
    const { secret } = await addClient(t.db, box, { id: `ts.disable.${engine}`, name: 'Da disattivare', scopes: ['certificati:write'] });
    const auth = `Basic ${Buffer.from(`ts.disable.${engine}:${secret}`).toString('base64')}`;
    const cf = cfOf(20);
    expect((await send(certificate(cf), { authorization: auth })).statusCode).toBe(201);
    const sup = await loginOperator(t, 'supervisore', `sup.clients.${engine}`);
    const list = await sup.client.get('/backoffice/clienti');
    expect(list.body).toContain(`ts.disable.${engine}`);
    expect(list.body).toContain('Segreto condiviso');
    expect((await sup.client.post(`/backoffice/clienti/ts.disable.${engine}/stato`, { azione: 'disattiva' })).headers.location).toBe('/backoffice/clienti');
    expect((await send(certificate(cf), { authorization: auth })).statusCode).toBe(401);
    await sup.client.get('/backoffice/clienti');
    await sup.client.post(`/backoffice/clienti/ts.disable.${engine}/stato`, { azione: 'riattiva' });
    expect((await send(certificate(cf), { authorization: auth })).statusCode).toBe(201);
    const events = await auditOf(t.db, { event: 'client.state_changed' }).select('details').execute();
    expect(events.map((e) => e.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ clientId: `ts.disable.${engine}`, disabled: true }),
        expect.objectContaining({ clientId: `ts.disable.${engine}`, disabled: false }),
      ]),
    );
    expect((await sup.client.post('/backoffice/clienti/nessuno.tale/stato', { azione: 'disattiva' })).statusCode).toBe(404);
  });

  it('a supervisore removes a client that sent nothing (its tokens go with it), and only disables one that sent certificates', async () => {
    const sup = await loginOperator(t, 'supervisore', `sup.remove.${engine}`);
    const { secret } = await addClient(t.db, box, { id: `ts.remove.${engine}`, name: 'Da rimuovere', scopes: ['certificati:write'] });
    const token = await t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: {
        authorization: `Basic ${Buffer.from(`ts.remove.${engine}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials&scope=certificati%3Awrite',
    });
    const accessToken = token.json<{ access_token: string }>().access_token;
    expect((await send(certificate(cfOf(21)), { authorization: `Bearer ${accessToken}` })).statusCode).toBe(201);
    await sup.client.get('/backoffice/clienti');
    // It sent a certificate: kept, with the reason shown.
    const kept = await sup.client.post(`/backoffice/clienti/ts.remove.${engine}/rimuovi`, {});
    expect(kept.headers.location).toBe(`/backoffice/clienti?nonrimovibile=ts.remove.${engine}`);
    expect((await sup.client.get(String(kept.headers.location))).body).toContain('id="bo-client-kept"');
    // Disabled: the token it holds stops working at once.
    await sup.client.post(`/backoffice/clienti/ts.remove.${engine}/stato`, { azione: 'disattiva' });
    expect((await send(certificate(cfOf(22)), { authorization: `Bearer ${accessToken}` })).statusCode).toBe(401);

    await addClient(t.db, box, { id: `rp.remove.${engine}`, name: 'Servizio', scopes: ['openid'], redirectUris: ['https://rp.example.org/cb'] });
    await sup.client.get('/backoffice/clienti');
    expect((await sup.client.post(`/backoffice/clienti/rp.remove.${engine}/rimuovi`, {})).headers.location).toBe('/backoffice/clienti');
    expect(await t.db.selectFrom('clients').select('id').where('id', '=', `rp.remove.${engine}`).executeTakeFirst()).toBeUndefined();
    expect(await auditOf(t.db, { event: 'client.removed' }).select('details').execute()).toEqual([
      { details: expect.objectContaining({ clientId: `rp.remove.${engine}` }) },
    ]);
  });

  it('answers 400 naming each field at fault, in the caller language, and never 500', async () => {
    const cf = cfOf(3);
    const cases: [unknown, string, string?][] = [
      [certificate(cf, { tipo: 'guarigione' }), 'tipo'],
      [certificate(cf, { extra: 1 }), 'extra'],
      [certificate(cf, { protocollo: 'ABC' }), 'protocollo'],
      [certificate(cf, { dataRilascio: '2026-02-30' }), 'dataRilascio'],
      [certificate(cf, { dataRilascio: '2099-01-01' }), 'dataRilascio', 'La data non può essere nel futuro'],
      [certificate(cf, { finePrognosi: '2026-11-01' }), 'finePrognosi', "La fine della prognosi non può precedere l'inizio"],
      [certificate(`${cf.slice(0, 15)}${cf[15] === 'A' ? 'B' : 'A'}`), 'codiceFiscale'],
      [certificate(cf, { medico: { nome: 'Anna' } }), 'medico.cognome', 'Campo obbligatorio'],
      [certificate(cf, { medico: 'Anna Bianchi' }), 'medico'],
      [certificate(cf, { protocollo: 123456 }), 'protocollo'],
      [certificate(cf, { medico: { nome: 'An\u0000na', cognome: 'Bianchi' } }), 'medico.nome'],
      [certificate(cf, { dataRilascio: '0000-01-01' }), 'dataRilascio'],
    ];
    for (const [body, field, message] of cases) {
      const res = await send(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const fields = res.json().errors as { field: string; message: string }[];
      expect(fields.map((e) => e.field)).toContain(field);
      if (message) expect(fields.find((e) => e.field === field)!.message).toBe(message);
    }
    const german = await send(certificate(cf, { tipo: 'x' }), { 'accept-language': 'de' });
    expect(german.json().title).toBe('Ungültige Anfrage');
    for (const raw of ['{not json', '', '[]', 'null', '"x"']) {
      const res = await send(raw);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await send('<a/>', { 'content-type': 'application/xml' })).statusCode).toBe(415);
    expect((await send(JSON.stringify(certificate(cf)), { 'content-type': 'text/plain' })).statusCode).toBe(415);
    // Without credentials the body is not even read: a malformed one is still 401.
    expect((await send('{not json', { authorization: '' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/nothing' })).statusCode).toBe(404);
  });

  it('R20: a certificate for a worker with the SMS active sends its protocol number, once, even when posted again', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    await client.get('/certificati-malattia/sms');
    // The worker's own cellulare is already verified: saved at once.
    const saved = await client.post('/certificati-malattia/sms', { indirizzo: '333 1234567', stato: 'attivo' });
    expect(saved.headers.location).toBe('/certificati-malattia/sms?aggiornato=1');
    const page = await client.follow(saved);
    expect(page.body).toContain('Numero sms attualmente attivo per l&#39;invio: <strong>+393331234567</strong>');
    const body = certificate(c.codiceFiscale.toLowerCase());
    const [first, ...again] = await Promise.all([send(body), send(body), send(body), send(body)]);
    expect([first!.statusCode, ...again.map((r) => r.statusCode)].sort()).toEqual([200, 200, 200, 201]);
    const rows = await t.db.selectFrom('sick_certificates').select(['codice_fiscale']).where('protocollo', '=', body.protocollo).execute();
    expect(rows).toEqual([{ codice_fiscale: c.codiceFiscale }]);
    const sms = await outboxFor(c.citizenId, 'certificato.sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.recipient).toBe('+393331234567');
    expect(sms[0]!.params).toMatchObject({ protocollo: body.protocollo, inizio: '20/11/2026', fine: '27/11/2026' });
    // The same number with another content is a conflict, and nothing more is sent.
    const conflict = await send({ ...body, finePrognosi: '2026-11-30' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().errors[0].field).toBe('protocollo');
    expect(await outboxFor(c.citizenId, 'certificato.sms')).toHaveLength(1);
  });

  it('issue 13: the SMS field starts from the cellulare on record; sent as it is, it is saved at once', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const onRecord = (await t.db.selectFrom('citizens').select('cellulare').where('id', '=', c.citizenId).executeTakeFirstOrThrow()).cellulare!;
    expect(onRecord).toBe('+393331234567');
    const form = (await client.get('/certificati-malattia/sms')).body;
    const field = /<input[^>]*name="indirizzo"[^>]*>/.exec(form)![0];
    expect(field).toContain(`value="${onRecord}"`);
    // Nothing is active until the worker presses Aggiorna.
    expect(form).toMatch(/id="notice-active">[^<]*<strong>nessuno<\/strong>/);
    const saved = await client.post('/certificati-malattia/sms', { indirizzo: onRecord, stato: 'attivo' });
    expect(saved.headers.location).toBe('/certificati-malattia/sms?aggiornato=1');
    expect((await client.get('/certificati-malattia/sms')).body).toMatch(/id="notice-active">[^<]*<strong>\+393331234567<\/strong>/);
  });

  it('Stato Disattivo stops the SMS; a new number is used only after its code comes back', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    await client.get('/certificati-malattia/sms');
    await client.post('/certificati-malattia/sms', { indirizzo: '+393331234567', stato: 'disattivo' });
    await send(certificate(c.codiceFiscale));
    expect(await outboxFor(c.citizenId, 'certificato.sms')).toHaveLength(0);

    await client.get('/certificati-malattia/sms');
    expect((await client.post('/certificati-malattia/sms', { indirizzo: '06 123456', stato: 'attivo' })).body).toContain('non è un cellulare');
    expect((await client.post('/certificati-malattia/sms', { indirizzo: '347 7654321', stato: 'forse' })).statusCode).toBe(422);
    const asked = await client.post('/certificati-malattia/sms', { indirizzo: '347 7654321', stato: 'attivo' });
    expect(asked.headers.location).toBe('/certificati-malattia/sms/verifica');
    await client.follow(asked);
    // Not active until verified.
    await send(certificate(c.codiceFiscale));
    expect(await outboxFor(c.citizenId, 'certificato.sms')).toHaveLength(0);
    expect((await client.post('/certificati-malattia/sms/verifica', { codice: 'AAAAAAAA' })).statusCode).toBe(422);
    const ok = await client.post('/certificati-malattia/sms/verifica', { codice: await codeSentTo('+393477654321') });
    expect(ok.headers.location).toBe('/certificati-malattia/sms?aggiornato=1');
    const body = certificate(c.codiceFiscale);
    await send(body);
    const sms = await outboxFor(c.citizenId, 'certificato.sms');
    expect(sms.map((m) => m.recipient)).toEqual(['+393477654321']);
    const events = await auditOf(t.db, { cf: c.codiceFiscale, event: 'certificato.avviso%' }).select('event').execute();
    expect(events.map((e) => e.event)).toEqual([
      'certificato.avviso_aggiornato',
      'certificato.avviso_richiesto',
      'certificato.avviso_codice_errato',
      'certificato.avviso_aggiornato',
    ]);
  });

  it('R20: the PEC carries the certificate as PDF, delivered through a real SMTP server', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    await client.get('/certificati-malattia/pec');
    const asked = await client.post('/certificati-malattia/pec', { indirizzo: 'g.verdi@pec.example.it', stato: 'attivo' });
    expect(asked.headers.location).toBe('/certificati-malattia/pec/verifica');
    await client.follow(asked);
    await client.post('/certificati-malattia/pec/verifica', { codice: await codeSentTo('g.verdi@pec.example.it') });
    const body = certificate(c.codiceFiscale, { tipo: 'continuazione' });
    expect((await send(body)).statusCode).toBe(201);
    const sink = await startSmtpSink();
    try {
      const pec = createSmtpChannel({ url: sink.url, from: 'pec@varco.test', messageIdDomain: 'varco.test' });
      await deliverOutbox(t.db, box, { pec });
      const mail = sink.messages.find((m) => m.subject?.includes(body.protocollo));
      expect(mail).toBeDefined();
      expect(mail!.text).toContain('prognosi dal 20/11/2026 al 27/11/2026');
      const pdf = mail!.attachments.find((a) => a.contentType === 'application/pdf');
      const text = (await pdfPages(pdf!.content)).join('\n');
      expect(text).toContain(body.protocollo);
      expect(text).toContain('Continuazione');
      expect(text).toContain(c.codiceFiscale);
    } finally {
      await sink.close();
    }
  });

  it('the worker finds all their certificates or one by number, and never another worker’s', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const mine = [
      certificate(c.codiceFiscale, { dataRilascio: '2026-10-01', inizioPrognosi: '2026-10-01', finePrognosi: '2026-10-03' }),
      certificate(c.codiceFiscale, { tipo: 'ricaduta' }),
    ];
    const other = await loggedInCitizen(t, hasher);
    const theirs = certificate(other.c.codiceFiscale);
    for (const b of [...mine, theirs]) expect((await send(b)).statusCode).toBe(201);
    await client.get('/certificati-malattia');
    const all = await client.post('/certificati-malattia', { numero: '' });
    expect(all.headers['cache-control']).toBe('no-store');
    expect(all.body).toContain('Certificati trovati: 2');
    for (const b of mine) expect(all.body).toContain(b.protocollo);
    expect(all.body).toContain('Ricaduta');
    expect(all.body).not.toContain(theirs.protocollo);
    const one = await client.post('/certificati-malattia', { numero: mine[0]!.protocollo });
    expect(one.body).toContain('Certificati trovati: 1');
    const stranger = await client.post('/certificati-malattia', { numero: theirs.protocollo });
    expect(stranger.body).toContain('Nessun certificato trovato.');
    expect((await client.post('/certificati-malattia', { numero: 'abc' })).statusCode).toBe(422);
  });
});

describe('rate limits on the notice settings and the API', () => {
  it('a fourth Aggiorna in the window is refused, and the API answers 429 as problem details', async () => {
    const t = await buildTestApp('pglite', { VARCO_RATE_LIMIT_REQUESTS: '3' }, { hasher });
    try {
      const { client } = await loggedInCitizen(t, hasher);
      await client.get('/certificati-malattia/sms');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await client.post('/certificati-malattia/sms', { indirizzo: `347 765432${i}`, stato: 'attivo' })).statusCode);
      expect(statuses).toEqual([303, 303, 303, 429]);
      const codes = await outboxOf(t.db, { template: 'certificato.code' }).select('id').execute();
      expect(codes).toHaveLength(3);
      const api = async () =>
        t.app.inject({ method: 'POST', url: '/api/v1/certificati-malattia', payload: '{}', headers: { 'content-type': 'application/json' } });
      for (let i = 0; i < 3; i++) expect((await api()).statusCode).toBe(401);
      const limited = await api();
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json().title).toBe('Troppe richieste: riprovare più tardi');
    } finally {
      await t.close();
    }
  });
});
