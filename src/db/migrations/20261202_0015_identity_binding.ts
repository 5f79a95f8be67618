import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Issue 12 F1: the authoritative residence registry (ANPR residents, AIRE registrations abroad),
  // loaded by `varco import residenze`; the postal letter goes where it says, never only where typed.
  await sql`
    create table residenze (
      codice_fiscale text primary key,
      tipo text not null check (tipo in ('ANPR', 'AIRE')),
      indirizzo text not null,
      comune text,
      cap text,
      provincia text,
      paese text,
      citta text,
      codice_postale text,
      valid_from date,
      valid_to date,
      imported_at timestamptz not null default now(),
      check (tipo <> 'ANPR' or (comune is not null and cap is not null and provincia is not null)),
      check (tipo <> 'AIRE' or (paese is not null and citta is not null))
    )`.execute(db);

  // How a citizen record came to exist: a PIN request (any channel) or a SPID/CIE/CNS login.
  // A record created by a federated login gets a PIN only from its own session or at a sede.
  await sql`alter table citizens add column registered_by text not null default 'richiesta' check (registered_by in ('richiesta', 'spid', 'cie', 'cns'))`.execute(
    db,
  );
  await sql`
    update citizens c set registered_by = coalesce(
      (select a.details->>'method' from audit_events a
        where a.subject_cf = c.codice_fiscale and a.event = 'login.succeeded' and a.details->>'newCitizen' = 'true' and a.details->>'method' in ('spid', 'cie', 'cns')
        order by a.id limit 1),
      'spid')
    where not exists (select 1 from credentials k where k.citizen_id = c.id)`.execute(db);

  // The residence typed with a request, kept with its credential (R6: the comune must match the registry).
  await sql`alter table credentials add column requested_residence jsonb`.execute(db);

  // Contacts typed with a request for an existing record: they reach the record only at the
  // first access with the 16 characters (the previous contacts are told then).
  await sql`
    create table pending_contacts (
      credential_id uuid primary key references credentials(id),
      citizen_id uuid not null references citizens(id),
      telefono_abitazione text,
      cellulare text,
      email text,
      pec text,
      telefono_preferenziale text not null,
      orario_preferenziale text not null,
      locale text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  // "A PIN was requested for your codice fiscale": at most one notice per record per day.
  await sql`
    create table request_notices (
      citizen_id uuid primary key references citizens(id),
      notified_at timestamptz not null
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
