import { readFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { sanitizeUpload } from '../src/flows/conversione/sanitize.js';
import { createPinHasher } from '../src/security/hasher.js';
import { type Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { pdfPages } from './support/pdf.js';
import { citizenWithDraft, uploadScans } from './support/conversione.js';
import { HTML, LIMITS, aJpeg, aPdf, aPng, hostilePdf, pdfNames } from './support/uploads.js';
import { auditOf } from './support/rows.js';
import { storedFilesOf } from './support/citizen-rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const ACTIVE = [
  'JavaScript',
  'JS',
  'OpenAction',
  'AA',
  'A',
  'AcroForm',
  'Names',
  'EmbeddedFiles',
  'EmbeddedFile',
  'EF',
  'Filespec',
  'FS',
  'Annots',
  'FileAttachment',
  'Link',
  'Widget',
  'Evil',
];

async function rewritten(bytes: Buffer): Promise<Buffer> {
  const result = await sanitizeUpload(bytes, LIMITS);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.file.bytes;
}

async function refusal(bytes: Buffer): Promise<string | undefined> {
  const result = await sanitizeUpload(bytes, LIMITS);
  return result.ok ? undefined : result.reason;
}

/** Issue 12 F14: what is stored is what a decoder rebuilt, never the bytes as sent. */
describe('F14: uploads are rewritten before they are stored', () => {
  it('a %PDF- header followed by HTML is refused; HTML around a real PDF is dropped and the PDF still reads', async () => {
    expect(await refusal(Buffer.from(`%PDF-1.7\n${HTML}`))).toBe('unreadable');
    const pdf = (await aPdf('Modulo firmato')).toString('latin1');
    // HTML in a comment under the header and after %%EOF: a browser sniffing the file would render it.
    const polyglot = Buffer.from(pdf.replace(/^%PDF-1\.\d\n/, (header) => `${header}%${HTML}\n`) + HTML, 'latin1');
    expect(polyglot.includes('<script>')).toBe(true);
    const stored = await rewritten(polyglot);
    expect(stored.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(stored.includes('<script')).toBe(false);
    expect(stored.includes('<html')).toBe(false);
    expect((await pdfPages(stored))[0]).toContain('Modulo firmato');
  });

  it('a PDF with JavaScript, an OpenAction, embedded files, a scripted form and annotations is stored without any of them', async () => {
    const hostile = await hostilePdf();
    const before = await pdfNames(hostile);
    for (const name of ['JavaScript', 'OpenAction', 'EmbeddedFile', 'AcroForm', 'AA', 'Annots']) expect(before.has(name), name).toBe(true);
    const stored = await rewritten(hostile);
    const after = await pdfNames(stored);
    for (const name of ACTIVE) expect(after.has(name), name).toBe(false);
    // Saved without object streams: the bytes themselves can be read, and hold none of it.
    for (const text of ['/JavaScript', '/JS', '/OpenAction', '/EmbeddedFile', '/AcroForm', '/AA', 'app.alert', '<script', '<html'])
      expect(stored.includes(text), text).toBe(false);
    expect((await pdfPages(stored))[0]).toContain('Documento di identita');
  });

  it('a PNG and a JPEG with HTML after their end are re-encoded: the pixels survive, the HTML does not', async () => {
    const png = aPng(40, 30);
    const storedPng = await rewritten(Buffer.concat([png, Buffer.from(HTML)]));
    expect(storedPng.includes('<script')).toBe(false);
    const decoded = PNG.sync.read(storedPng);
    expect([decoded.width, decoded.height]).toEqual([40, 30]);
    expect(decoded.data.equals(PNG.sync.read(png).data)).toBe(true);

    const storedJpeg = await rewritten(Buffer.concat([aJpeg(40, 30), Buffer.from(HTML)]));
    expect(storedJpeg.includes('<script')).toBe(false);
    expect(jpeg.decode(storedJpeg)).toMatchObject({ width: 40, height: 30 });
  });

  it('truncated, garbage and oversized files are refused with a reason, never stored', async () => {
    const pdf = await aPdf();
    expect(await refusal(pdf.subarray(0, 200))).toBe('unreadable');
    expect(await refusal(aPng().subarray(0, 60))).toBe('unreadable');
    expect(await refusal(aJpeg().subarray(0, 200))).toBe('unreadable');
    expect(await refusal(Buffer.concat([aPng().subarray(0, 8), Buffer.alloc(200, 7)]))).toBe('unreadable');
    expect(await refusal(Buffer.from('<html>not a scan</html>'))).toBe('type');
    // Decompression bombs: headers announcing 400 and 900 megapixels stop before anything is decoded.
    const bombPng = Buffer.from(aPng(16, 16));
    bombPng.writeUInt32BE(20_000, 16);
    bombPng.writeUInt32BE(20_000, 20);
    expect(await refusal(bombPng)).toBe('too_large');
    const bombJpeg = Buffer.from(aJpeg(16, 16));
    const sof = bombJpeg.indexOf(Buffer.from([0xff, 0xc0]));
    bombJpeg.writeUInt16BE(30_000, sof + 5);
    bombJpeg.writeUInt16BE(30_000, sof + 7);
    expect(await refusal(bombJpeg)).toBe('too_large');
  });

  it('a rewrite past its deadline is stopped and refused as too large; the next file gets a new thread', async () => {
    expect(await sanitizeUpload(aJpeg(2000, 2000), { ...LIMITS, timeoutSeconds: 0.001 })).toEqual({ ok: false, reason: 'too_large' });
    expect(await refusal(aJpeg(2000, 2000).subarray(0, 100))).toBe('unreadable');
    expect((await sanitizeUpload(aPng(), LIMITS)).ok).toBe(true);
  });
});

describe.each(ENGINES)('F14: the upload form stores only rewritten files on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher, now: () => new Date('2026-03-10T10:00:00Z') });

  /** Each file posted under its field's name, as a PDF: the sanitizer judges by content, not by the declared type. */
  const upload = (client: Client, files: Record<string, Buffer>) =>
    uploadScans(t, client, Object.fromEntries(Object.entries(files).map(([name, data]) => [name, { name: `${name}.pdf`, type: 'application/pdf', data }])));

  it("a polyglot or a truncated scan is refused with a message in the citizen's language, not a 500; nothing is stored", async () => {
    const { c, client } = await citizenWithDraft(t, hasher);
    const res = await upload(client, { modulo: Buffer.from(`%PDF-1.4\n${HTML}`), documento: aJpeg().subarray(0, 300) });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Modulo firmato: il file non si può leggere');
    expect(res.body).toContain('Documento di identità: il file non si può leggere');
    expect(await storedFilesOf(t.db, c.citizenId).select('id').execute()).toEqual([]);
    const refused = await auditOf(t.db, { event: 'conversione.files_refused', cf: c.codiceFiscale }).select('details').execute();
    expect(refused.map((e) => (e.details as { reason: string }).reason)).toEqual(['unreadable', 'unreadable']);

    await client.get('/lingua/de?next=/pin/dispositivo/modulo');
    await client.get('/pin/dispositivo/modulo');
    const de = await upload(client, { modulo: Buffer.from(`%PDF-1.4\n${HTML}`), documento: aPng() });
    expect(de.statusCode).toBe(422);
    expect(de.body).toContain('Die Datei kann nicht gelesen werden');
  });

  it('a hostile PDF uploaded through the form is stored without its scripts, attachments and trailing HTML', async () => {
    const { c, client } = await citizenWithDraft(t, hasher);
    const res = await upload(client, { modulo: await hostilePdf(), documento: Buffer.concat([aPng(), Buffer.from(HTML)]) });
    expect(res.headers.location).toBe('/pin/dispositivo/conferma');
    const files = await storedFilesOf(t.db, c.citizenId).select(['kind', 'path', 'content_type']).orderBy('kind').execute();
    expect(files.map((f) => [f.kind, f.content_type])).toEqual([
      ['documento_identita', 'image/png'],
      ['modulo_firmato', 'application/pdf'],
    ]);
    for (const f of files) {
      const bytes = readFileSync(path.join(t.config.filesDir, f.path));
      expect(bytes.includes('<script'), f.kind).toBe(false);
      if (f.content_type === 'application/pdf') for (const name of ACTIVE) expect((await pdfNames(bytes)).has(name), name).toBe(false);
    }
  });
});
