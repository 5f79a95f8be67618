import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import pg from 'pg';
import { type Db, openDatabase, openMemoryDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** Database-level tests run on both engines Varco supports. */
export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/** A fresh, migrated database: in-memory PGlite, or a new database in the throwaway PostgreSQL cluster. */
export async function freshDatabase(engine: Engine): Promise<{ db: Db; url: string | undefined }> {
  if (engine === 'pglite') {
    const db = await openMemoryDatabase();
    await migrateToLatest(db);
    return { db, url: undefined };
  }
  const url = await createPgDatabase();
  const db = await openDatabase({ databaseUrl: url, dataDir: '' });
  await migrateToLatest(db);
  return { db, url };
}

export async function createPgDatabase(): Promise<string> {
  const admin = inject('pgUrl');
  const name = `varco_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  return admin.replace(/\/postgres$/, `/${name}`);
}

/** The database of a test file (or of one `describe`), opened fresh before its tests and destroyed after them. */
export interface FreshDatabase {
  /** Read inside tests only: it is opened by `beforeAll`. */
  readonly db: Db;
}

export function useFreshDatabase(engine: Engine): FreshDatabase {
  let db: Db | undefined;
  beforeAll(async () => {
    ({ db } = await freshDatabase(engine));
  });
  afterAll(async () => {
    await db?.destroy();
  });
  return {
    get db() {
      if (!db) throw new Error('the database is opened in beforeAll: read it inside a test');
      return db;
    },
  };
}
