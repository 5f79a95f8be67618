import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contact_changes (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      kind text not null check (kind in ('cellulare', 'email', 'pec')),
      new_value text not null,
      code_hmac text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      failed_attempts integer not null default 0
    )`.execute(db);
  await sql`create index contact_changes_by_citizen on contact_changes (citizen_id, created_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
