import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ripristino_codes (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      code_hmac text not null,
      contacts jsonb not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      failed_attempts integer not null default 0
    )`.execute(db);
  await sql`create index ripristino_codes_by_citizen on ripristino_codes (citizen_id, created_at)`.execute(db);
  await sql`
    create table ripristino_requests (
      id uuid primary key,
      payload_sealed text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
