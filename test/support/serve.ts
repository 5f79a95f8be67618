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
import { fixtureResidences } from './citizens.js';

/** Issue 12 F1: the residence registry holds the residences the test citizens type (test/support/citizens.ts). */
export async function loadFixtureResidences(db: Db): Promise<void> {
  const rows = fixtureResidences();
  for (let k = 0; k < rows.length; k += 500) {
    await db
      .insertInto('residenze')
      .values(rows.slice(k, k + 500))
      .onConflict((oc) => oc.column('codice_fiscale').doNothing())
      .execute();
  }
}

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
  await loadFixtureResidences(db);
  const secretKey = randomBytes(32).toString('hex');
  const served = await spawnServe({
    VARCO_MODE: 'development',
    DATABASE_URL: url,
    VARCO_SECRET_KEY: secretKey,
    VARCO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'varco-serve-')),
    VARCO_WORKER_IN_PROCESS: 'false',
    VARCO_R1_PER_IP_HOUR: '100000',
    VARCO_RESIDENCE_REGISTRY: 'table',
    ...RELAXED_MESSAGE_QUOTAS,
    ...env,
  });
  const { baseUrl } = served;
  return {
    baseUrl,
    db,
    box: createSecretBox(Buffer.from(secretKey, 'hex')),
    secretKey,
    output: served.output,
    async close() {
      await served.close();
      await db.destroy();
    },
  };
}

export interface ServeProcess {
  baseUrl: string;
  output: () => string;
  /** SIGTERM, then the exit code once it has stopped. */
  close(): Promise<number | null>;
}

/** `varco serve` in a child process (compiled, as production runs it) with the given environment (on a free port), once it answers /healthz. */
export async function spawnServe(env: Record<string, string>): Promise<ServeProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['bin/varco.js', 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', VARCO_PUBLIC_URL: baseUrl, VARCO_RATE_LIMIT_REQUESTS: '10000', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`varco serve exited: ${out}`);
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`varco serve did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    output: () => out,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
