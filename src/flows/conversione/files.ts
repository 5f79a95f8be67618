import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The types an upload may have, told by their first bytes — never by the file's name. */
export function sniffContentType(bytes: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

/** Stores an upload under the files folder (one folder per citizen), with its SHA-256 in the database. */
export async function storeFile(db: Kysely<Database>, filesDir: string, citizenId: string, kind: string, bytes: Buffer): Promise<string> {
  const contentType = sniffContentType(bytes);
  if (!contentType) throw new Error('unsupported file type');
  const id = randomUUID();
  const relative = path.join(citizenId, `${id}.${contentType.split('/')[1]}`);
  await mkdir(path.join(filesDir, citizenId), { recursive: true, mode: 0o700 });
  await writeFile(path.join(filesDir, relative), bytes, { mode: 0o600 });
  await db
    .insertInto('stored_files')
    .values({ id, citizen_id: citizenId, kind, content_type: contentType, size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), path: relative })
    .execute();
  return id;
}

/** Reads a stored file back, checking its SHA-256: a file changed on disk is refused. */
export async function readStoredFile(db: Kysely<Database>, filesDir: string, fileId: string): Promise<{ bytes: Buffer; contentType: string } | undefined> {
  const row = await db.selectFrom('stored_files').selectAll().where('id', '=', fileId).executeTakeFirst();
  if (!row) return undefined;
  const bytes = await readFile(path.join(filesDir, row.path));
  if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) throw new Error(`stored file ${fileId} does not match its checksum`);
  return { bytes, contentType: row.content_type };
}
