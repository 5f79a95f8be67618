import { parentPort } from 'node:worker_threads';
import { rewriteUpload, type SanitizeLimits } from './sanitize.js';

/** The worker thread of `sanitizeUpload`: one file in, its rewrite (or the refusal) out, in turn. */
const port = parentPort;
if (!port) throw new Error('sanitize-thread.ts runs only as the worker thread of sanitizeUpload');

port.on('message', async (input: { bytes: Uint8Array; limits: SanitizeLimits }) => {
  const result = await rewriteUpload(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength), input.limits);
  port.postMessage(result.ok ? { ok: true, bytes: result.file.bytes, contentType: result.file.contentType } : result);
});
