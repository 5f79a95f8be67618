import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { ensurePrivateDir, lockDataDir, tightenTree } from './data-dir.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** postgres://… for a PostgreSQL server; undefined for the embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** An idle PostgreSQL connection lost (the server restarted): reported, never fatal. A connection lost in use fails its query instead. */
  onIdleError?: (error: Error) => void;
}

/**
 * The one Kysely instance of a process. On PGlite every query goes through it, and the dialect
 * serialises connections, so a transaction never swallows an unrelated query (STACK-NOTES).
 * The PGlite folder has one owner: the process holds the data folder's lock until `destroy()`,
 * and a second process (`varco operator add` while the portal runs) is refused before it opens
 * or writes anything (EmbeddedDatabaseBusy). The folder is private to Varco's user (F11).
 */
export async function openDatabase(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    // DATE columns stay strings ('YYYY-MM-DD'): no time-zone shift of birth dates.
    pg.types.setTypeParser(1082, (v: string) => v);
    pg.types.setTypeParser(20, (v: string) => Number(v));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // A connection the server closes (a restart, a failover: "terminating connection due to
    // administrator command") emits `error`; without a listener that ends the process. An idle
    // one is reported through the pool's event. One in use (a query or a transaction running)
    // emits it on the client as well as failing its query: that query's caller gets the error
    // (a 503), and the listener every client gets here keeps the event from being fatal. The
    // pool drops a broken connection and opens a new one for the next query.
    pool.on('error', (error) => opts.onIdleError?.(error));
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  ensurePrivateDir(opts.dataDir);
  const lock = await lockDataDir(opts.dataDir);
  try {
    const dir = path.join(opts.dataDir, 'pglite');
    ensurePrivateDir(dir);
    tightenTree(dir);
    const client = await PGlite.create(dir, {
      parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) },
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    // Kysely closes the driver only if a query ever ran: close the engine and let go of the lock either way.
    return Object.assign(db, {
      async destroy() {
        try {
          await Kysely.prototype.destroy.call(db);
          if (!client.closed) await client.close();
        } finally {
          lock.release();
        }
      },
    });
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * An in-memory PGlite, for tests that need a fresh database — or a copy of one: `loadDataDir`
 * is a data folder PGlite dumped (`dumpDataDir()`, a tarball), e.g. test/fixtures/pre-module-db.tar.gz.
 */
export async function openMemoryDatabase(opts: { loadDataDir?: Blob } = {}): Promise<Db> {
  const client = await PGlite.create({
    parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) },
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}

/**
 * An error of the database being out of reach (a restart, a failover, the server down) rather
 * than of the request: the portal answers 503 and the work is tried again later.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  // 57P01-03: the server is shutting down or starting; 08xxx: connection failures (SQLSTATE).
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03'].includes(code) ||
    code.startsWith('08') ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message)
  );
}
