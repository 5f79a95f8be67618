import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Issue 12 F5: when a draft was last worked on (the retention policy abandons drafts untouched
  // for VARCO_DOCUMENT_RETENTION_DAYS), and when a decided request's documents were erased.
  await sql`alter table conversion_requests add column touched_at timestamptz`.execute(db);
  await sql`
    update conversion_requests r
       set touched_at = greatest(r.created_at, coalesce((select max(f.created_at) from stored_files f where f.id in (r.module_file_id, r.id_file_id)), r.created_at))`.execute(
    db,
  );
  await sql`alter table conversion_requests alter column touched_at set not null, alter column touched_at set default now()`.execute(db);
  await sql`alter table conversion_requests add column files_erased_at timestamptz`.execute(db);
  await sql`create index conversion_requests_retention on conversion_requests (state, decided_at) where files_erased_at is null`.execute(db);
  // The quota sums a citizen's uploads; the orphan sweep looks for rows nothing references.
  await sql`create index stored_files_by_citizen on stored_files (citizen_id, kind)`.execute(db);
  await sql`create index conversion_requests_module_file on conversion_requests (module_file_id)`.execute(db);
  await sql`create index conversion_requests_id_file on conversion_requests (id_file_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
