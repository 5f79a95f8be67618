import { tableResidenceRegistry } from '../src/adapters/residence.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createOperator } from '../src/backoffice/operatori/service.js';
import { formatRome } from '../src/domain/rome-time.js';
import { issueDueRemoteIssues } from '../src/backoffice/approvazioni/service.js';
import type { OperatorRole } from '../src/db/schema.js';
import { type IdentityDocument, attachFiles, submitRequest } from '../src/flows/conversione/service.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { totpCode } from '../src/security/totp.js';
import { type TestApp, Client, buildTestApp, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { givenCitizenWithPin } from './support/pins.js';
import { draftByService } from './support/conversione-service.js';
import { loginOperator } from './support/operators.js';
import { type FormCitizen, italianCitizen } from './support/citizens.js';
import { pdfPages } from './support/pdf.js';
import { aPdf, aPng, clean } from './support/uploads.js';
import { auditOf, outboxOf } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const PDF = await clean(await aPdf('signed'));
const PNG = await clean(aPng());

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
    const svc = { db: t.db, filesDir: t.config.filesDir, now: () => new Date(), quotaBytes: t.config.uploads.quotaBytes };
    const passport: IdentityDocument = { type: 'passaporto', number: 'YA1234567', authority: 'Questura di Pisa', issued: '2021-02-01', expires: '2031-02-01' };
    const { c, ctx, id } = await draftByService(svc, hasher, passport);
    await attachFiles(svc, id, c.citizenId, { modulo: PDF, documento: PNG }, ctx);
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
    expect(file.rawPayload.equals(PDF.bytes)).toBe(true);
    // F14: a reviewer downloads the file; it is never sniffed nor rendered in the back office's origin.
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${r.module_file_id}.pdf"`);
    expect(file.headers['content-security-policy']).toMatch(/(^|; )sandbox(;|$)/);
    expect(file.headers['cache-control']).toBe('no-store');
    const approved = await op.client.post(`/backoffice/conversioni/${r.id}/approva`, {});
    expect(approved.headers.location).toBe(`/backoffice?approvata=${r.number}`);
    expect((await t.db.selectFrom('credentials').select('dispositivo').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).dispositivo).toBe(true);
    const mail = await outboxOf(t.db, { citizenId: c.citizenId, template: 'conversione.approved' }).select(['template', 'recipient']).execute();
    expect(mail).toEqual([{ template: 'conversione.approved', recipient: 'giuseppe.verdi@example.org' }]);
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: ['conversione.approved', 'operator.viewed_file'] })
      .select(['event', 'actor'])
      .execute();
    expect(audit).toEqual([
      { event: 'operator.viewed_file', actor: `operator:${op.username}` },
      { event: 'conversione.approved', actor: `operator:${op.username}` },
    ]);
    const image = await t.app.inject({ method: 'GET', url: `/backoffice/file/${r.id_file_id}`, headers: { cookie: op.client.cookieHeader() } });
    expect([image.headers['content-type'], image.headers['content-disposition']]).toEqual(['image/png', `attachment; filename="${r.id_file_id}.png"`]);

    const citizen = new Client(t.app);
    await citizen.get('/accedi');
    await citizen.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' });
    expect((await citizen.get('/profilo')).body).toContain('Sei autenticato con PIN Dispositivo');
    expect((await op.client.post(`/backoffice/conversioni/${r.id}/approva`, {}, { csrf: op.client.csrf() })).headers.location).toBe(
      `/backoffice/conversioni/${r.id}`,
    );
  });

  it('issue 13: back-office dates read GG/MM/AAAA and HH:MM in Rome time, never ISO or UTC', async () => {
    const { c, r } = await pendingRequest();
    // 22:30 UTC on 1 July is 00:30 of 2 July in Rome (summer time).
    await t.db
      .updateTable('conversion_requests')
      .set({ submitted_at: new Date('2026-07-01T22:30:00Z') })
      .where('id', '=', r.id)
      .execute();
    const op = await operator('sede');
    const home = (await op.client.get('/backoffice')).body;
    expect(home).toContain('02/07/2026 00:30');
    expect(home).not.toMatch(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/);
    const detail = (await op.client.get(`/backoffice/conversioni/${r.id}`)).body;
    expect(detail).toContain('01/02/2021');
    expect(detail).toContain('01/02/2031');
    expect(detail).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const citizen = (await op.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`)).body;
    const events = await t.db.selectFrom('audit_events').select('occurred_at').where('subject_cf', '=', c.codiceFiscale).execute();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(citizen).toContain(formatRome(new Date(e.occurred_at)));
    expect(citizen).not.toMatch(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/);
  });

  it('a rejection needs a reason, which is emailed', async () => {
    const { c, r } = await pendingRequest();
    const op = await operator('supervisore');
    await op.client.get(`/backoffice/conversioni/${r.id}`);
    const empty = await op.client.post(`/backoffice/conversioni/${r.id}/respingi`, { motivo: '' });
    expect(empty.statusCode).toBe(422);
    const done = await op.client.post(`/backoffice/conversioni/${r.id}/respingi`, { motivo: 'Il documento caricato non è leggibile.' });
    expect(done.headers.location).toBe(`/backoffice?respinta=${r.number}`);
    expect(await t.db.selectFrom('conversion_requests').select(['state', 'reason']).where('id', '=', r.id).executeTakeFirstOrThrow()).toEqual({
      state: 'respinta',
      reason: 'Il documento caricato non è leggibile.',
    });
    expect((await t.db.selectFrom('credentials').select('dispositivo').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).dispositivo).toBe(false);
    const mail = await outboxOf(t.db, { citizenId: c.citizenId, template: 'conversione.rejected' }).select('params').executeTakeFirstOrThrow();
    expect(mail.params).toMatchObject({ reason: 'Il documento caricato non è leggibile.' });
  });

  it('roles: the contact center cannot review nor open files, and sees contacts masked', async () => {
    const { c, r } = await pendingRequest();
    const cc = await operator('contact-center');
    expect((await cc.client.get('/backoffice')).body).not.toContain(r.number);
    expect((await cc.client.get(`/backoffice/conversioni/${r.id}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/backoffice/file/${r.module_file_id}`, headers: { cookie: cc.client.cookieHeader() } })).statusCode).toBe(
      403,
    );
    const masked = await cc.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    expect(masked.body).not.toContain('+393331234567');
    expect(masked.body).toContain('in lavorazione');
    const sede = await operator('sede');
    expect((await sede.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`)).body).toContain('+393331234567');
    const viewed = await auditOf(t.db, { cf: c.codiceFiscale, event: 'operator.viewed_citizen' }).select('actor').execute();
    expect(viewed.map((v) => v.actor)).toEqual([`operator:${cc.username}`, `operator:${sede.username}`]);
  });

  it('login needs password and TOTP; failures lock out as for citizens; a citizen session is no way in', async () => {
    const created = await createOperator(t.db, hasher, box(), { username: `lock${++n}`, displayName: 'X', role: 'sede' });
    const client = new Client(t.app);
    await client.get('/backoffice/accedi');
    expect((await client.post('/backoffice/accedi', { username: `lock${n}`, password: created.password, totp: '000000' })).statusCode).toBe(401);
    expect(
      (await client.post('/backoffice/accedi', { username: `lock${n}`, password: 'wrong', totp: totpCode(created.totpSecret, new Date()) })).statusCode,
    ).toBe(401);
    for (let i = 0; i < 8; i++) await client.post('/backoffice/accedi', { username: `lock${n}`, password: 'wrong', totp: '000000' });
    expect(
      (await client.post('/backoffice/accedi', { username: `lock${n}`, password: created.password, totp: totpCode(created.totpSecret, new Date()) }))
        .statusCode,
    ).toBe(423);

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
    const cred = await t.db
      .selectFrom('credentials')
      .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
      .select(['credentials.channel', 'credentials.dispositivo', 'citizens.id'])
      .where('codice_fiscale', '=', c.codiceFiscale)
      .executeTakeFirstOrThrow();
    expect(cred).toMatchObject({ channel: 'contact-center', dispositivo: false });
    const messages = await outboxOf(t.db, { citizenId: cred.id }).select('channel').orderBy('channel').execute();
    expect(messages.map((m) => m.channel)).toEqual(['email', 'letter', 'sms']);
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'pin.requested' }).select(['actor', 'channel']).executeTakeFirstOrThrow();
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
    const cred = await t.db
      .selectFrom('credentials')
      .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
      .select(['credentials.pin_hash', 'credentials.channel', 'credentials.dispositivo', 'citizens.id'])
      .where('codice_fiscale', '=', c.codiceFiscale)
      .executeTakeFirstOrThrow();
    expect(cred).toMatchObject({ channel: 'sede', dispositivo: true });
    expect(await hasher.verify(cred.pin_hash, m!.slice(1, 5).join(''))).toBe(true);
    expect(await outboxOf(t.db, { citizenId: cred.id }).select('id').execute()).toHaveLength(0);
    expect(JSON.stringify(await t.db.selectFrom('audit_events').selectAll().where('subject_cf', '=', c.codiceFiscale).execute())).not.toContain(
      m!.slice(1, 5).join(''),
    );
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
    expect(cc.lastHtml).toContain('id="bo-revoca-pending"');
    // F7: nothing happens until a supervisore (another operator) approves.
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('active');
    const sup = await operator('supervisore', 'sup.revoca');
    await sup.get('/backoffice/approvazioni');
    const approval = await t.db.selectFrom('operator_approvals').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    await sup.follow(await sup.post(`/backoffice/approvazioni/${approval.id}/approva`, {}));
    expect(sup.lastHtml).toContain('il PIN è stato revocato');
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('revoked');
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'revoca.completed' }).select(['actor', 'details']).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'operator:cc.x', details: { identification: notes, approvedBy: 'operator:sup.revoca' } });
    expect(await outboxOf(t.db, { citizenId: c.citizenId, template: 'revoca.completed' }).select('recipient').execute()).toEqual([
      { recipient: 'giuseppe.verdi@example.org' },
    ]);
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
    const audit = await auditOf(t.db, { event: 'operator.state_changed' }).select('details').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ username: 'sede.z', disabled: true });
    expect((await (await operator('sede', 'sede.w')).client.get('/backoffice/operatori')).statusCode).toBe(403);
  });

  it('a sede records a conversion received by fax: the PIN becomes dispositivo', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const sede = await operator('sede', 'sede.fax');
    await sede.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    const csrf = sede.client.csrf();
    const expired = await sede.client.post(
      '/backoffice/cittadino/conversione',
      { cf: c.codiceFiscale, canale: 'fax', tipo: 'patente', numero: 'PI1234567X', ente: 'MCTC', rilascio: '01/01/2010', scadenza: '01/01/2020' },
      { csrf },
    );
    expect(expired.headers.location).toContain('errore=documento');
    const ok = await sede.client.post(
      '/backoffice/cittadino/conversione',
      { cf: c.codiceFiscale, canale: 'fax', tipo: 'patente', numero: 'PI1234567X', ente: 'MCTC', rilascio: '01/01/2020', scadenza: '01/01/2030' },
      { csrf },
    );
    expect(ok.headers.location).toContain('convertito=1');
    expect((await t.db.selectFrom('credentials').select('dispositivo').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).dispositivo).toBe(true);
    expect(await t.db.selectFrom('conversion_requests').select(['channel', 'state']).where('citizen_id', '=', c.citizenId).execute()).toEqual([
      { channel: 'fax', state: 'approvata' },
    ]);
  });

  it('remote identification: the contact center issues a PIN dispositivo, after a supervisore approved and the delay passed, halves by SMS and letter', async () => {
    const cc = await operator('contact-center', 'cc.video');
    const c = italianCitizen();
    await cc.client.get('/backoffice/richiesta');
    await cc.client.follow(await cc.client.post('/backoffice/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    const csrf = cc.client.csrf();
    const noDoc = await cc.client.post('/backoffice/richiesta/dati', { ...c.form, remoto: 'si', azione: 'avanti' }, { csrf });
    expect(noDoc.statusCode).toBe(422);
    const done = await cc.client.post('/backoffice/richiesta/dati', { ...c.form, remoto: 'si', documentoVisto: 'CA1234567', azione: 'avanti' }, { csrf });
    expect(done.headers.location).toMatch(/^\/backoffice\/richiesta\?approvazione=APP-/);
    const approval = await t.db.selectFrom('operator_approvals').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    const sup = await operator('supervisore', 'sup.video');
    await sup.client.get('/backoffice/approvazioni');
    await sup.client.post(`/backoffice/approvazioni/${approval.id}/approva`, {});
    const later = new Date(Date.now() + (t.config.remoteIssueDelayHours * 60 + 1) * 60_000);
    const deps = {
      db: t.db,
      box: createSecretBox(t.config.secretKey),
      hasher,
      now: () => later,
      publicUrl: t.config.publicUrl,
      remoteIssueDelayHours: t.config.remoteIssueDelayHours,
      residence: { mode: t.config.residenceRegistry, registry: tableResidenceRegistry(t.db) },
    };
    expect(await issueDueRemoteIssues(deps, 'system:worker')).toBe(1);
    const cred = await t.db
      .selectFrom('credentials')
      .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
      .select(['credentials.dispositivo', 'citizens.id'])
      .where('codice_fiscale', '=', c.codiceFiscale)
      .executeTakeFirstOrThrow();
    expect(cred.dispositivo).toBe(true);
    const messages = await outboxOf(t.db, { citizenId: cred.id }).select(['channel', 'template']).orderBy('channel').execute();
    expect(messages).toEqual([
      { channel: 'letter', template: 'pin.secondHalf' },
      { channel: 'sms', template: 'pin.firstHalf' },
    ]);
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'pin.requested' }).select(['actor', 'details']).executeTakeFirstOrThrow();
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
      ['GET', '/backoffice/approvazioni', {}, ['supervisore']],
      ['POST', `/backoffice/approvazioni/${fakeId}/approva`, {}, ['supervisore']],
      ['POST', `/backoffice/approvazioni/${fakeId}/respingi`, {}, ['supervisore']],
      ['POST', '/backoffice/cittadino/recapiti', { cf: c.codiceFiscale }, ['sede']],
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

describe.each(ENGINES)('back office: a TOTP code is accepted once (F4, RFC 6238 §5.2) and blocked attempts are audited (F13) on %s', (engine) => {
  let clock = new Date();
  const t = useTestApp(engine, {}, { hasher, now: () => clock });
  let n = 0;

  async function newOperator() {
    const username = `totp${++n}`;
    const created = await createOperator(t.db, hasher, createSecretBox(t.config.secretKey), { username, displayName: 'X', role: 'sede' });
    const login = async (totp: string) => {
      const client = new Client(t.app);
      await client.get('/backoffice/accedi');
      return client.post('/backoffice/accedi', { username, password: created.password, totp });
    };
    return { username, ...created, login };
  }
  const failures = (username: string) =>
    auditOf(t.db, { event: ['operator.login_failed', 'operator.login_refused_blocked'] })
      .select(['event', 'details'])
      .where(sql<boolean>`details->>'username' = ${username}`)
      .execute();

  it('the same code twice: the second login is refused and audited as a replay', async () => {
    clock = new Date();
    const op = await newOperator();
    const code = totpCode(op.totpSecret, clock);
    expect((await op.login(code)).headers.location).toBe('/backoffice');
    const replay = await op.login(code);
    expect(replay.statusCode).toBe(401);
    expect(replay.headers['set-cookie'] ?? '').not.toContain('varco_operator=');
    expect(await failures(op.username)).toEqual([
      { event: 'operator.login_failed', details: expect.objectContaining({ username: op.username, reason: 'totp_replayed' }) },
    ]);
  });

  it('an older step after a newer one is refused; the next step is accepted', async () => {
    clock = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 10_000);
    const op = await newOperator();
    // The authenticator a step ahead (clock drift), then a code of the current step, then the one before.
    expect((await op.login(totpCode(op.totpSecret, clock, 1))).headers.location).toBe('/backoffice');
    expect((await op.login(totpCode(op.totpSecret, clock))).statusCode).toBe(401);
    expect((await op.login(totpCode(op.totpSecret, clock, -1))).statusCode).toBe(401);
    clock = new Date(clock.getTime() + 60_000);
    expect((await op.login(totpCode(op.totpSecret, clock))).headers.location).toBe('/backoffice');
  });

  it('two concurrent logins with the same code: exactly one succeeds', async () => {
    clock = new Date();
    const op = await newOperator();
    const code = totpCode(op.totpSecret, clock);
    const clients = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const client = new Client(t.app);
        await client.get('/backoffice/accedi');
        return client;
      }),
    );
    const results = await Promise.all(clients.map((c) => c.post('/backoffice/accedi', { username: op.username, password: op.password, totp: code })));
    expect(results.filter((r) => r.statusCode === 303 && r.headers.location === '/backoffice')).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(3);
    expect(await t.db.selectFrom('operator_sessions').select('id_hash').where('operator_id', '=', op.id).execute()).toHaveLength(1);
  });

  it('F13: an attempt refused while the operator is blocked is audited, with the block end', async () => {
    clock = new Date();
    const op = await newOperator();
    for (let i = 0; i < 10; i++) await op.login('000000');
    const blocked = await op.login(totpCode(op.totpSecret, clock));
    expect(blocked.statusCode).toBe(423);
    const trail = await failures(op.username);
    expect(trail.filter((e) => e.event === 'operator.login_failed')).toHaveLength(10);
    expect(trail.at(-2)!.details).toMatchObject({ username: op.username, blockedUntil: expect.any(String) });
    expect(trail.at(-1)).toEqual({
      event: 'operator.login_refused_blocked',
      details: expect.objectContaining({ username: op.username, blockedUntil: expect.any(String) }),
    });
    // The right code, once the block is over, still works (it was never checked while blocked).
    clock = new Date(clock.getTime() + 6 * 60_000);
    expect((await op.login(totpCode(op.totpSecret, clock))).headers.location).toBe('/backoffice');
  });
});

