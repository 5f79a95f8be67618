import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
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
