import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tessere_sanitarie (
      codice_fiscale text primary key,
      numero text not null,
      scadenza date not null,
      imported_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table captchas (
      id uuid primary key,
      kind text not null check (kind in ('image', 'text')),
      prompt_sealed text not null,
      answer_hmac text not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`
    create table revoca_tokens (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      credential_id uuid not null references credentials(id),
      token_hmac text not null unique,
      contact jsonb not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
