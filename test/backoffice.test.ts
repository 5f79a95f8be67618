import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../src/backoffice/operators.js';
import type { OperatorRole } from '../src/db/schema.js';
import { attachFiles, saveDraft, submitRequest } from '../src/flows/conversione/service.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { totpCode } from '../src/security/totp.js';
import { type TestApp, Client, buildTestApp, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { givenCitizenWithPin } from './support/pins.js';
import { loginOperator } from './support/operators.js';
import { type FormCitizen, italianCitizen } from './support/citizens.js';
import { pdfPages } from './support/pdf.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const PDF = Buffer.from('%PDF-1.4\n% signed\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);

describe.each(ENGINES)('back office: operators and the review of conversions (R15) on %s', (engine) => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await buildTestApp(engine, {}, { hasher });
  });
  afterAll(async () => {
    await t.close();
  });
  const box = () => createSecretBox(t.config.secretKey);

  const operator = (role: OperatorRole) => loginOperator(t, role, `op${++n}-${role}`, `Operatore ${n}`);

  async function pendingRequest() {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const svc = { db: t.db, filesDir: t.config.filesDir, now: () => new Date() };
    const ctx = { actor: `citizen:${c.codiceFiscale}`, cf: c.codiceFiscale };
    const id = await saveDraft(svc, { citizenId: c.citizenId, credentialId: c.credentialId }, { type: 'passaporto', number: 'YA1234567', authority: 'Questura di Pisa', issued: '2021-02-01', expires: '2031-02-01' }, ctx);
    await attachFiles(svc, id, c.citizenId, { modulo: PDF, documento: PNG });
    await submitRequest(svc, id, ctx);
    const r = await t.db.selectFrom('conversion_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { c, r };
  }

  it('a sede operator approves an online conversion: the PIN becomes dispositivo and the citizen is emailed', async () => {
    const { c, r } = await pendingRequest();
    const op = await operator('sede');
    const home = await op.client.get('/backoffice');
    expect(home.body).toContain(r.number);
    expect(home.headers['cache-control']).toBe('no-store');
    const detail = await op.client.get(`/backoffice/conversioni/${r.id}`);
    expect(detail.body).toContain('YA1234567');
    const file = await t.app.inject({ method: 'GET', url: `/backoffice/file/${r.module_file_id}`, headers: { cookie: op.client.cookieHeader() } });
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.equals(PDF)).toBe(true);
    const approved = await op.client.post(`/backoffice/conversioni/${r.id}/approva`, {});
    expect(approved.headers.location).toBe(`/backoffice?approvata=${r.number}`);
    expect((await t.db.selectFrom('credentials').select('dispositivo').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).dispositivo).toBe(true);
    const mail = await t.db.selectFrom('outbox_messages').select(['template', 'recipient']).where('citizen_id', '=', c.citizenId).where('template', '=', 'conversione.approved').execute();
    expect(mail).toEqual([{ template: 'conversione.approved', recipient: 'giuseppe.verdi@example.org' }]);
    const audit = await t.db.selectFrom('audit_events').select(['event', 'actor']).where('subject_cf', '=', c.codiceFiscale).where('event', 'in', ['conversione.approved', 'operator.viewed_file']).execute();
    expect(audit).toEqual([{ event: 'operator.viewed_file', actor: `operator:${op.username}` }, { event: 'conversione.approved', actor: `operator:${op.username}` }]);

    const citizen = new Client(t.app);
    await citizen.get('/accedi');
    await citizen.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' });
    expect((await citizen.get('/profilo')).body).toContain('Sei autenticato con PIN Dispositivo');
    expect((await op.client.post(`/backoffice/conversioni/${r.id}/approva`, {}, { csrf: op.client.csrf() })).headers.location).toBe(`/backoffice/conversioni/${r.id}`);
  });

  it('a rejection needs a reason, which is emailed', async () => {
    const { c, r } = await pendingRequest();
    const op = await operator('supervisore');
    await op.client.get(`/backoffice/conversioni/${r.id}`);
    const empty = await op.client.post(`/backoffice/conversioni/${r.id}/respingi`, { motivo: '' });
    expect(empty.statusCode).toBe(422);
    const done = await op.client.post(`/backoffice/conversioni/${r.id}/respingi`, { motivo: 'Il documento caricato non è leggibile.' });
    expect(done.headers.location).toBe(`/backoffice?respinta=${r.number}`);
    expect((await t.db.selectFrom('conversion_requests').select(['state', 'reason']).where('id', '=', r.id).executeTakeFirstOrThrow())).toEqual({ state: 'respinta', reason: 'Il documento caricato non è leggibile.' });
    expect((await t.db.selectFrom('credentials').select('dispositivo').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).dispositivo).toBe(false);
    const mail = await t.db.selectFrom('outbox_messages').select('params').where('citizen_id', '=', c.citizenId).where('template', '=', 'conversione.rejected').executeTakeFirstOrThrow();
    expect(mail.params).toMatchObject({ reason: 'Il documento caricato non è leggibile.' });
  });

  it('roles: the contact center cannot review nor open files, and sees contacts masked', async () => {
    const { c, r } = await pendingRequest();
    const cc = await operator('contact-center');
    expect((await cc.client.get('/backoffice')).body).not.toContain(r.number);
    expect((await cc.client.get(`/backoffice/conversioni/${r.id}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/backoffice/file/${r.module_file_id}`, headers: { cookie: cc.client.cookieHeader() } })).statusCode).toBe(403);
    const masked = await cc.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    expect(masked.body).not.toContain('+393331234567');
    expect(masked.body).toContain('in lavorazione');
    const sede = await operator('sede');
    expect((await sede.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`)).body).toContain('+393331234567');
    const viewed = await t.db.selectFrom('audit_events').select('actor').where('subject_cf', '=', c.codiceFiscale).where('event', '=', 'operator.viewed_citizen').execute();
    expect(viewed.map((v) => v.actor)).toEqual([`operator:${cc.username}`, `operator:${sede.username}`]);
  });

  it('login needs password and TOTP; failures lock out as for citizens; a citizen session is no way in', async () => {
    const created = await createOperator(t.db, hasher, box(), { username: `lock${++n}`, displayName: 'X', role: 'sede' });
    const client = new Client(t.app);
    await client.get('/backoffice/accedi');
    expect((await client.post('/backoffice/accedi', { username: `lock${n}`, password: created.password, totp: '000000' })).statusCode).toBe(401);
    expect((await client.post('/backoffice/accedi', { username: `lock${n}`, password: 'wrong', totp: totpCode(created.totpSecret, new Date()) })).statusCode).toBe(401);
    for (let i = 0; i < 8; i++) await client.post('/backoffice/accedi', { username: `lock${n}`, password: 'wrong', totp: '000000' });
    expect((await client.post('/backoffice/accedi', { username: `lock${n}`, password: created.password, totp: totpCode(created.totpSecret, new Date()) })).statusCode).toBe(423);

    const citizen = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const cClient = new Client(t.app);
    await cClient.get('/accedi');
    await cClient.post('/accedi', { codiceFiscale: citizen.codiceFiscale, pin: 'K7X9M3P4' });
    expect((await cClient.get('/backoffice')).headers.location).toBe('/backoffice/accedi');
  });
});

describe.each(ENGINES)('back office: PIN requests for citizens (R5, sede) on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  const operator = (role: OperatorRole, username: string) => loginOperator(t, role, username);

  async function start(client: Client, c: FormCitizen) {
    await client.get('/backoffice/richiesta');
    const res = await client.post('/backoffice/richiesta', { codiceFiscale: c.codiceFiscale, residenza: c.residenza });
    expect(res.headers.location).toBe('/backoffice/richiesta/dati');
    await client.follow(res);
  }

  it('the contact center requests a PIN for a caller: channel contact-center, halves by SMS/email and post', async () => {
    const op = await operator('contact-center', 'cc.roma');
    const c = italianCitizen();
    await start(op.client, c);
    const done = await op.client.post('/backoffice/richiesta/dati', { ...c.form, azione: 'avanti' });
    expect(done.headers.location).toMatch(/^\/backoffice\/richiesta\?protocollo=PIN-/);
    const cred = await t.db.selectFrom('credentials').innerJoin('citizens', 'citizens.id', 'credentials.citizen_id').select(['credentials.channel', 'credentials.dispositivo', 'citizens.id']).where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    expect(cred).toMatchObject({ channel: 'contact-center', dispositivo: false });
    const messages = await t.db.selectFrom('outbox_messages').select('channel').where('citizen_id', '=', cred.id).orderBy('channel').execute();
    expect(messages.map((m) => m.channel)).toEqual(['email', 'letter', 'sms']);
    const audit = await t.db.selectFrom('audit_events').select(['actor', 'channel']).where('subject_cf', '=', c.codiceFiscale).where('event', '=', 'pin.requested').executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor: 'operator:cc.roma', channel: 'contact-center' });
    await op.client.get('/backoffice/richiesta');
    expect((await op.client.post('/backoffice/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' })).statusCode).toBe(409);
  });

  it('a sede identifies the citizen and prints the whole PIN, already dispositivo; nothing carries it afterwards', async () => {
    const op = await operator('sede', 'sede.milano');
    const c = italianCitizen();
    await start(op.client, c);
    const csrf = op.client.csrf();
    const missing = await op.client.post('/backoffice/richiesta/dati', { ...c.form, azione: 'avanti' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Conferma di aver identificato il cittadino');
    const res = await op.client.post('/backoffice/richiesta/dati', { ...c.form, identificato: 'si', azione: 'avanti' }, { csrf });
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    const [text] = await pdfPages(res.rawPayload);
    const m = /PIN iniziale \(16 caratteri\):\s*([2-9A-Z]{4}) ([2-9A-Z]{4}) ([2-9A-Z]{4}) ([2-9A-Z]{4})/.exec(text!);
    expect(m).not.toBeNull();
    const cred = await t.db.selectFrom('credentials').innerJoin('citizens', 'citizens.id', 'credentials.citizen_id').select(['credentials.pin_hash', 'credentials.channel', 'credentials.dispositivo', 'citizens.id']).where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    expect(cred).toMatchObject({ channel: 'sede', dispositivo: true });
    expect(await hasher.verify(cred.pin_hash, m!.slice(1, 5).join(''))).toBe(true);
    expect(await t.db.selectFrom('outbox_messages').select('id').where('citizen_id', '=', cred.id).execute()).toHaveLength(0);
    expect(JSON.stringify(await t.db.selectFrom('audit_events').selectAll().where('subject_cf', '=', c.codiceFiscale).execute())).not.toContain(m!.slice(1, 5).join(''));
  });
});

describe.each(ENGINES)('back office: intermediary profile and revoca without tessera on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  const operator = async (role: OperatorRole, username: string) => (await loginOperator(t, role, username)).client;

  it('a supervisore grants the intermediary profile; a sede may not', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const sede = await operator('sede', 'sede.x');
    expect((await sede.post('/backoffice/cittadino/intermediario', { cf: c.codiceFiscale, azione: 'concedi' })).statusCode).toBe(403);
    const sup = await operator('supervisore', 'sup.x');
    await sup.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    await sup.follow(await sup.post('/backoffice/cittadino/intermediario', { cf: c.codiceFiscale, azione: 'concedi' }));
    expect(sup.lastHtml).toContain('id="bo-intermediary"');
    expect((await t.db.selectFrom('citizens').select('intermediario').where('id', '=', c.citizenId).executeTakeFirstOrThrow()).intermediario).toBe(true);
  });

  it('the contact center revokes the PIN of a caller without a tessera, recording the identification', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const cc = await operator('contact-center', 'cc.x');
    await cc.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    const csrf = cc.csrf();
    expect((await cc.post('/backoffice/cittadino/revoca', { cf: c.codiceFiscale, note: 'breve' }, { csrf })).headers.location).toContain('errore=note');
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('active');
    const notes = 'Data e luogo di nascita, ultimo indirizzo di residenza e cellulare confermati.';
    await cc.follow(await cc.post('/backoffice/cittadino/revoca', { cf: c.codiceFiscale, note: notes }, { csrf }));
    expect(cc.lastHtml).toContain('id="bo-revoked"');
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('revoked');
    const audit = await t.db.selectFrom('audit_events').select(['actor', 'details']).where('subject_cf', '=', c.codiceFiscale).where('event', '=', 'revoca.completed').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'operator:cc.x', details: { identification: notes } });
    expect(await t.db.selectFrom('outbox_messages').select('recipient').where('citizen_id', '=', c.citizenId).where('template', '=', 'revoca.completed').execute()).toEqual([{ recipient: 'giuseppe.verdi@example.org' }]);
    const sede = await operator('sede', 'sede.y');
    expect((await sede.post('/backoffice/cittadino/revoca', { cf: c.codiceFiscale, note: notes })).statusCode).toBe(403);
  });
});

describe.each(ENGINES)('back office: operators, fax/counter conversions, remote identification on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  const operator = (role: OperatorRole, username: string) => loginOperator(t, role, username);

  it('a supervisore disables an operator, whose session ends at once', async () => {
    const sede = await operator('sede', 'sede.z');
    const sup = await operator('supervisore', 'sup.z');
    await sup.client.get('/backoffice/operatori');
    await sup.client.post(`/backoffice/operatori/${sede.id}/stato`, { azione: 'disattiva' });
    expect((await sede.client.get('/backoffice')).headers.location).toBe('/backoffice/accedi');
    expect((await sede.client.get('/backoffice/operatori')).headers.location).toBe('/backoffice/accedi');
    const audit = await t.db.selectFrom('audit_events').select('details').where('event', '=', 'operator.state_changed').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ username: 'sede.z', disabled: true });
    expect((await (await operator('sede', 'sede.w')).client.get('/backoffice/operatori')).statusCode).toBe(403);
  });

  it('a sede records a conversion received by fax: the PIN becomes dispositivo', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const sede = await operator('sede', 'sede.fax');
    await sede.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    const csrf = sede.client.csrf();
    const expired = await sede.client.post('/backoffice/cittadino/conversione', { cf: c.codiceFiscale, canale: 'fax', tipo: 'patente', numero: 'PI1234567X', ente: 'MCTC', rilascio: '01/01/2010', scadenza: '01/01/2020' }, { csrf });
    expect(expired.headers.location).toContain('errore=documento');
    const ok = await sede.client.post('/backoffice/cittadino/conversione', { cf: c.codiceFiscale, canale: 'fax', tipo: 'patente', numero: 'PI1234567X', ente: 'MCTC', rilascio: '01/01/2020', scadenza: '01/01/2030' }, { csrf });
    expect(ok.headers.location).toContain('convertito=1');
    expect((await t.db.selectFrom('credentials').select('dispositivo').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).dispositivo).toBe(true);
    expect(await t.db.selectFrom('conversion_requests').select(['channel', 'state']).where('citizen_id', '=', c.citizenId).execute()).toEqual([{ channel: 'fax', state: 'approvata' }]);
  });

  it('remote identification: the contact center issues a PIN dispositivo, halves by SMS and email, no letter', async () => {
    const cc = await operator('contact-center', 'cc.video');
    const c = italianCitizen();
    await cc.client.get('/backoffice/richiesta');
    await cc.client.follow(await cc.client.post('/backoffice/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    const csrf = cc.client.csrf();
    const noDoc = await cc.client.post('/backoffice/richiesta/dati', { ...c.form, remoto: 'si', azione: 'avanti' }, { csrf });
    expect(noDoc.statusCode).toBe(422);
    const done = await cc.client.post('/backoffice/richiesta/dati', { ...c.form, remoto: 'si', documentoVisto: 'CA1234567', azione: 'avanti' }, { csrf });
    expect(done.headers.location).toContain('remoto=1');
    const cred = await t.db.selectFrom('credentials').innerJoin('citizens', 'citizens.id', 'credentials.citizen_id').select(['credentials.dispositivo', 'citizens.id']).where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    expect(cred.dispositivo).toBe(true);
    const messages = await t.db.selectFrom('outbox_messages').select(['channel', 'template']).where('citizen_id', '=', cred.id).orderBy('channel').execute();
    expect(messages).toEqual([{ channel: 'email', template: 'pin.remoteSecond' }, { channel: 'sms', template: 'pin.restoredFirst' }]);
    const audit = await t.db.selectFrom('audit_events').select(['actor', 'details']).where('subject_cf', '=', c.codiceFiscale).where('event', '=', 'pin.requested').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'operator:cc.video', details: { identification: 'video: documento CA1234567' } });
  });
});

describe('back office: what each role may do (allowed and refused)', () => {
  const t = useTestApp('pglite', {}, { hasher });

  it('matches the role table', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const fakeId = '00000000-0000-4000-8000-000000000000';
    // [method, url, body, roles allowed]
    const table: [string, string, Record<string, string>, OperatorRole[]][] = [
      ['GET', '/backoffice', {}, ['contact-center', 'sede', 'supervisore']],
      ['GET', '/backoffice/richiesta', {}, ['contact-center', 'sede', 'supervisore']],
      ['GET', `/backoffice/cittadino?cf=${c.codiceFiscale}`, {}, ['contact-center', 'sede', 'supervisore']],
      ['GET', '/backoffice/operatori', {}, ['supervisore']],
      ['GET', '/backoffice/clienti', {}, ['supervisore']],
      ['GET', '/backoffice/limiti', {}, ['supervisore']],
      ['GET', '/backoffice/domande', {}, ['sede', 'supervisore']],
      ['GET', `/backoffice/domande/${fakeId}`, {}, ['sede', 'supervisore']],
      ['GET', `/backoffice/conversioni/${fakeId}`, {}, ['sede', 'supervisore']],
      ['GET', `/backoffice/file/${fakeId}`, {}, ['sede', 'supervisore']],
      ['POST', '/backoffice/cittadino/intermediario', { cf: c.codiceFiscale, azione: 'togli' }, ['supervisore']],
      ['POST', '/backoffice/cittadino/conversione', { cf: c.codiceFiscale, canale: 'fax' }, ['sede', 'supervisore']],
      ['POST', '/backoffice/cittadino/revoca', { cf: c.codiceFiscale, note: 'x' }, ['contact-center', 'supervisore']],
    ];
    for (const role of ['contact-center', 'sede', 'supervisore'] as const) {
      const { client } = await loginOperator(t, role, `matrix.${role}`);
      const csrf = client.csrf();
      for (const [method, url, body, allowed] of table) {
        const res = method === 'GET' ? await client.get(url) : await client.post(url, body, { csrf });
        const refused = res.statusCode === 403;
        expect(refused, `${role} ${method} ${url}`).toBe(!allowed.includes(role));
      }
    }
  });
});
