/** The benches' databases: creating them in the throwaway cluster, seeding them, the bare route's. */
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';
import { type Db, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { CredentialState } from '../src/db/schema.js';
import { spawnNode } from './processes.js';
import { progress } from './support.js';

/** The URL of database `name` on the server of `serverUrl` (a cluster's TCP or socket URL). */
function databaseUrl(serverUrl: string, name: string): string {
  return serverUrl.replace('/postgres?', `/${name}?`).replace(/\/postgres$/, `/${name}`);
}

async function createDatabases(adminUrl: string, names: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of names) await admin.query(`create database ${name}`);
  await admin.end();
}

/** The database `varco` (or `name`) of a bench without a bare route, in the throwaway cluster, over loopback TCP. */
export async function varcoDatabase(cluster: { url: string }, name = 'varco'): Promise<string> {
  await createDatabases(cluster.url, [name]);
  return databaseUrl(cluster.url, name);
}

/**
 * The two databases of a bench, `varco` and `bare` (the reference route's), in the throwaway
 * cluster; their URLs go through PostgreSQL's Unix socket, or loopback TCP with BENCH_PG_TCP=1.
 */
export async function benchDatabases(cluster: { url: string; socketUrl: string }): Promise<{ url: string; bareUrl: string }> {
  await createDatabases(cluster.url, ['varco', 'bare']);
  const server = process.env.BENCH_PG_TCP === '1' ? cluster.url : cluster.socketUrl;
  return { url: databaseUrl(server, 'varco'), bareUrl: databaseUrl(server, 'bare') };
}

/**
 * The reference route (bench/bare-insert.ts), one process on each port, over the `bare` database
 * and its one table; `db` is connected to that database, for counting its rows afterwards.
 */
export async function startBareRoutes(bareUrl: string, ports: number[]): Promise<{ db: pg.Client; children: ChildProcess[] }> {
  const db = new pg.Client({ connectionString: bareUrl });
  await db.connect();
  await db.query(
    'create table bare_applications (id bigserial primary key, citizen text not null, payload jsonb not null, created_at timestamptz not null default now())',
  );
  const children = ports.map((p) => spawnNode(['bench/bare-insert.ts'], { ...process.env, DATABASE_URL: bareUrl, PORT: String(p) }));
  return { db, children };
}

/** The number a `select count(*)::text as n …` answers. */
export async function countRows(db: pg.Client, sql: string): Promise<number> {
  return Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
}

/** The portal's database, migrated, for seeding. */
export async function openMigrated(databaseUrl: string | undefined, dataDir = os.tmpdir()): Promise<Db> {
  const db = await openDatabase({ databaseUrl, dataDir });
  await migrateToLatest(db);
  return db;
}

/** Calls `fn` on slices of `size` items, one after the other; with a label, a progress bar after each. */
export async function inBatches<T>(items: T[], size: number, fn: (slice: T[], k: number) => Promise<void>, label?: string): Promise<void> {
  for (let k = 0; k < items.length; k += size) {
    await fn(items.slice(k, k + size), k);
    if (label) progress(label, Math.min(k + size, items.length), items.length);
  }
}

/** A seeded citizen `i` (MARIO, born 1980 in Pisa, living in Via Roma `i`), its `citizens` row. */
export function citizenRow(c: { id: string; cf: string; cognome: string; i: number }) {
  return {
    id: c.id,
    codice_fiscale: c.cf,
    cognome: c.cognome,
    nome: 'MARIO',
    data_nascita: '1980-01-01',
    sesso: 'M' as const,
    luogo_nascita: 'G702',
    residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: String(c.i), provincia: 'PI', comune: 'G702', cap: '56125' }),
    telefono_abitazione: null,
    cellulare: `+39333${String(1_000_000 + c.i).slice(-7)}`,
    email: `c${c.i}@example.org`,
    pec: null,
    telefono_preferenziale: 'cellulare',
    orario_preferenziale: 'any',
    locale: 'it',
  };
}

/** A seeded citizen's web credential (not dispositivo), its `credentials` row. */
export function credentialRow(c: { id: string; citizenId: string; state: CredentialState; pinHash: string }) {
  return { id: c.id, citizen_id: c.citizenId, state: c.state, pin_hash: c.pinHash, dispositivo: false, channel: 'web' as const };
}
