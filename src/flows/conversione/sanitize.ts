import { Worker } from 'node:worker_threads';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFContext, type PDFObject } from '@cantoo/pdf-lib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { sniffContentType, type StoredContentType } from './files.js';

/**
 * Issue 12 F14: an upload is never stored as sent. Images are decoded and re-encoded (only the
 * pixels survive: no trailing bytes, no metadata, no comments); PDFs are parsed and their pages
 * copied into a new document, keeping only what draws the page (no JavaScript, actions, forms,
 * annotations, embedded files, nor bytes outside the object structure). What cannot be read is
 * refused, never stored.
 */
export interface SanitizeLimits {
  /** Largest image accepted, in megapixels (width × height); also bounds the decoder's memory. */
  maxMegapixels: number;
  /** Most pages of a PDF. */
  maxPdfPages: number;
  /** A rewrite that takes longer is stopped and the file refused. */
  timeoutSeconds: number;
}

/** Neither side of an image may exceed this, whatever the megapixels (JPEG's own limit is 65,535). */
export const MAX_IMAGE_SIDE_PX = 16_384;

/** A file as it will be stored: rewritten by `sanitizeUpload`, never the bytes as received. */
export interface CleanFile {
  readonly bytes: Buffer;
  readonly contentType: StoredContentType;
  readonly clean: true;
}

export type SanitizeRefusal = 'type' | 'unreadable' | 'too_large' | 'encrypted';
export type SanitizeResult = { ok: true; file: CleanFile } | { ok: false; reason: SanitizeRefusal };

/**
 * Rewrites an upload in a worker thread, one file at a time per process: decoding a large image
 * takes seconds of CPU, which must not stop the portal's event loop. The thread has a memory
 * ceiling and each file a deadline; a file that exceeds either is refused as too large (and the
 * thread replaced).
 */
export function sanitizeUpload(bytes: Buffer, limits: SanitizeLimits): Promise<SanitizeResult> {
  const run = queue.then(() => inThread(bytes, limits));
  queue = run.catch(() => undefined);
  return run;
}

type ThreadAnswer = { ok: true; bytes: Uint8Array; contentType: StoredContentType } | { ok: false; reason: SanitizeRefusal };

let queue: Promise<unknown> = Promise.resolve();
let thread: Worker | undefined;

/**
 * The thread's entry: compiled (dist/), the thread's own JavaScript; run from the TypeScript
 * sources (the tests), sanitize-thread.mjs, which loads them through tsx.
 */
const THREAD_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './sanitize-thread.mjs' : './sanitize-thread.js', import.meta.url);

function threadFor(limits: SanitizeLimits): Worker {
  if (thread) return thread;
  const worker = new Worker(THREAD_ENTRY, { resourceLimits: { maxOldGenerationSizeMb: limits.maxMegapixels * 24 + 256 } });
  worker.unref();
  worker.on('exit', () => {
    if (thread === worker) thread = undefined;
  });
  thread = worker;
  return worker;
}

function inThread(bytes: Buffer, limits: SanitizeLimits): Promise<SanitizeResult> {
  const worker = threadFor(limits);
  return new Promise((resolve, reject) => {
    const done = (settle: () => void) => {
      clearTimeout(deadline);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      settle();
    };
    const onMessage = (answer: ThreadAnswer) =>
      done(() => resolve(answer.ok ? { ok: true, file: { bytes: Buffer.from(answer.bytes), contentType: answer.contentType, clean: true } } : answer));
    // Out of memory in the thread is the file's size, not the portal's failure.
    const onError = (error: Error & { code?: string }) =>
      done(() => (error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve({ ok: false, reason: 'too_large' }) : reject(error)));
    const onExit = () => done(() => resolve({ ok: false, reason: 'too_large' }));
    const deadline = setTimeout(() => void worker.terminate(), limits.timeoutSeconds * 1000);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ bytes, limits });
  });
}

/** The rewrite itself, run inside the thread (and directly by its unit tests). */
export async function rewriteUpload(bytes: Buffer, limits: SanitizeLimits): Promise<SanitizeResult> {
  const type = sniffContentType(bytes);
  if (!type) return { ok: false, reason: 'type' };
  try {
    if (type === 'image/png') return rewritten(rewritePng(bytes, limits), type);
    if (type === 'image/jpeg') return rewritten(rewriteJpeg(bytes, limits), type);
    return rewritten(await rewritePdf(bytes, limits), type);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    // Any decoder error (truncated, corrupt, unsupported variant) is the file's fault, not ours.
    return { ok: false, reason: 'unreadable' };
  }
}

class Refused extends Error {
  constructor(readonly reason: SanitizeRefusal) {
    super(reason);
  }
}

function rewritten(bytes: Buffer, contentType: StoredContentType): SanitizeResult {
  return { ok: true, file: { bytes, contentType, clean: true } };
}

function checkDimensions(width: number, height: number, limits: SanitizeLimits): void {
  if (!(width > 0 && height > 0)) throw new Refused('unreadable');
  if (width > MAX_IMAGE_SIDE_PX || height > MAX_IMAGE_SIDE_PX || width * height > limits.maxMegapixels * 1_000_000) throw new Refused('too_large');
}

/** PNG: dimensions read from IHDR before anything is inflated (a decompression bomb stops here). */
function rewritePng(bytes: Buffer, limits: SanitizeLimits): Buffer {
  if (bytes.length < 33 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Refused('unreadable');
  checkDimensions(bytes.readUInt32BE(16), bytes.readUInt32BE(20), limits);
  const png = PNG.sync.read(throughIend(bytes));
  checkDimensions(png.width, png.height, limits);
  const out = new PNG({ width: png.width, height: png.height });
  png.data.copy(out.data);
  return PNG.sync.write(out, { colorType: png.alpha ? 6 : 2 });
}

/** The PNG's chunks up to IEND: whatever follows it (an appended page, an archive) is not image. */
function throughIend(bytes: Buffer): Buffer {
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    at += 12 + length;
    if (type === 'IEND') return bytes.subarray(0, at);
  }
  throw new Refused('unreadable');
}

