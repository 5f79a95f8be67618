import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeadSink, verifyChain } from '../src/audit/chain.js';
import { type Db, openMemoryDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { PRE_MODULE } from './fixtures/pre-module-db.js';

/**
 * Issue 14: the restructuring keeps the migrations' names and order, so a database created
 * before it migrates on. test/fixtures/pre-module-db.tar.br is a PGlite data folder made with the
 * migrations of commit a7e2ea0 (scripts/make-pre-module-db.ts) holding a citizen, a credential,
 * a queued SMS with a sealed secret and two sealed audit events. PGlite only: the fixture is a
 * PGlite folder (PostgreSQL runs the same migrations in test/schema-drift.test.ts and the others).
 */
const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/pre-module-db.tar.br');

/** Everything the migrations define, as text to compare: columns, indexes, constraints, functions, triggers, sequences. */
async function schemaOf(db: Db) {
  const rows = async (query: ReturnType<typeof sql<{ d: string }>>) => (await query.execute(db)).rows.map((r) => r.d);
  return {
    columns: await rows(sql<{ d: string }>`
      select c.table_name || '.' || c.column_name || ' ' || c.data_type || ' ' || c.is_nullable || ' ' || coalesce(c.column_default, '-') as d
      from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' order by 1`),
    indexes: await rows(sql<{ d: string }>`select indexdef as d from pg_indexes where schemaname = current_schema() order by 1`),
    constraints: await rows(sql<{ d: string }>`
      select cl.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid) as d
      from pg_constraint co join pg_class cl on cl.oid = co.conrelid join pg_namespace n on n.oid = cl.relnamespace
      where n.nspname = current_schema() order by 1`),
    functions: await rows(sql<{ d: string }>`
      select pg_get_functiondef(p.oid) as d from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = current_schema() order by 1`),
    triggers: await rows(sql<{ d: string }>`
      select pg_get_triggerdef(tg.oid) as d from pg_trigger tg join pg_class cl on cl.oid = tg.tgrelid join pg_namespace n on n.oid = cl.relnamespace
      where n.nspname = current_schema() and not tg.tgisinternal order by 1`),
    sequences: await rows(sql<{ d: string }>`select sequence_name as d from information_schema.sequences where sequence_schema = current_schema() order by 1`),
  };
}

const migrationNames = async (db: Db) => (await sql<{ name: string }>`select name from varco_migrations order by name`.execute(db)).rows.map((r) => r.name);

/** The head history the sealer exported when the fixture was made. */
const exportedHead: HeadSink = {
  async append() {
    throw new Error('read only');
  },
  async latest() {
    return PRE_MODULE.auditHead;
  },
  async *history() {
    yield { line: 1, head: PRE_MODULE.auditHead };
  },
};

describe('a database created before the restructuring (PGlite, migrations of a7e2ea0)', () => {
  let old: Db;
  let fresh: Db;
  let before: string[];
  let applied: string[];
  let all: string[];
  beforeAll(async () => {
    old = await openMemoryDatabase({ loadDataDir: new Blob([brotliDecompressSync(readFileSync(FIXTURE))]) });
    before = await migrationNames(old);
    applied = await migrateToLatest(old);
    fresh = await openMemoryDatabase();
    all = await migrateToLatest(fresh);
  });
  afterAll(async () => {
    await old?.destroy();
    await fresh?.destroy();
  });

  it('migrates to the latest migration, running only those added since', async () => {
    expect(before.length).toBe(21);
    expect(before).toEqual(all.slice(0, before.length));
    expect(applied).toEqual(all.slice(before.length));
    expect(await migrationNames(old)).toEqual([...all].sort());
  });

  it('ends with the schema of a fresh database', async () => {
    const [migrated, created] = [await schemaOf(old), await schemaOf(fresh)];
    expect(migrated.columns.length).toBeGreaterThan(300);
    expect(migrated).toEqual(created);
  });

  it('keeps the citizen, the credential and its PIN', async () => {
    const p = PRE_MODULE;
    const citizen = await old.selectFrom('citizens').selectAll().where('codice_fiscale', '=', p.citizen.codiceFiscale).executeTakeFirstOrThrow();
    expect(citizen).toMatchObject({
      id: p.citizen.id,
      cognome: 'ROSSI',
      nome: 'MARIO',
      data_nascita: p.citizen.dataNascita,
      cellulare: p.citizen.cellulare,
      email: p.citizen.email,
      residenza: p.citizen.residenza,
      registered_by: 'richiesta',
      intermediario: false,
    });
    const credential = await old.selectFrom('credentials').selectAll().where('citizen_id', '=', p.citizen.id).executeTakeFirstOrThrow();
    expect(credential).toMatchObject({ id: p.credential.id, state: 'active', channel: 'web', dispositivo: false, revoked_at: null });
    const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });
    expect(await hasher.verify(credential.pin_hash, p.pin)).toBe(true);
  });

  it('keeps the queued message, whose secret still opens', async () => {
    const p = PRE_MODULE;
    const message = await old.selectFrom('outbox_messages').selectAll().where('id', '=', p.message.id).executeTakeFirstOrThrow();
    expect(message).toMatchObject({
      channel: 'sms',
      template: 'pin.firstHalf',
      recipient: p.citizen.cellulare,
      state: 'queued',
      params: p.message.params,
      citizen_id: p.citizen.id,
      send_count: 0,
    });
    const box = createSecretBox(Buffer.from(p.secretKeyHex, 'hex'));
    expect(message.secret_ciphertext && box.open(message.secret_ciphertext, message.id)).toBe(p.message.secret);
  });

  it('keeps the audit trail, whose keyed chain still verifies against its exported head', async () => {
    const events = await old.selectFrom('audit_events').select(['event', 'subject_cf']).orderBy('id').execute();
    expect(events).toEqual(PRE_MODULE.auditEvents.map((e) => ({ event: e.event, subject_cf: PRE_MODULE.citizen.codiceFiscale })));
    const report = await verifyChain(old, exportedHead, { key: Buffer.from(PRE_MODULE.auditSealKeyHex, 'hex') });
    expect(report).toMatchObject({ ok: true, sealed: 2, unsealed: 0, keyedFrom: 1, exportedHeads: 1, problems: [] });
  });
});
