import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table stored_files (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      kind text not null,
      content_type text not null,
      size_bytes integer not null,
      sha256 text not null,
      path text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table conversion_requests (
      id uuid primary key,
      number text not null unique,
      citizen_id uuid not null references citizens(id),
      credential_id uuid not null references credentials(id),
      state text not null check (state in ('bozza', 'in_lavorazione', 'approvata', 'respinta')),
      doc_type text not null check (doc_type in ('carta_identita', 'patente', 'passaporto')),
      doc_number text not null,
      doc_authority text not null,
      doc_issued date not null,
      doc_expires date not null,
      module_file_id uuid references stored_files(id),
      id_file_id uuid references stored_files(id),
      channel text not null default 'online',
      created_at timestamptz not null default now(),
      submitted_at timestamptz,
      decided_at timestamptz,
      decided_by text,
      reason text
    )`.execute(db);
  await sql`create index conversion_requests_by_citizen on conversion_requests (citizen_id, created_at)`.execute(db);
  await sql`create index conversion_requests_queue on conversion_requests (state, submitted_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
