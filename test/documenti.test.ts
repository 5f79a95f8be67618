import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { depositDocument } from '../src/flows/documenti/routes.js';
import { createPinHasher } from '../src/security/hasher.js';
import { useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { pdfPages } from './support/pdf.js';
import { loggedInCitizen } from './support/pins.js';
import { HTML, aPdf } from './support/uploads.js';
import { auditOf } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const CU = await aPdf('Certificazione Unica 2025');

describe.each(ENGINES)('R18: a dispositive download (the Certificazione Unica) on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  const login = (dispositivo: boolean) => loggedInCitizen(t, hasher, { dispositivo });

  it('an ordinario session is refused with a page that says how to get the level', async () => {
    const { c, client } = await login(false);
    const id = await depositDocument(t.db, t.config.filesDir, c.codiceFiscale, 2025, CU, t.config.uploads);
    const list = await client.get('/documenti');
    expect(list.statusCode).toBe(403);
    expect(list.body).toContain('Livello di autenticazione insufficiente');
    expect(list.body).toContain('Converti il tuo PIN');
    expect((await client.get(`/documenti/${id}.pdf`)).statusCode).toBe(403);
  });

  it("a dispositivo session downloads its own CU, never another citizen's; the download is audited", async () => {
    const a = await login(true);
    const b = await login(true);
    const idA = await depositDocument(t.db, t.config.filesDir, a.c.codiceFiscale, 2025, CU, t.config.uploads);
    expect((await a.client.get('/documenti')).body).toContain('Certificazione Unica 2025');
    const pdf = await t.app.inject({ method: 'GET', url: `/documenti/${idA}.pdf`, headers: { cookie: a.client.cookieHeader() } });
    expect(pdf.statusCode).toBe(200);
    expect((await pdfPages(pdf.rawPayload))[0]).toContain('Certificazione Unica 2025');
    expect(pdf.headers['cache-control']).toBe('no-store');
    // F14: a stored document is a download of its own type, never sniffed nor rendered in the portal's origin.
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="CU-2025.pdf"');
    expect(pdf.headers['content-security-policy']).toMatch(/(^|; )sandbox(;|$)/);
    expect(pdf.headers['content-security-policy']).not.toContain("script-src 'self'");
    expect((await b.client.get(`/documenti/${idA}.pdf`)).statusCode).toBe(404);
    const audit = await auditOf(t.db, { event: 'documento.scaricato' }).select('subject_cf').execute();
    expect(audit.map((e) => e.subject_cf)).toEqual([a.c.codiceFiscale]);
    expect((await a.client.get('/bacheca')).body).toContain('href="/documenti"');
  });

  it('F14: a deposited file is rewritten like an upload: HTML after %%EOF is dropped, a polyglot refused', async () => {
    const { c } = await login(true);
    const id = await depositDocument(t.db, t.config.filesDir, c.codiceFiscale, 2024, Buffer.concat([CU, Buffer.from(HTML)]), t.config.uploads);
    const doc = await t.db
      .selectFrom('citizen_documents')
      .innerJoin('stored_files', 'stored_files.id', 'citizen_documents.file_id')
      .select(['stored_files.path'])
      .where('citizen_documents.id', '=', id)
      .executeTakeFirstOrThrow();
    const stored = readFileSync(path.join(t.config.filesDir, doc.path));
    expect(stored.includes('<script')).toBe(false);
    expect((await pdfPages(stored))[0]).toContain('Certificazione Unica 2025');
    await expect(depositDocument(t.db, t.config.filesDir, c.codiceFiscale, 2023, Buffer.from(`%PDF-1.4\n${HTML}`), t.config.uploads)).rejects.toThrow(
      'not a readable PDF',
    );
  });
});
