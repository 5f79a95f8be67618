import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { enqueue } from '../src/outbox/outbox.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { createPgDatabase } from './support/db.js';
import { startSmtpSink } from './support/smtp.js';

/**
 * Crash safety of the outbox (issue 2): a separate `varco worker` process is killed with SIGKILL
 * at random points while it delivers 500 messages, 20 times. Nothing may be lost, a message
 * delivered twice must carry the same id and content, and no secret may be left in the database.
 */
const RUNS = 20;
const MESSAGES = 500;

describe('outbox worker killed with SIGKILL (PostgreSQL, separate process)', () => {
  let db: Db;
  let url: string;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const key = randomBytes(32);
  const box = createSecretBox(key);

  beforeAll(async () => {
    url = await createPgDatabase();
    db = await openDatabase({ databaseUrl: url, dataDir: '' });
    await migrateToLatest(db);
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await db.destroy();
    await sink.close();
  });

  function startWorker(): ChildProcess {
    return spawn(process.execPath, ['bin/varco.js', 'worker'], {
      env: {
        ...process.env,
        VARCO_MODE: 'development',
        DATABASE_URL: url,
        VARCO_SECRET_KEY: key.toString('hex'),
        VARCO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'varco-crash-')),
        SMTP_URL: sink.url,
        VARCO_WORKER_POLL_INTERVAL_MS: '20',
        VARCO_WORKER_BATCH_SIZE: '25',
        VARCO_WORKER_LEASE_SECONDS: '1',
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
  }

  async function waitUntilSent(ids: string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await db
        .selectFrom('outbox_messages')
        .select(db.fn.countAll<number>().as('n'))
        .where('id', 'in', ids)
        .where('state', '=', 'sent')
        .executeTakeFirstOrThrow();
      const n = Number(row.n);
      if (n === ids.length || Date.now() > deadline) return n;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  it(`loses nothing over ${RUNS} runs of ${MESSAGES} messages`, async () => {
    let duplicates = 0;
    for (let run = 0; run < RUNS; run++) {
      const secrets = Array.from({ length: MESSAGES }, (_, i) => `R${String(run).padStart(2, '0')}M${String(i).padStart(3, '0')}X`);
      const ids = await enqueue(
        db,
        box,
        secrets.map((secret, i) => ({
          channel: 'email',
          template: 'pin.firstHalf',
          recipient: `citizen${i}@example.org`,
          locale: 'it',
          params: { nome: 'ANNA', cognome: 'BIANCHI' },
          secret,
          citizenId: null,
        })),
      );
      const secretOf = new Map(ids.map((id, i) => [id, secrets[i]!]));

      // Kill the worker at a random point of its work, once or twice, then let a fresh one finish.
      for (let k = 0; k < 1 + (run % 2); k++) {
        const victim = startWorker();
        await new Promise((r) => setTimeout(r, randomInt(300, 2500)));
        await kill(victim);
      }
      const finisher = startWorker();
      // A budget, not a speed: a loaded machine starts the worker and delivers more slowly.
      const sent = await waitUntilSent(ids, 240_000);
      await kill(finisher);
      expect(sent).toBe(MESSAGES);

      // Every message reached the SMTP server; every copy of one message has its id and its own secret.
      const copies = new Map<string, number>();
      for (const mail of sink.messages) {
        const id = /^<([0-9a-f-]{36})@/.exec(mail.messageId ?? '')?.[1];
        if (!id || !secretOf.has(id)) continue;
        copies.set(id, (copies.get(id) ?? 0) + 1);
        expect(mail.text).toContain(`I primi 8 caratteri del PIN sono: ${secretOf.get(id)}`);
      }
      expect(ids.filter((id) => !copies.has(id))).toEqual([]);
      duplicates += [...copies.values()].filter((n) => n > 1).length;

      // No secret left in the database, encrypted or in clear.
      const rows = await db.selectFrom('outbox_messages').selectAll().where('id', 'in', ids).execute();
      expect(rows.filter((r) => r.secret_ciphertext !== null)).toEqual([]);
      const dump = JSON.stringify([
        rows,
        await db.selectFrom('outbox_attempts').selectAll().execute(),
        await db.selectFrom('audit_events').selectAll().execute(),
      ]);
      expect(secrets.filter((s) => dump.includes(s))).toEqual([]);
      sink.messages.length = 0;
    }
    // Informational: how many messages were delivered twice after a kill (same id each time).
    console.log(`crash test: ${RUNS} runs × ${MESSAGES} messages, ${duplicates} re-sent after a kill, none lost`);
  }, 1_800_000);
});
