import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { useTestApp } from './support/app.js';
import { storedFilesOf } from './support/citizen-rows.js';
import { citizenWithDraft, uploadScans } from './support/conversione.js';
import { ENGINES } from './support/db.js';
import { aJpeg, aPdf } from './support/uploads.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

/**
 * Issue 16's drill "disk full on VARCO_FILES_DIR", on a real full file system: a tmpfs of 1 MiB
 * mounted for the test (the suite runs as root, as `npm test` needs for its Debian packages).
 * The citizen's upload gets a clear page (503, retry later), no row points to a missing or half
 * file, no half file stays on disk, the draft stays a draft; once there is room again the same
 * upload goes through.
 */
const filesDir = mkdtempSync(path.join(tmpdir(), 'varco-full-'));
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', filesDir]);
} catch (error) {
  throw new Error(`test/disk-full.test.ts mounts a small tmpfs and needs root (mount): ${String(error)}`, { cause: error });
}
afterAll(() => {
  execFileSync('umount', [filesDir]);
  rmSync(filesDir, { recursive: true, force: true });
});

/** Fills the file system but for `leaveBytes`; gives the filler's path. */
function fillUp(leaveBytes: number): string {
  const filler = path.join(filesDir, 'filler');
  const { bavail, bsize } = statfsSync(filesDir);
  writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - leaveBytes)));
  return filler;
}

/** The files in the citizen's folder (each engine's run has its own citizen), half-written ones too. */
const filesOnDisk = (citizenId: string) => {
  const folder = path.join(filesDir, citizenId);
  return existsSync(folder) ? readdirSync(folder) : [];
};

describe.each(ENGINES)('VARCO_FILES_DIR full on %s', (engine) => {
  const t = useTestApp(engine, { VARCO_FILES_DIR: filesDir }, { hasher, now: () => new Date('2026-03-10T10:00:00Z') });

  it('an upload that does not fit gets a clear page and leaves nothing half-written; with room again it is stored', async () => {
    const { c, client } = await citizenWithDraft(t, hasher);
    const files = {
      modulo: { name: 'modulo.pdf', type: 'application/pdf', data: await aPdf('Modulo firmato') },
      documento: { name: 'doc.jpg', type: 'image/jpeg', data: aJpeg(800, 600) },
    };
    // Room for the first file, not for the second: the write fails midway through the upload.
    const filler = fillUp(files.modulo.data.length + 8192);
    const full = await uploadScans(t, client, files);
    expect(full.statusCode).toBe(503);
    expect(full.headers['retry-after']).toBeDefined();
    expect(full.body).toContain('Nulla è stato salvato a metà');
    expect(full.body).not.toContain('ENOSPC');
    expect(await storedFilesOf(t.db, c.citizenId).select('id').execute()).toEqual([]);
    expect(filesOnDisk(c.citizenId)).toEqual([]);
    const draft = await t.db
      .selectFrom('conversion_requests')
      .select(['state', 'module_file_id'])
      .where('citizen_id', '=', c.citizenId)
      .executeTakeFirstOrThrow();
    expect(draft).toEqual({ state: 'bozza', module_file_id: null });

    rmSync(filler);
    await client.get('/pin/dispositivo/modulo');
    const stored = await uploadScans(t, client, files);
    expect(stored.statusCode).toBe(303);
    expect(await storedFilesOf(t.db, c.citizenId).select('id').execute()).toHaveLength(2);
    expect(filesOnDisk(c.citizenId)).toHaveLength(2);
  });
});
