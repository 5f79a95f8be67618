import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence covid_protocol_seq`.execute(db);
  await sql`
    create table covid_applications (
      id uuid primary key,
      protocollo text not null unique,
      citizen_id uuid not null references citizens(id),
      categoria text not null check (categoria in ('art27', 'art28', 'art29', 'art30', 'art38', 'art23')),
      gruppo text not null check (gruppo in ('art31', 'art23')),
      dichiarazioni jsonb not null,
      iban text not null,
      importo_cents integer not null,
      stato text not null check (stato in ('in_verifica', 'in_istruttoria', 'accolta', 'respinta')),
      iban_verified_at timestamptz,
      iban_checked_at timestamptz,
      esito_motivo text,
      esito_at timestamptz,
      esito_by text,
      submitted_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (citizen_id, gruppo)
    )`.execute(db);
  await sql`create index covid_applications_by_iban on covid_applications (iban)`.execute(db);
  await sql`create index covid_applications_to_verify on covid_applications (iban_checked_at) where stato = 'in_verifica'`.execute(db);
  await sql`
    create table iban_holders (
      iban text not null,
      codice_fiscale text not null,
      loaded_at timestamptz not null default now(),
      primary key (iban, codice_fiscale)
    )`.execute(db);
  await sql`
    create table iban_usage (
      iban text primary key,
      applicants integer not null
    )`.execute(db);
  await sql`create index iban_usage_by_applicants on iban_usage (applicants)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
