import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table operators (
      id uuid primary key,
      username text not null unique,
      display_name text not null,
      role text not null check (role in ('contact-center', 'sede', 'supervisore')),
      password_hash text not null,
      totp_secret_sealed text not null,
      created_at timestamptz not null default now(),
      disabled_at timestamptz
    )`.execute(db);
  await sql`
    create table operator_sessions (
      id_hash text primary key,
      operator_id uuid not null references operators(id),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      ended_at timestamptz,
      end_reason text
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
