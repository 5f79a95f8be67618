import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgCluster, startPgCluster } from '../scripts/pg-cluster.js';
import { openDatabase } from '../src/db/database.js';
import { type ServeProcess, spawnServe } from './support/serve.js';

/**
 * Issue 16's fault drill: PostgreSQL restarted (`pg_ctl restart -m fast`) under load. Before,
 * the pool's unhandled `error` event ("terminating connection due to administrator command")
 * ended every Varco process. Now `varco serve` (with its in-process worker) stays up, answers 503
 * with a retry meanwhile and /readyz says so, and works again by itself once the server is back.
 * The cluster is this file's own: the suite's shared one is never restarted.
 */
describe('PostgreSQL restarted under load', () => {
  let cluster: PgCluster;
  let served: ServeProcess;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database varco');
    await admin.end();
    served = await spawnServe({
      VARCO_MODE: 'development',
      DATABASE_URL: cluster.url.replace(/\/postgres$/, '/varco'),
      VARCO_SECRET_KEY: randomBytes(32).toString('hex'),
      VARCO_DEMO_DATA: 'false',
    });
  });
  afterAll(async () => {
    await served?.close();
    cluster?.stop();
  });

  /** A page that reads the database (a login's pending flow, by a cookie naming none): 400 when the database answers. */
  const databasePage = () => fetch(`${served.baseUrl}/accedi/federata/ritorno`, { headers: { cookie: 'varco_federata=00000000-0000-4000-8000-000000000000' } });

  it('keeps serving: 503 with Retry-After while it is down, never a 500 or a dead process, and ready again by itself', async () => {
    expect((await fetch(`${served.baseUrl}/readyz`)).status).toBe(200);
    expect((await databasePage()).status).toBe(400);
    const statuses = new Set<number>();
    let failures = 0;
    let running = true;
    const load = async () => {
      while (running) {
        for (const res of await Promise.all([databasePage(), fetch(`${served.baseUrl}/readyz`)]).catch(() => {
          failures += 1;
          return [];
        })) {
          statuses.add(res.status);
          if (res.status === 503) expect(res.headers.get('cache-control')).toBe('no-store');
          await res.arrayBuffer();
        }
      }
    };
    const loads = [load(), load()];
    await new Promise((r) => setTimeout(r, 300));
    cluster.restart();
    // Back by itself: the first answers after the restart may still meet connections the server ended.
    let ready = 0;
    for (let tries = 0; tries < 600 && ready < 5; tries++) {
      const res = await fetch(`${served.baseUrl}/readyz`);
      ready = res.status === 200 ? ready + 1 : 0;
      if (res.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    running = false;
    await Promise.all(loads);
    expect(ready).toBe(5);
    expect(failures).toBe(0);
    expect([...statuses].filter((s) => ![200, 400, 503].includes(s))).toEqual([]);
    expect((await databasePage()).status).toBe(400);
    expect(served.output()).not.toMatch(/unhandled|uncaught/i);
  });

  it('a page met while the database is down says so, in the citizen’s language, with when to retry; /readyz says unreachable', async () => {
    cluster.down();
    try {
      const res = await fetch(`${served.baseUrl}/accedi/federata/ritorno`, {
        headers: { cookie: 'varco_federata=00000000-0000-4000-8000-000000000000', 'accept-language': 'de' },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      const body = await res.text();
      expect(body).toContain('Dienst vorübergehend nicht verfügbar');
      expect(body).toContain('10 Sekunden');
      const ready = await fetch(`${served.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not_ready', database: 'unreachable' });
      expect((await fetch(`${served.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      cluster.up();
    }
    let res = await databasePage();
    for (let tries = 0; tries < 20 && res.status !== 400; tries++) res = await databasePage();
    expect(res.status).toBe(400);
  });

  it('a connection in use when the server goes (a query or a transaction running) fails its query, never the process', async () => {
    const db = await openDatabase({ databaseUrl: cluster.url, dataDir: '' });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const asleep = db.transaction().execute((trx) => sql`select pg_sleep(60)`.execute(trx));
      const failed = asleep.then(
        () => false,
        () => true,
      );
      // Wait until the server runs it: the transaction then holds its connection.
      for (let tries = 0; tries < 600; tries++) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep%'`.execute(db);
        if (rows[0]?.n) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      cluster.restart();
      expect(await failed).toBe(true);
      let answered = false;
      for (let tries = 0; tries < 20 && !answered; tries++) {
        answered = await sql`select 1`.execute(db).then(
          () => true,
          () => false,
        );
      }
      expect(answered).toBe(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await db.destroy();
    }
  });
});