/** F7: the record of a citizen with a live PIN, built from the form data, so the same data can be typed again. */
function givenRecordWithPin(db: TestApp['db'], c: FormCitizen) {
  return givenCitizenWithPin(db, hasher, { pin: 'K7X9M3P4', citizen: c, numeroCivico: '12/B', pec: 'giuseppe.verdi@pec.example.org' });
}

describe.each(ENGINES)('back office: four eyes on revocations and remote PINs dispositivo (F7) on %s', (engine) => {
  let clock = new Date();
  const t = useTestApp(engine, {}, { hasher, now: () => clock });
  let n = 0;
  const operator = (role: OperatorRole) => loginOperator(t, role, `f7.${role}.${++n}`, undefined, clock);
  const box = () => createSecretBox(t.config.secretKey);
  const svc = () => ({
    db: t.db,
    box: box(),
    hasher,
    now: () => clock,
    publicUrl: t.config.publicUrl,
    remoteIssueDelayHours: t.config.remoteIssueDelayHours,
    residence: { mode: t.config.residenceRegistry, registry: tableResidenceRegistry(t.db) },
  });
  const messagesOf = (citizenId: string) =>
    outboxOf(t.db, { citizenId }).select(['channel', 'template', 'recipient']).orderBy('channel').orderBy('template').execute();
  const credentialsOf = (cf: string) =>
    t.db
      .selectFrom('credentials')
      .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
      .select(['credentials.id', 'credentials.state', 'credentials.dispositivo'])
      .where('codice_fiscale', '=', cf)
      .orderBy('credentials.created_at')
      .execute();
  const approvalOf = (cf: string, kind: 'revoca' | 'remote_issue') =>
    t.db
      .selectFrom('operator_approvals')
      .selectAll()
      .where('codice_fiscale', '=', cf)
      .where('kind', '=', kind)
      .orderBy('requested_at', 'desc')
      .executeTakeFirstOrThrow();
  const notes = 'Data e luogo di nascita, ultimo indirizzo di residenza e cellulare confermati.';

  async function revokeAlone(cc: Client, cf: string) {
    await cc.get(`/backoffice/cittadino?cf=${cf}`);
    return cc.follow(await cc.post('/backoffice/cittadino/revoca', { cf, note: notes }));
  }

  async function remoteRequest(cc: Client, c: FormCitizen, typed: Record<string, string>) {
    await cc.get('/backoffice/richiesta');
    await cc.follow(await cc.post('/backoffice/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    return cc.post('/backoffice/richiesta/dati', { ...c.form, ...typed, remoto: 'si', documentoVisto: 'CA1234567', azione: 'avanti' });
  }

  /** The attack of F7, up to the approval of the issuance: returns the stop link the record's contacts received. */
  async function attackApproved(c: FormCitizen) {
    const record = await givenRecordWithPin(t.db, c);
    const cc = await operator('contact-center');
    await revokeAlone(cc.client, c.codiceFiscale);
    const sup = await operator('supervisore');
    await sup.client.get('/backoffice/approvazioni');
    await sup.client.post(`/backoffice/approvazioni/${(await approvalOf(c.codiceFiscale, 'revoca')).id}/approva`, {});
    expect((await remoteRequest(cc.client, c, { cellulare: '347 0000001', email: 'attacker@example.net' })).headers.location).toMatch(
      /^\/backoffice\/richiesta\?approvazione=APP-/,
    );
    await sup.client.get('/backoffice/approvazioni');
    await sup.client.post(`/backoffice/approvazioni/${(await approvalOf(c.codiceFiscale, 'remote_issue')).id}/approva`, {});
    const notice = await outboxOf(t.db, { citizenId: record.citizenId, template: 'remoteIssue.notice' })
      .select(['id', 'secret_ciphertext'])
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    const link = box().open(notice.secret_ciphertext!, notice.id);
    return { record, cc, sup, link };
  }

  it('a contact-center operator alone revokes and issues: nothing happens nor is sent until a supervisore approves', async () => {
    clock = new Date();
    const c = italianCitizen();
    const record = await givenRecordWithPin(t.db, c);
    const cc = await operator('contact-center');
    expect((await revokeAlone(cc.client, c.codiceFiscale)).body).toContain('id="bo-revoca-pending"');
    expect(cc.client.lastHtml).toContain('in attesa di approvazione');
    expect((await credentialsOf(c.codiceFiscale)).map((x) => x.state)).toEqual(['active']);
    expect(await messagesOf(record.citizenId)).toEqual([]);
    // The live PIN still stops a new request (R1): the remote issuance cannot even start.
    await cc.client.get('/backoffice/richiesta');
    expect((await cc.client.post('/backoffice/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' })).statusCode).toBe(409);
    // The contact center cannot approve its own request, nor reach the list.
    const approval = await approvalOf(c.codiceFiscale, 'revoca');
    expect((await cc.client.get('/backoffice/approvazioni')).statusCode).toBe(403);
    await cc.client.get('/backoffice');
    expect((await cc.client.post(`/backoffice/approvazioni/${approval.id}/approva`, {})).statusCode).toBe(403);
    expect((await approvalOf(c.codiceFiscale, 'revoca')).state).toBe('pending');

    const sup = await operator('supervisore');
    const list = await sup.client.get('/backoffice/approvazioni');
    expect(list.body).toContain(approval.number);
    expect(list.body).toContain(notes);
    await sup.client.follow(await sup.client.post(`/backoffice/approvazioni/${approval.id}/approva`, {}));
    expect(sup.client.lastHtml).toContain('il PIN è stato revocato');
    expect((await credentialsOf(c.codiceFiscale)).map((x) => x.state)).toEqual(['revoked']);
    expect(await messagesOf(record.citizenId)).toEqual([{ channel: 'email', template: 'revoca.completed', recipient: 'giuseppe.verdi@example.org' }]);

    // Now the remote issuance: recorded, nothing issued, nothing sent.
    const remote = await remoteRequest(cc.client, c, { cellulare: '347 0000001', email: 'attacker@example.net' });
    expect(remote.headers.location).toMatch(/^\/backoffice\/richiesta\?approvazione=APP-/);
    expect((await cc.client.follow(remote)).body).toContain('in attesa dell&#39;approvazione di un supervisore');
    expect((await credentialsOf(c.codiceFiscale)).map((x) => x.state)).toEqual(['revoked']);
    expect(await messagesOf(record.citizenId)).toHaveLength(1);
    // A second request for the same CF while one is open is refused.
    expect((await remoteRequest(cc.client, c, {})).statusCode).toBe(409);
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: ['approval.requested', 'approval.approved', 'revoca.completed'] })
      .select(['event', 'actor'])
      .execute();
    expect(audit).toEqual([
      { event: 'approval.requested', actor: `operator:${cc.username}` },
      { event: 'approval.approved', actor: `operator:${sup.username}` },
      { event: 'revoca.completed', actor: `operator:${cc.username}` },
      { event: 'approval.requested', actor: `operator:${cc.username}` },
    ]);
  });

  it('the approver must be a different operator: a supervisore cannot approve their own request', async () => {
    clock = new Date();
    const c = italianCitizen();
    await givenRecordWithPin(t.db, c);
    const sup = await operator('supervisore');
    await revokeAlone(sup.client, c.codiceFiscale);
    const approval = await approvalOf(c.codiceFiscale, 'revoca');
    const list = await sup.client.get('/backoffice/approvazioni');
    expect(list.body).toContain('L&#39;hai chiesta tu');
    expect(list.body).not.toContain(`/backoffice/approvazioni/${approval.id}/approva`);
    const own = await sup.client.post(`/backoffice/approvazioni/${approval.id}/approva`, {});
    expect(own.headers.location).toBe('/backoffice/approvazioni?esito=stessa');
    expect((await approvalOf(c.codiceFiscale, 'revoca')).state).toBe('pending');
    expect((await credentialsOf(c.codiceFiscale)).map((x) => x.state)).toEqual(['active']);
    expect(await auditOf(t.db, { cf: c.codiceFiscale, event: 'approval.self_refused' }).select('actor').execute()).toEqual([
      { actor: `operator:${sup.username}` },
    ]);
    // Even past the route, the database refuses it (check constraint).
    await expect(t.db.updateTable('operator_approvals').set({ decided_by: approval.requested_by }).where('id', '=', approval.id).execute()).rejects.toThrow();
    // Another supervisore may reject it, with a reason.
    const other = await operator('supervisore');
    await other.client.get('/backoffice/approvazioni');
    expect((await other.client.post(`/backoffice/approvazioni/${approval.id}/respingi`, { [`motivo-${approval.number}`]: '' })).statusCode).toBe(422);
    const rejected = await other.client.post(
      `/backoffice/approvazioni/${approval.id}/respingi`,
      { [`motivo-${approval.number}`]: 'Identificazione insufficiente.' },
      { csrf: other.client.csrf() },
    );
    expect(rejected.headers.location).toContain('esito=respinta');
    expect(await approvalOf(c.codiceFiscale, 'revoca')).toMatchObject({ state: 'rejected', reason: 'Identificazione insufficiente.' });
    expect((await credentialsOf(c.codiceFiscale)).map((x) => x.state)).toEqual(['active']);
  });

  it('after approval nothing is sent before the delay; the contacts on record are told at once; then the PIN goes out, SMS to the typed cellulare and the second half by letter', async () => {
    clock = new Date();
    const c = italianCitizen();
    const { record } = await attackApproved(c);
    const approvedAt = clock;
    expect(await messagesOf(record.citizenId)).toEqual([
      { channel: 'email', template: 'remoteIssue.notice', recipient: 'giuseppe.verdi@example.org' },
      { channel: 'email', template: 'revoca.completed', recipient: 'giuseppe.verdi@example.org' },
      { channel: 'pec', template: 'remoteIssue.notice', recipient: 'giuseppe.verdi@pec.example.org' },
    ]);
    // 47 hours later: neither the worker's job nor a back-office action issues it.
    clock = new Date(approvedAt.getTime() + 47 * 3_600_000);
    expect(await issueDueRemoteIssues(svc(), 'system:worker')).toBe(0);
    await operator('sede');
    expect((await credentialsOf(c.codiceFiscale)).map((x) => x.state)).toEqual(['revoked']);
    expect((await messagesOf(record.citizenId)).filter((m) => m.template.startsWith('pin.'))).toEqual([]);
    // 48 hours and a minute: the next back-office action issues it.
    clock = new Date(approvedAt.getTime() + 48 * 3_600_000 + 60_000);
    const next = await operator('sede');
    expect(next.client.lastHtml).toContain(next.username);
    const creds = await credentialsOf(c.codiceFiscale);
    expect(creds.map((x) => [x.state, x.dispositivo])).toEqual([
      ['revoked', false],
      ['initial', true],
    ]);
    const pinMessages = await outboxOf(t.db, { template: ['pin.firstHalf', 'pin.secondHalf'], citizenId: record.citizenId })
      .select(['channel', 'template', 'recipient'])
      .orderBy('channel')
      .execute();
    expect(pinMessages.map((m) => [m.channel, m.template])).toEqual([
      ['letter', 'pin.secondHalf'],
      ['sms', 'pin.firstHalf'],
    ]);
    // F1: the record's own email is told a PIN was issued for its codice fiscale (the record is never written).
    expect((await messagesOf(record.citizenId)).filter((m) => m.template === 'pin.requestedNotice').map((m) => m.recipient)).toContain(
      'giuseppe.verdi@example.org',
    );
    expect(pinMessages[1]!.recipient).toBe('+393470000001');
    expect(pinMessages.some((m) => m.recipient.includes('attacker@example.net'))).toBe(false);
    expect(await approvalOf(c.codiceFiscale, 'remote_issue')).toMatchObject({ state: 'done', issued_credential_id: creds[1]!.id, payload_sealed: null });
    // Issued once: the worker finds nothing more.
    expect(await issueDueRemoteIssues(svc(), 'system:worker')).toBe(0);
  });

  it('the stop link stops it: nothing is ever issued, and the link works once', async () => {
    clock = new Date();
    const c = italianCitizen();
    const { record, link } = await attackApproved(c);
    const path = link.replace(t.config.publicUrl, '');
    expect(path).toMatch(/^\/pin\/emissione-remota\/blocca\?t=[\w-]{32}$/);
    const citizen = new Client(t.app);
    // Opening the link (or a mail scanner prefetching it) stops nothing: the form does.
    expect((await citizen.get(path)).body).toContain('BLOCCA L&#39;EMISSIONE');
    expect((await approvalOf(c.codiceFiscale, 'remote_issue')).state).toBe('waiting');
    const token = new URL(link).searchParams.get('t')!;
    const csrf = citizen.csrf();
    const stopped = await citizen.post('/pin/emissione-remota/blocca', { t: token }, { csrf });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.body).toContain('id="stop-done"');
    expect((await citizen.post('/pin/emissione-remota/blocca', { t: token }, { csrf })).statusCode).toBe(410);
    expect((await citizen.get(path)).body).toContain('id="stop-invalid"');
    clock = new Date(clock.getTime() + 49 * 3_600_000);
    expect(await issueDueRemoteIssues(svc(), 'system:worker')).toBe(0);
    await operator('sede');
    expect((await credentialsOf(c.codiceFiscale)).map((x) => x.state)).toEqual(['revoked']);
    expect((await messagesOf(record.citizenId)).filter((m) => m.template.startsWith('pin.'))).toEqual([]);
    expect(await approvalOf(c.codiceFiscale, 'remote_issue')).toMatchObject({ state: 'stopped', payload_sealed: null, stop_token_hmac: null });
    expect(await auditOf(t.db, { cf: c.codiceFiscale, event: 'approval.stopped' }).select('actor').execute()).toEqual([{ actor: 'anonymous' }]);
  });

  it('only a sede that saw an identity document changes contacts (audited, previous contacts told); a contact-center operator never does', async () => {
    clock = new Date();
    const c = italianCitizen();
    const record = await givenRecordWithPin(t.db, c);
    const cc = await operator('contact-center');
    await cc.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    expect(cc.client.lastHtml).not.toContain('/backoffice/cittadino/recapiti');
    const change = {
      cf: c.codiceFiscale,
      nuovoCellulare: '347 0000001',
      nuovaEmail: 'attacker@example.net',
      docTipo: 'carta_identita',
      docNumero: 'CA1234567',
      docVisto: 'si',
    };
    expect((await cc.client.post('/backoffice/cittadino/recapiti', change)).statusCode).toBe(403);
    const sup = await operator('supervisore');
    expect((await sup.client.post('/backoffice/cittadino/recapiti', change)).statusCode).toBe(403);
    const sede = await operator('sede');
    await sede.client.get(`/backoffice/cittadino?cf=${c.codiceFiscale}`);
    const unseen = await sede.client.post('/backoffice/cittadino/recapiti', { ...change, docVisto: '' });
    expect(unseen.statusCode).toBe(422);
    expect(unseen.body).toContain('Conferma di aver identificato il cittadino');
    expect((await sede.client.post('/backoffice/cittadino/recapiti', { ...change, nuovoCellulare: 'abc' })).statusCode).toBe(422);
    expect(await t.db.selectFrom('citizens').select(['cellulare', 'email']).where('id', '=', record.citizenId).executeTakeFirstOrThrow()).toEqual({
      cellulare: '+393331234567',
      email: 'giuseppe.verdi@example.org',
    });
    const done = await sede.client.post('/backoffice/cittadino/recapiti', { ...change, nuovoCellulare: '347 1111111', nuovaEmail: 'g.verdi@example.org' });
    expect(done.headers.location).toBe(`/backoffice/cittadino?cf=${c.codiceFiscale}&recapiti=1`);
    expect(await t.db.selectFrom('citizens').select(['cellulare', 'email', 'pec']).where('id', '=', record.citizenId).executeTakeFirstOrThrow()).toEqual({
      cellulare: '+393471111111',
      email: 'g.verdi@example.org',
      pec: 'giuseppe.verdi@pec.example.org',
    });
    expect(await messagesOf(record.citizenId)).toEqual([
      { channel: 'email', template: 'contact.changedByOperator', recipient: 'giuseppe.verdi@example.org' },
      { channel: 'sms', template: 'contact.changedByOperator', recipient: '+393331234567' },
    ]);
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'operator.contacts_changed' }).select(['actor', 'details']).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor: `operator:${sede.username}`,
      details: { kinds: ['cellulare', 'email'], documentType: 'carta_identita', documentNumber: 'CA1234567' },
    });
    expect(JSON.stringify(audit)).not.toContain('g.verdi@example.org');
  });
});
