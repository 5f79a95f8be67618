import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readStoredFile, storeFile } from '../src/flows/conversione/files.js';
import { eraseExpiredDocuments } from '../src/flows/conversione/retention.js';
import { createWorker } from '../src/outbox/worker.js';
import type { RenderDeps } from '../src/outbox/render.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { createPinHasher } from '../src/security/hasher.js';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { type IdentityDocument, attachFiles as attachFilesFor, decideConversion, submitRequest as submitRequestFor } from '../src/flows/conversione/service.js';
import { pdfPages } from './support/pdf.js';
import { givenCitizenWithPin, loggedInCitizen } from './support/pins.js';
import { aPdf, aPng, clean } from './support/uploads.js';
import { IDENTITY_CARD, PASSPORT, type UploadFile, citizenWithDraft, draftWithDocument, enterDocument, uploadScans } from './support/conversione.js';
import { auditOf } from './support/rows.js';
import { draftByService } from './support/conversione-service.js';
import { storedFilesOf } from './support/citizen-rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const PDF = await aPdf('signed module scan');
const PNG = aPng();

describe.each(ENGINES)('Conversione in PIN dispositivo (R15) on %s', (engine) => {
  const t = useTestApp(engine, { VARCO_UPLOAD_LIMIT_MB: '1' }, { hasher, now: () => new Date('2026-03-10T10:00:00Z') });

  const loggedIn = () => loggedInCitizen(t, hasher);

  const upload = (client: Client, files: Record<string, UploadFile>) => uploadScans(t, client, files);

  it('document → pre-filled module → signed scans checked by content → confirm → in lavorazione, shown on the profile', async () => {
    const { c, client } = await loggedIn();
    expect((await client.get('/pin/dispositivo/converti')).body).toContain('Benvenuto nella procedura guidata di conversione del PIN.');
    const bad = await enterDocument(client, {
      tipo: 'patente',
      numero: 'AB123',
      ente: 'MCTC',
      rilascio: '01/01/2027',
      scadenza: '01/01/2020',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Data di rilascio: non può essere nel futuro.');
    expect(bad.body).toContain('Data di scadenza: il documento è scaduto.');
    const ok = await client.post('/pin/dispositivo/documento', IDENTITY_CARD);
    expect(ok.headers.location).toBe('/pin/dispositivo/modulo');
    await client.follow(ok);

    const pdf = await t.app.inject({ method: 'GET', url: '/pin/dispositivo/modulo.pdf', headers: { cookie: client.cookieHeader() } });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const [text] = await pdfPages(pdf.rawPayload);
    expect(text).toContain('RICHIESTA DI CONVERSIONE DEL PIN IN PIN DISPOSITIVO');
    expect(text).toContain(c.codiceFiscale);
    expect(text).toContain('CA12345AB');
    expect(text).toMatch(/Richiesta n\. CONV-[0-9A-F]{10}/);

    const renamed = await upload(client, {
      modulo: { name: 'modulo.pdf', type: 'application/pdf', data: Buffer.from('not a pdf at all') },
      documento: { name: 'ci.png', type: 'image/png', data: PNG },
    });
    expect(renamed.statusCode).toBe(422);
    expect(renamed.body).toContain('Modulo firmato: il file deve essere un PDF, un JPEG o un PNG.');
    const tooBig = await upload(client, {
      modulo: { name: 'm.pdf', type: 'application/pdf', data: Buffer.concat([PDF, Buffer.alloc(1_100_000)]) },
      documento: { name: 'ci.png', type: 'image/png', data: PNG },
    });
    expect(tooBig.statusCode).toBe(413);
    await client.get('/pin/dispositivo/modulo');
    const good = await upload(client, {
      modulo: { name: 'scan.jpg', type: 'image/jpeg', data: PDF },
      documento: { name: 'ci', type: 'application/octet-stream', data: PNG },
    });
    expect(good.headers.location).toBe('/pin/dispositivo/conferma');

    const request = await t.db.selectFrom('conversion_requests').selectAll().where('citizen_id', '=', c.citizenId).executeTakeFirstOrThrow();
    const modulo = await readStoredFile(t.db, t.config.filesDir, request.module_file_id!);
    expect(modulo?.contentType).toBe('application/pdf');
    expect((await pdfPages(modulo!.bytes))[0]).toContain('signed module scan');
    const files = await storedFilesOf(t.db, c.citizenId).selectAll().execute();
    expect(files.map((f) => f.content_type).sort()).toEqual(['application/pdf', 'image/png']);
    expect(files.every((f) => existsSync(path.join(t.config.filesDir, f.path)) && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);

    expect((await client.get('/pin/dispositivo/conferma')).body).toContain('CA12345AB');
    const done = await client.post('/pin/dispositivo/conferma', {});
    expect(done.body).toContain(`La richiesta di conversione n. ${request.number} è in lavorazione.`);
    expect((await t.db.selectFrom('conversion_requests').select('state').where('id', '=', request.id).executeTakeFirstOrThrow()).state).toBe('in_lavorazione');
    expect((await client.get('/profilo')).body).toContain(`n. ${request.number}: in lavorazione`);
    expect((await client.get('/pin/dispositivo/converti')).body).toContain('Hai già una richiesta di conversione in lavorazione');
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'conversione.%' }).select('event').execute();
    expect(audit.map((a) => a.event)).toEqual(['conversione.started', 'conversione.files_refused', 'conversione.files_attached', 'conversione.submitted']);
  });

  it('a citizen whose PIN is already dispositivo is told so; the public page leads to login', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4', dispositivo: true });
    const client = new Client(t.app);
    await client.get('/accedi');
    await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' });
    expect((await client.get('/pin/dispositivo/converti')).body).toContain('Il tuo PIN è già dispositivo.');
    const anonymous = new Client(t.app);
    expect((await anonymous.get('/pin/dispositivo')).body).toContain('CONVERTI IL PIN');
    expect((await anonymous.get('/pin/dispositivo/converti')).headers.location).toBe('/accedi?richiesto=1&ritorno=%2Fpin%2Fdispositivo%2Fconverti');
  });

  it("one citizen never reaches another citizen's draft or files", async () => {
    const a = await loggedIn();
    await enterDocument(a.client, PASSPORT);
    const b = await loggedIn();
    expect((await b.client.get('/pin/dispositivo/modulo')).headers.location).toBe('/pin/dispositivo/converti');
    expect((await b.client.get('/pin/dispositivo/modulo.pdf')).headers.location).toBe('/pin/dispositivo/converti');
  });
});

