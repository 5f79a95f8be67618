import { execFile, spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { EmbeddedDatabaseBusy, lockDataDir } from '../src/db/data-dir.js';
import { openDatabase } from '../src/db/database.js';
import { spawnServe } from './support/serve.js';

const run = promisify(execFile);

/** Every file and folder under `dir` that its group or others may read, write or enter. */
function notPrivate(dir: string): string[] {
  const loose: string[] = [];
  const walk = (p: string) => {
    const st = lstatSync(p);
    if ((st.mode & 0o077) !== 0) loose.push(`${(st.mode & 0o777).toString(8)} ${path.relative(dir, p) || '.'}`);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
  return loose;
}

/** The `varco` command on the embedded database in `dataDir`; resolves with its exit code and output. */
function varcoOn(dataDir: string) {
  const env = { ...process.env, VARCO_MODE: 'development', VARCO_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  return (...args: string[]) =>
    run(process.execPath, ['bin/varco.js', ...args], { env }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
}

/** A process that has already exited: its pid is dead. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('the embedded database has one owner and is private (issue 12, F11)', () => {
  it('varco serve on a fresh folder: CLI commands beside it are refused and write nothing; no write of the portal is lost; after it stops the CLI works; every file is 0600 and every folder 0700', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'varco-owner-')), 'data', 'local');
    const varco = varcoOn(dataDir);
    const portal = await spawnServe({ VARCO_MODE: 'development', VARCO_DATA_DIR: dataDir, DATABASE_URL: '', VARCO_WORKER_POLL_INTERVAL_MS: '50' });
    const ibans = path.join(path.dirname(dataDir), 'iban.csv');
    writeFileSync(ibans, 'iban;codice_fiscale\nIT60X0542811101000000123456;RSSMRA85T10A562S\n');

    // The portal keeps writing (each page view counts in the database's rate-limit table) while
    // an operator runs commands on the same folder, as the README once suggested.
    let views = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const res = await fetch(`${portal.baseUrl}/pin/richiesta`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        views++;
      }
    })();
    const [operator, imported] = await Promise.all([
      varco('operator', 'add', 'mario.rossi', '--role', 'sede', '--name', 'Mario Rossi'),
      varco('import', 'iban', ibans),
    ]);
    writing = false;
    await writer;
    for (const refused of [operator, imported]) {
      expect(refused.code).toBe(75);
      expect(refused.stderr).toContain(`The embedded database in ${dataDir} is in use by process`);
      expect(refused.stderr).toContain('stop the portal, or use PostgreSQL');
      expect(refused.stdout).not.toMatch(/password|Imported/);
    }
    // The portal still serves, then stops cleanly (and lets go of the folder).
    expect((await fetch(`${portal.baseUrl}/healthz`)).status).toBe(200);
    expect(views).toBeGreaterThan(0);
    expect(await portal.close()).toBe(0);
    expect(existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);

    const db = await openDatabase({ databaseUrl: undefined, dataDir });
    try {
      // Nothing the refused commands would have written; every page view the portal counted.
      // Nothing but the demo operators `serve` seeds in development (issue 13 §3).
      expect(await db.selectFrom('operators').select('username').where('username', 'not like', 'demo.%').execute()).toEqual([]);
      expect(await db.selectFrom('iban_holders').select('iban').execute()).toEqual([]);
      const hits = await db
        .selectFrom('rate_limits')
        .select(sql<number>`coalesce(sum(hits), 0)::int`.as('n'))
        .executeTakeFirstOrThrow();
      expect(hits.n).toBeGreaterThanOrEqual(views);
      expect(await db.selectFrom('citizens').select('codice_fiscale').where('codice_fiscale', '=', 'RSSMRA85T10A562S').execute()).toHaveLength(1);
    } finally {
      await db.destroy();
    }

    // With the portal stopped, the same commands work.
    const added = await varco('operator', 'add', 'mario.rossi', '--role', 'sede', '--name', 'Mario Rossi');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Operator mario.rossi (sede) created.');
    expect((await varco('audit', 'seal')).code).toBe(0);
    const verified = await varco('audit', 'verify');
    expect(verified.stdout).toContain('the chain is intact');

    // F11: the folder Varco created, its database, key and audit head are its user's alone.
    expect(readdirSync(dataDir).sort()).toEqual(expect.arrayContaining(['audit-head.log', 'pglite', 'secret.key']));
    expect(notPrivate(dataDir)).toEqual([]);
    expect(lstatSync(path.dirname(dataDir)).mode & 0o777).toBe(0o700);
  }, 600_000);

  it('a second engine in the same process is refused too, until the first is closed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'varco-owner-'));
    const first = await openDatabase({ databaseUrl: undefined, dataDir });
    await expect(openDatabase({ databaseUrl: undefined, dataDir })).rejects.toBeInstanceOf(EmbeddedDatabaseBusy);
    await first.destroy();
    const second = await openDatabase({ databaseUrl: undefined, dataDir });
    await second.destroy();
  }, 120_000);

  it('a lock left by a dead process, or by a pid since reused, is taken over; a live one is not', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'varco-lock-'));
    const file = path.join(dataDir, 'pglite.lock');
    const lockOf = (pid: number, procStart: string | undefined) =>
      JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', procStart, command: 'cli.ts serve' });

    writeFileSync(file, lockOf(await deadPid(), undefined));
    const a = await lockDataDir(dataDir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await expect(lockDataDir(dataDir)).rejects.toThrow(/in use by process \d+ .*stop the portal, or use PostgreSQL/s);
    a.release();
    expect(existsSync(file)).toBe(false);

    // The parent of this process is alive, but under another start time the pid belongs to someone else.
    writeFileSync(file, lockOf(process.ppid, '1'));
    const b = await lockDataDir(dataDir);
    b.release();

    // A live holder on this machine (here: the parent process, as it started) keeps the lock.
    const ppidStart = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    writeFileSync(file, lockOf(process.ppid, ppidStart.slice(ppidStart.lastIndexOf(')') + 2).split(' ')[19]));
    await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(EmbeddedDatabaseBusy);
    // …and so does a holder on another machine, which cannot be checked from here.
    writeFileSync(file, JSON.stringify({ pid: await deadPid(), host: 'altro-server', startedAt: '2026-01-01T00:00:00.000Z', command: 'cli.ts serve' }));
    await expect(lockDataDir(dataDir)).rejects.toThrow(/on altro-server/);
  });
});
