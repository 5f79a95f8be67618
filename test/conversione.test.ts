import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStoredFile } from '../src/flows/conversione/files.js';
import { createPinHasher } from '../src/security/hasher.js';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { pdfPages } from './support/pdf.js';
import { givenCitizenWithPin, loggedInCitizen } from './support/pins.js';
import { aPdf, aPng } from './support/uploads.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const PDF = await aPdf('signed module scan');
const PNG = aPng();

function multipart(fields: Record<string, string>, files: Record<string, { name: string; type: string; data: Buffer }>) {
  const boundary = '----varco-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const [k, f] of Object.entries(files)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(ENGINES)('Conversione in PIN dispositivo (R15) on %s', (engine) => {
  const t = useTestApp(engine, { VARCO_UPLOAD_LIMIT_MB: '1' }, { hasher, now: () => new Date('2026-03-10T10:00:00Z') });

  const loggedIn = () => loggedInCitizen(t, hasher);

  async function upload(client: Client, files: Parameters<typeof multipart>[1]) {
    const csrf = client.csrf();
    const { payload, contentType } = multipart({ _csrf: csrf }, files);
    const cookie = client.cookieHeader();
    return t.app.inject({ method: 'POST', url: '/pin/dispositivo/modulo', payload, headers: { 'content-type': contentType, cookie } });
  }

  it('document → pre-filled module → signed scans checked by content → confirm → in lavorazione, shown on the profile', async () => {
    const { c, client } = await loggedIn();
    expect((await client.get('/pin/dispositivo/converti')).body).toContain('Benvenuto nella procedura guidata di conversione del PIN.');
    await client.get('/pin/dispositivo/documento');
    const bad = await client.post('/pin/dispositivo/documento', { tipo: 'patente', numero: 'AB123', ente: 'MCTC', rilascio: '01/01/2027', scadenza: '01/01/2020' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Data di rilascio: non può essere nel futuro.');
    expect(bad.body).toContain('Data di scadenza: il documento è scaduto.');
    const ok = await client.post('/pin/dispositivo/documento', { tipo: 'carta_identita', numero: 'CA12345AB', ente: 'Comune di Pisa', rilascio: '15/01/2020', scadenza: '15/01/2030' });
    expect(ok.headers.location).toBe('/pin/dispositivo/modulo');
    await client.follow(ok);

    const pdf = await t.app.inject({ method: 'GET', url: '/pin/dispositivo/modulo.pdf', headers: { cookie: client.cookieHeader() } });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const [text] = await pdfPages(pdf.rawPayload);
    expect(text).toContain('RICHIESTA DI CONVERSIONE DEL PIN IN PIN DISPOSITIVO');
    expect(text).toContain(c.codiceFiscale);
    expect(text).toContain('CA12345AB');
    expect(text).toMatch(/Richiesta n\. CONV-[0-9A-F]{10}/);

    const renamed = await upload(client, { modulo: { name: 'modulo.pdf', type: 'application/pdf', data: Buffer.from('not a pdf at all') }, documento: { name: 'ci.png', type: 'image/png', data: PNG } });
    expect(renamed.statusCode).toBe(422);
    expect(renamed.body).toContain('Modulo firmato: il file deve essere un PDF, un JPEG o un PNG.');
    const tooBig = await upload(client, { modulo: { name: 'm.pdf', type: 'application/pdf', data: Buffer.concat([PDF, Buffer.alloc(1_100_000)]) }, documento: { name: 'ci.png', type: 'image/png', data: PNG } });
    expect(tooBig.statusCode).toBe(413);
    await client.get('/pin/dispositivo/modulo');
    const good = await upload(client, { modulo: { name: 'scan.jpg', type: 'image/jpeg', data: PDF }, documento: { name: 'ci', type: 'application/octet-stream', data: PNG } });
    expect(good.headers.location).toBe('/pin/dispositivo/conferma');

    const request = await t.db.selectFrom('conversion_requests').selectAll().where('citizen_id', '=', c.citizenId).executeTakeFirstOrThrow();
    const modulo = await readStoredFile(t.db, t.config.filesDir, request.module_file_id!);
    expect(modulo?.contentType).toBe('application/pdf');
    expect((await pdfPages(modulo!.bytes))[0]).toContain('signed module scan');
    const files = await t.db.selectFrom('stored_files').selectAll().where('citizen_id', '=', c.citizenId).execute();
    expect(files.map((f) => f.content_type).sort()).toEqual(['application/pdf', 'image/png']);
    expect(files.every((f) => existsSync(path.join(t.config.filesDir, f.path)) && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);

    expect((await client.get('/pin/dispositivo/conferma')).body).toContain('CA12345AB');
    const done = await client.post('/pin/dispositivo/conferma', {});
    expect(done.body).toContain(`La richiesta di conversione n. ${request.number} è in lavorazione.`);
    expect((await t.db.selectFrom('conversion_requests').select('state').where('id', '=', request.id).executeTakeFirstOrThrow()).state).toBe('in_lavorazione');
    expect((await client.get('/profilo')).body).toContain(`n. ${request.number}: in lavorazione`);
    expect((await client.get('/pin/dispositivo/converti')).body).toContain('Hai già una richiesta di conversione in lavorazione');
    const audit = await t.db.selectFrom('audit_events').select('event').where('subject_cf', '=', c.codiceFiscale).where('event', 'like', 'conversione.%').execute();
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
    await a.client.get('/pin/dispositivo/documento');
    await a.client.post('/pin/dispositivo/documento', { tipo: 'passaporto', numero: 'YA1234567', ente: 'Questura di Roma', rilascio: '01/02/2021', scadenza: '01/02/2031' });
    const b = await loggedIn();
    expect((await b.client.get('/pin/dispositivo/modulo')).headers.location).toBe('/pin/dispositivo/converti');
    expect((await b.client.get('/pin/dispositivo/modulo.pdf')).headers.location).toBe('/pin/dispositivo/converti');
  });
});
