import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table citizen_documents (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      kind text not null check (kind in ('cu')),
      year integer not null,
      file_id uuid not null references stored_files(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index citizen_documents_by_citizen on citizen_documents (citizen_id, year)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