const NOW = new Date('2026-03-10T10:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

/** Issue 12 F5: upload storage is bounded (replacement, quota, rate limit) and erased on a schedule. */
describe.each(ENGINES)('F5: bounded upload storage on %s', (engine) => {
  const t = useTestApp(engine, { VARCO_UPLOAD_LIMIT_MB: '1', VARCO_UPLOAD_QUOTA_MB: '1' }, { hasher, now: () => NOW });

  const upload = (client: Client, files: Record<string, UploadFile>) => uploadScans(t, client, files);

  const onDisk = (citizenId: string) => (existsSync(path.join(t.config.filesDir, citizenId)) ? readdirSync(path.join(t.config.filesDir, citizenId)) : []);
  const rows = (citizenId: string) => storedFilesOf(t.db, citizenId).selectAll().execute();
  const erasures = (cf: string) => auditOf(t.db, { event: 'documenti.erased', cf }).select(['actor', 'details']).execute();

  it("re-uploading the draft's documents ten times leaves exactly one set of files, on disk and in the table", async () => {
    const { c, client } = await citizenWithDraft(t, hasher);
    for (let i = 0; i < 10; i++) {
      const res = await upload(client, {
        modulo: { name: 'm.pdf', type: 'application/pdf', data: PDF },
        documento: { name: 'ci.png', type: 'image/png', data: aPng(50 + i, 40) },
      });
      expect(res.headers.location).toBe('/pin/dispositivo/conferma');
      await client.get('/pin/dispositivo/modulo');
    }
    const stored = await rows(c.citizenId);
    expect(stored).toHaveLength(2);
    expect(onDisk(c.citizenId).sort()).toEqual(stored.map((f) => path.basename(f.path)).sort());
    const request = await t.db.selectFrom('conversion_requests').selectAll().where('citizen_id', '=', c.citizenId).executeTakeFirstOrThrow();
    expect([request.module_file_id, request.id_file_id].sort()).toEqual(stored.map((f) => f.id).sort());
    const attached = await auditOf(t.db, { event: 'conversione.files_attached', cf: c.codiceFiscale }).select('details').execute();
    expect(attached.map((a) => (a.details as { replaced: number }).replaced)).toEqual([0, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  });

  it('past VARCO_UPLOAD_QUOTA_MB an upload is refused with a clear message, and nothing is stored', async () => {
    const { c, client } = await citizenWithDraft(t, hasher);
    // Noise does not compress: two rewritten scans of ~0.4 MB each.
    const scans = () => ({
      modulo: { name: 'm.png', type: 'image/png', data: aPng(360, 360, true) },
      documento: { name: 'ci.png', type: 'image/png', data: aPng(360, 360, true) },
    });
    expect((await upload(client, scans())).headers.location).toBe('/pin/dispositivo/conferma');
    await client.get('/pin/dispositivo/modulo');
    // Replacing the draft's files stays within the quota: the earlier ones do not count.
    expect((await upload(client, scans())).headers.location).toBe('/pin/dispositivo/conferma');
    await client.get('/pin/dispositivo/conferma');
    await client.post('/pin/dispositivo/conferma', {});
    const first = await t.db.selectFrom('conversion_requests').select('id').where('citizen_id', '=', c.citizenId).executeTakeFirstOrThrow();
    await decideConversion(
      { db: t.db, box: createSecretBox(t.config.secretKey), now: () => NOW },
      first.id,
      { approve: false, reason: 'Documento illeggibile.' },
      { actor: 'operator:test' },
    );
    // A new request: the rejected one's documents are still kept (30 days), so the quota is reached.
    const again = await draftWithDocument(client, { ...PASSPORT, ente: 'Questura di Pisa' });
    const refused = await upload(again, scans());
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Modulo firmato: hai raggiunto lo spazio disponibile per i tuoi documenti (1 MB).');
    expect(await rows(c.citizenId)).toHaveLength(2);
    expect(onDisk(c.citizenId)).toHaveLength(2);
    const audit = await auditOf(t.db, { event: 'conversione.files_refused', cf: c.codiceFiscale }).select('details').execute();
    expect(audit.map((a) => (a.details as { reason: string }).reason)).toEqual(['quota']);
  });

  it('retention (injected clock): abandoned drafts, rejected and, after the evidence period, approved requests lose their files; audited', async () => {
    const box = createSecretBox(t.config.secretKey);
    const svc = { db: t.db, filesDir: t.config.filesDir, now: () => NOW, quotaBytes: t.config.uploads.quotaBytes };
    const files = { modulo: await clean(PDF), documento: await clean(PNG) };
    async function request(state: 'bozza' | 'in_lavorazione' | 'respinta' | 'approvata') {
      const licence: IdentityDocument = { type: 'patente', number: 'PI1234567X', authority: 'MCTC Pisa', issued: '2019-05-01', expires: '2029-05-01' };
      const { c, ctx, id } = await draftByService(svc, hasher, licence);
      expect(await attachFilesFor(svc, id, c.citizenId, files, ctx)).toEqual({ ok: true });
      if (state !== 'bozza') await submitRequestFor(svc, id, ctx);
      if (state === 'respinta') await decideConversion({ db: t.db, box, now: () => NOW }, id, { approve: false, reason: 'x' }, { actor: 'operator:test' });
      if (state === 'approvata') await decideConversion({ db: t.db, box, now: () => NOW }, id, { approve: true }, { actor: 'operator:test' });
      return { c, id };
    }
    const draft = await request('bozza');
    const queued = await request('in_lavorazione');
    const rejected = await request('respinta');
    const approved = await request('approvata');
    const orphanOwner = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const orphan = await storeFile(t.db, t.config.filesDir, orphanOwner.citizenId, 'documento_identita', files.documento);
    // Written half a day before the first run below: it may still be in an upload's transaction.
    await t.db
      .updateTable('stored_files')
      .set({ created_at: days(28.5) })
      .where('id', '=', orphan)
      .execute();
    const policy = t.config.documentRetention;
    expect(policy).toEqual({ days: 30, evidenceYears: 10 });
    const deps = (now: Date) => ({ db: t.db, filesDir: t.config.filesDir, now: () => now });
    const state = (id: string) =>
      t.db.selectFrom('conversion_requests').select(['state', 'module_file_id', 'id_file_id', 'files_erased_at']).where('id', '=', id).executeTakeFirst();

    await eraseExpiredDocuments(deps(days(29)), policy);
    for (const r of [draft, queued, rejected, approved]) expect(onDisk(r.c.citizenId)).toHaveLength(2);
    expect(onDisk(orphanOwner.citizenId)).toHaveLength(1);

    await eraseExpiredDocuments(deps(days(31)), policy);
    expect(await state(draft.id)).toBeUndefined();
    expect(await rows(draft.c.citizenId)).toEqual([]);
    expect(onDisk(draft.c.citizenId)).toEqual([]);
    expect(await state(rejected.id)).toEqual({ state: 'respinta', module_file_id: null, id_file_id: null, files_erased_at: days(31) });
    expect(await rows(rejected.c.citizenId)).toEqual([]);
    expect(onDisk(rejected.c.citizenId)).toEqual([]);
    expect(await rows(orphanOwner.citizenId)).toEqual([]);
    expect(onDisk(orphanOwner.citizenId)).toEqual([]);
    for (const kept of [queued, approved]) {
      expect(await rows(kept.c.citizenId)).toHaveLength(2);
      expect(onDisk(kept.c.citizenId)).toHaveLength(2);
    }
    expect((await erasures(draft.c.codiceFiscale)).map((e) => e.details)).toEqual([expect.objectContaining({ reason: 'bozza_abbandonata', files: 2 })]);
    expect((await erasures(rejected.c.codiceFiscale)).map((e) => e.details)).toEqual([expect.objectContaining({ reason: 'respinta', files: 2 })]);
    expect((await erasures(orphanOwner.codiceFiscale)).map((e) => e.details)).toEqual([{ number: null, reason: 'orfano', files: 1 }]);
    expect((await erasures(draft.c.codiceFiscale))[0]!.actor).toBe('system:retention');

    // An approved request's documents are the evidence of the identification for ten years.
    await eraseExpiredDocuments(deps(new Date('2036-03-09T10:00:00Z')), policy);
    expect(onDisk(approved.c.citizenId)).toHaveLength(2);
    await eraseExpiredDocuments(deps(new Date('2036-03-11T10:00:00Z')), policy);
    expect(onDisk(approved.c.citizenId)).toEqual([]);
    expect((await state(approved.id))?.state).toBe('approvata');
    expect((await erasures(approved.c.codiceFiscale)).map((e) => e.details)).toEqual([expect.objectContaining({ reason: 'approvata', files: 2 })]);
    // The operators' queue is never touched.
    expect(onDisk(queued.c.citizenId)).toHaveLength(2);
  });

  it('the worker runs the retention job', async () => {
    const documentRetention = vi.fn(async () => undefined);
    const worker = createWorker({
      db: t.db,
      box: createSecretBox(t.config.secretKey),
      channels: {},
      render: {} as RenderDeps,
      batchSize: 1,
      pollIntervalMs: 10,
      maxAttempts: 1,
      leaseSeconds: 1,
      documentRetention,
    });
    worker.start();
    await vi.waitFor(() => expect(documentRetention).toHaveBeenCalledTimes(1), { timeout: 30_000 });
    await worker.stop();
  });
});

describe.each(ENGINES)('F5: uploads have their own rate limit on %s', (engine) => {
  const t = useTestApp(engine, { VARCO_RATE_LIMIT_REQUESTS: '10' }, { hasher, now: () => NOW });

  it("past a fifth of the pages' limit per window, an upload is refused before its body is read", async () => {
    const { client } = await citizenWithDraft(t, hasher);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await uploadScans(t, client, {
        modulo: { name: 'm.pdf', type: 'application/pdf', data: PDF },
        documento: { name: 'ci.png', type: 'image/png', data: PNG },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([303, 303, 429, 429]);
    const limited = await auditOf(t.db, { event: 'ratelimit.exceeded' }).select('details').execute();
    expect(limited.map((e) => e.details)).toContainEqual(expect.objectContaining({ key: 'upload', limit: 2 }));
  });
});
