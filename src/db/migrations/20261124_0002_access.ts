import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credentials add column changed_at timestamptz not null default now()`.execute(db);
  await sql`alter table citizens add column intermediario boolean not null default false`.execute(db);

  await sql`
    create table pin_history (
      id bigserial primary key,
      credential_id uuid not null references credentials(id),
      pin_hash text not null,
      replaced_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index pin_history_by_credential on pin_history (credential_id, id)`.execute(db);

  await sql`
    create table lockouts (
      cf_key text primary key,
      failures integer not null default 0,
      blocked_until timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table sessions (
      id_hash text primary key,
      citizen_id uuid not null references citizens(id),
      credential_id uuid not null references credentials(id),
      level text not null check (level in ('semplificato', 'ordinario', 'dispositivo')),
      must_change_pin text check (must_change_pin in ('first_access', 'expired')),
      initial_fingerprints jsonb,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text,
      ended_at timestamptz,
      end_reason text
    )`.execute(db);
  await sql`create index sessions_by_citizen on sessions (citizen_id) where ended_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
