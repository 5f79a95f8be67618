import { randomBytes } from 'node:crypto';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFStream, PDFString, StandardFonts } from '@cantoo/pdf-lib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { type CleanFile, type SanitizeLimits, sanitizeUpload } from '../../src/flows/conversione/sanitize.js';

export const LIMITS: SanitizeLimits = { maxMegapixels: 25, maxPdfPages: 50, timeoutSeconds: 60 };

/** A fixture as the portal stores it (for tests that attach files without the upload form). */
export async function clean(bytes: Buffer): Promise<CleanFile> {
  const result = await sanitizeUpload(bytes, LIMITS);
  if (!result.ok) throw new Error(`fixture refused: ${result.reason}`);
  return result.file;
}

/** Upload fixtures built in the test (F14): real files that the sanitizer accepts, and hostile ones. */
export const HTML = '<html><body><script>alert(document.cookie)</script></body></html>';

/** A one-page PDF with a line of text. */
export async function aPdf(text = 'Modulo firmato'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 770, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A PNG of the given size: flat colour, or noise (which does not compress, to fill a quota). */
export function aPng(width = 40, height = 30, noise = false): Buffer {
  const png = new PNG({ width, height });
  if (noise) randomBytes(png.data.length).copy(png.data);
  else png.data.fill(0x80);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 0xff;
  return PNG.sync.write(png, { colorType: 2 });
}

export function aJpeg(width = 40, height = 30): Buffer {
  const data = Buffer.alloc(width * height * 4, 0x60);
  return jpeg.encode({ width, height, data }, 80).data;
}

/**
 * A PDF that acts when opened: an OpenAction and a named JavaScript, an embedded HTML file, an
 * AcroForm with a scripted field, a page AA, a link annotation running JavaScript and a file
 * attachment annotation, and HTML after %%EOF.
 */
export async function hostilePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Documento di identita', { x: 72, y: 770, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  const ctx = doc.context;
  const js = ctx.register(ctx.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert("owned")') }));
  const embedded = ctx.register(ctx.stream(HTML, { Type: 'EmbeddedFile', Subtype: 'text/html' }));
  const filespec = ctx.register(ctx.obj({ Type: 'Filespec', F: PDFString.of('evil.html'), UF: PDFHexString.fromText('evil.html'), EF: { F: embedded } }));
  doc.catalog.set(PDFName.of('OpenAction'), js);
  doc.catalog.set(
    PDFName.of('Names'),
    ctx.obj({
      JavaScript: { Names: [PDFString.of('run'), js] },
      EmbeddedFiles: { Names: [PDFString.of('evil.html'), filespec] },
    }),
  );
  const field = ctx.register(ctx.obj({ FT: 'Tx', T: PDFString.of('campo'), Rect: [0, 0, 10, 10], AA: { K: js }, Subtype: 'Widget', P: page.ref }));
  doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [field] }));
  page.node.set(PDFName.of('AA'), ctx.obj({ O: js }));
  const link = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [72, 760, 300, 790], A: js }));
  const attachment = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'FileAttachment', Rect: [72, 700, 90, 720], FS: filespec }));
  page.node.set(PDFName.of('Annots'), ctx.obj([link, attachment, field]));
  // A resource that is no resource, pointing back at the catalog: copying it would carry everything.
  page.node.Resources()!.set(PDFName.of('Evil'), doc.catalog);
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  return Buffer.concat([bytes, Buffer.from(`\n${HTML}\n`)]);
}

/** Every dictionary key and /Type or /S name of every object of a PDF, as pdf-lib parses it. */
export async function pdfNames(bytes: Buffer): Promise<Set<string>> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const names = new Set<string>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
    if (!dict) continue;
    for (const [key, value] of dict.entries()) {
      names.add(key.decodeText());
      if (value instanceof PDFName) names.add(value.decodeText());
    }
  }
  return names;
}