/** JPEG: the decoder refuses more pixels or memory than allowed before it allocates them. */
function rewriteJpeg(bytes: Buffer, limits: SanitizeLimits): Buffer {
  const image = decodeJpeg(bytes, limits);
  checkDimensions(image.width, image.height, limits);
  return jpeg.encode({ width: image.width, height: image.height, data: image.data }, 90).data;
}

function decodeJpeg(bytes: Buffer, limits: SanitizeLimits) {
  try {
    return jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: limits.maxMegapixels,
      // Decoding keeps every component's coefficients beside the RGBA output: about 20 bytes a pixel.
      maxMemoryUsageInMB: Math.ceil(limits.maxMegapixels * 20) + 16,
    });
  } catch (error) {
    throw new Refused(/maxResolutionInMP|maxMemoryUsageInMB/.test(error instanceof Error ? error.message : '') ? 'too_large' : 'unreadable');
  }
}

/** Page entries that draw the page; anything else (Annots, AA, B, PieceInfo, Metadata…) is left behind. */
const PAGE_KEYS = ['Type', 'Resources', 'Contents', 'MediaBox', 'CropBox', 'BleedBox', 'TrimBox', 'ArtBox', 'Rotate', 'UserUnit', 'Group'];
const RESOURCE_KEYS = ['Font', 'XObject', 'ExtGState', 'ColorSpace', 'Pattern', 'Shading', 'Properties', 'ProcSet'];
/** Entries that make a PDF act (scripts, actions, forms, attachments, links out), dropped wherever they are. */
const ACTIVE_KEYS = [
  'JS',
  'JavaScript',
  'OpenAction',
  'AA',
  'A',
  'Names',
  'AcroForm',
  'XFA',
  'EmbeddedFiles',
  'EF',
  'FS',
  'URI',
  'Launch',
  'Annots',
  'RichMediaContent',
  'Collection',
];
const ACTIVE_TYPES = ['EmbeddedFile', 'Filespec', 'Action', 'JavaScript', 'RichMedia'];

/**
 * PDF: the source is parsed; each page, stripped to the entries that draw it, is copied into a new
 * document (a new catalog: no OpenAction, Names, AcroForm, Outlines). copyPages carries every
 * object a copied entry references, so after the copy only the objects reachable from the new
 * catalog are kept, and active entries are dropped from each of them. Saved without object
 * streams, so what is stored can be read (and checked) as it is.
 */
async function rewritePdf(bytes: Buffer, limits: SanitizeLimits): Promise<Buffer> {
  let source: PDFDocument;
  try {
    source = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    throw new Refused(error instanceof Error && error.constructor.name === 'EncryptedPDFError' ? 'encrypted' : 'unreadable');
  }
  if (source.isEncrypted) throw new Refused('encrypted');
  const pages = source.getPages();
  if (pages.length === 0) throw new Refused('unreadable');
  if (pages.length > limits.maxPdfPages) throw new Refused('too_large');
  for (const page of pages) {
    const node = page.node;
    // Inherited entries (Resources, MediaBox, CropBox, Rotate) moved onto the page before Parent goes.
    for (const key of ['Resources', 'MediaBox', 'CropBox', 'Rotate']) {
      const value = node.getInheritableAttribute(PDFName.of(key));
      if (value && !node.get(PDFName.of(key))) node.set(PDFName.of(key), value);
    }
    keepOnly(node, PAGE_KEYS);
    const resources = node.lookupMaybe(PDFName.of('Resources'), PDFDict);
    if (resources) keepOnly(resources, RESOURCE_KEYS);
  }
  const target = await PDFDocument.create({ updateMetadata: false });
  for (const page of await target.copyPages(source, source.getPageIndices())) target.addPage(page);
  keepReachable(target.context);
  const out = Buffer.from(await target.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }));
  // What was stored must itself be a readable PDF with the same pages.
  if ((await PDFDocument.load(out, { updateMetadata: false })).getPageCount() !== pages.length) throw new Refused('unreadable');
  return out;
}

function keepOnly(dict: PDFDict, keys: string[]): void {
  for (const key of dict.keys()) if (!keys.includes(key.decodeText())) dict.delete(key);
}

/** Drops every object the new catalog does not reach, and every active entry of those it does. */
function keepReachable(context: PDFContext): void {
  const reached = new Set<string>();
  const visit = (object: PDFObject | undefined): void => {
    if (object instanceof PDFRef) {
      if (reached.has(object.tag)) return;
      reached.add(object.tag);
      visit(context.lookup(object));
    } else if (object instanceof PDFDict || object instanceof PDFStream) {
      const dict = object instanceof PDFStream ? object.dict : object;
      for (const key of ACTIVE_KEYS) dict.delete(PDFName.of(key));
      for (const key of ['Type', 'S']) {
        const name = dict.get(PDFName.of(key));
        if (name instanceof PDFName && ACTIVE_TYPES.includes(name.decodeText())) throw new Refused('unreadable');
      }
      for (const [, value] of dict.entries()) visit(value);
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) visit(object.get(i));
    }
  };
  visit(context.trailerInfo.Root);
  visit(context.trailerInfo.Info);
  for (const [ref] of context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) context.delete(ref);
}
