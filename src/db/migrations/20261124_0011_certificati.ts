import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One registry of machine clients (issue 6), meant to become the OAuth clients of issue 7.
  await sql`
    create table clients (
      id text primary key,
      name text not null,
      secret_fingerprint text,
      jwks jsonb,
      scopes jsonb not null default '[]',
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      check (secret_fingerprint is not null or jwks is not null)
    )`.execute(db);
  await sql`
    create table client_assertions (
      client_id text not null references clients(id),
      jti text not null,
      expires_at timestamptz not null,
      primary key (client_id, jti)
    )`.execute(db);
  await sql`
    create table sick_certificates (
      id uuid primary key,
      protocollo text not null unique,
      codice_fiscale text not null,
      tipo text not null check (tipo in ('inizio', 'continuazione', 'ricaduta')),
      data_rilascio date not null,
      inizio_prognosi date not null,
      fine_prognosi date not null,
      medico_nome text not null,
      medico_cognome text not null,
      payload_sha256 text not null,
      client_id text not null references clients(id),
      received_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index sick_certificates_by_cf on sick_certificates (codice_fiscale, data_rilascio desc)`.execute(db);
  await sql`
    create table certificate_notices (
      citizen_id uuid not null references citizens(id),
      channel text not null check (channel in ('sms', 'pec')),
      address text not null,
      active boolean not null,
      updated_at timestamptz not null default now(),
      primary key (citizen_id, channel)
    )`.execute(db);
  await sql`
    create table certificate_notice_changes (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      channel text not null check (channel in ('sms', 'pec')),
      address text not null,
      active boolean not null,
      code_hmac text not null,
      failed_attempts integer not null default 0,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index certificate_notice_changes_pending on certificate_notice_changes (citizen_id, channel) where used_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
