import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createSecretBox, type SecretBox } from '../../src/security/secret-box.js';
import { RELAXED_MESSAGE_QUOTAS } from './app.js';
import { createPgDatabase } from './db.js';

/** A free TCP port on the loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServedPortal {
  baseUrl: string;
  db: Db;
  box: SecretBox;
  secretKey: string;
  output: () => string;
  close(): Promise<void>;
}

/**
 * `varco serve` as a newcomer runs it, in a child process on a fresh PostgreSQL database; the
 * test holds its own connection to the same database to set up citizens and clients.
 */
export async function serveVarco(env: Record<string, string> = {}): Promise<ServedPortal> {
  const url = await createPgDatabase();
  const db = await openDatabase({ databaseUrl: url, dataDir: '' });
  await migrateToLatest(db);
  const secretKey = randomBytes(32).toString('hex');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      VARCO_MODE: 'development', DATABASE_URL: url, VARCO_SECRET_KEY: secretKey, PORT: String(port), HOST: '127.0.0.1', VARCO_PUBLIC_URL: baseUrl,
      VARCO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'varco-serve-')), VARCO_WORKER_IN_PROCESS: 'false', VARCO_RATE_LIMIT_REQUESTS: '10000', ...RELAXED_MESSAGE_QUOTAS, LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`varco serve exited: ${out}`);
    const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`varco serve did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl, db, box: createSecretBox(Buffer.from(secretKey, 'hex')), secretKey,
    output: () => out,
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await db.destroy();
    },
  };
}
