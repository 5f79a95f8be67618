import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CleanFile } from './sanitize.js';

export type StoredContentType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** What a citizen uploads (R15): counted in VARCO_UPLOAD_QUOTA_MB and erased by the retention policy. */
export const CITIZEN_UPLOAD_KINDS = ['modulo_firmato', 'documento_identita'] as const;
export type CitizenUploadKind = (typeof CITIZEN_UPLOAD_KINDS)[number];

/** The types an upload may have, told by their first bytes — never by the file's name. */
export function sniffContentType(bytes: Buffer): StoredContentType | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

export interface WrittenFile {
  id: string;
  citizen_id: string;
  kind: string;
  content_type: StoredContentType;
  size_bytes: number;
  sha256: string;
  /** Relative to VARCO_FILES_DIR. */
  path: string;
}

/** Writes a rewritten upload under the files folder (one folder per citizen); its row is the caller's to insert. */
export async function writeFileToDisk(filesDir: string, citizenId: string, kind: string, file: CleanFile): Promise<WrittenFile> {
  const id = randomUUID();
  const relative = path.join(citizenId, `${id}.${file.contentType.split('/')[1]}`);
  await mkdir(path.join(filesDir, citizenId), { recursive: true, mode: 0o700 });
  // Written beside, then renamed: a disk that fills up mid-write leaves no half file under the name a row points to.
  const partial = path.join(filesDir, `${relative}.partial`);
  try {
    await writeFile(partial, file.bytes, { mode: 0o600, flag: 'wx' });
    await rename(partial, path.join(filesDir, relative));
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  return {
    id,
    citizen_id: citizenId,
    kind,
    content_type: file.contentType,
    size_bytes: file.bytes.length,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    path: relative,
  };
}

/** Stores a rewritten file with its SHA-256 in the database. */
export async function storeFile(db: Kysely<Database>, filesDir: string, citizenId: string, kind: string, file: CleanFile): Promise<string> {
  const written = await writeFileToDisk(filesDir, citizenId, kind, file);
  try {
    await db.insertInto('stored_files').values(written).execute();
  } catch (error) {
    await removeFromDisk(filesDir, [written.path]);
    throw error;
  }
  return written.id;
}

/** Erases files from disk once their rows are gone (a file already missing is not an error). */
export async function removeFromDisk(filesDir: string, relativePaths: string[]): Promise<void> {
  for (const relative of relativePaths) {
    await unlink(path.join(filesDir, relative)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** Reads a stored file back, checking its SHA-256: a file changed on disk is refused. */
export async function readStoredFile(db: Kysely<Database>, filesDir: string, fileId: string): Promise<{ bytes: Buffer; contentType: string } | undefined> {
  const row = await db.selectFrom('stored_files').selectAll().where('id', '=', fileId).executeTakeFirst();
  if (!row) return undefined;
  const bytes = await readFile(path.join(filesDir, row.path));
  if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) throw new Error(`stored file ${fileId} does not match its checksum`);
  return { bytes, contentType: row.content_type };
}

/** Stored documents are never rendered in the portal's origin: no script, no plug-in, no form, no same-origin access. */
export const STORED_FILE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

/**
 * F14: the route options of every route that serves stored files. The app's onSend hook writes
 * the pages' CSP; a route-level onSend hook runs after it, so this one replaces it.
 */
export const storedFileRoute = {
  onSend: async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('content-security-policy', STORED_FILE_CSP);
    return payload;
  },
};

/** F14: a stored document goes out as a download of its own type, never sniffed, never cached. */
export function sendStoredFile(reply: FastifyReply, file: { bytes: Buffer; contentType: string }, filename: string) {
  const extension = file.contentType === 'application/pdf' ? 'pdf' : file.contentType === 'image/png' ? 'png' : 'jpg';
  const base = filename.replace(/\.(pdf|png|jpe?g)$/i, '').replace(/[^A-Za-z0-9_-]/g, '_');
  return reply
    .type(file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `attachment; filename="${base}.${extension}"`)
    .header('cache-control', 'no-store')
    .header('content-security-policy', STORED_FILE_CSP)
    .send(file.bytes);
}
