import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** postgres://… for a PostgreSQL server; undefined for the embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
}

/**
 * The one Kysely instance of a process. On PGlite every query goes through it, and the dialect
 * serialises connections, so a transaction never swallows an unrelated query (STACK-NOTES).
 */
export async function openDatabase(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    // DATE columns stay strings ('YYYY-MM-DD'): no time-zone shift of birth dates.
    pg.types.setTypeParser(1082, (v: string) => v);
    pg.types.setTypeParser(20, (v: string) => Number(v));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const dir = path.join(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, {
    parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) },
  });
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}

/** An in-memory PGlite, for tests that need a fresh database. */
export async function openMemoryDatabase(): Promise<Db> {
  const client = await PGlite.create({ parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) } });
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}
