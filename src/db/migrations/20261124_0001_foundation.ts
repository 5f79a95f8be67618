import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table citizens (
      id uuid primary key,
      codice_fiscale text not null unique,
      cognome text not null,
      nome text not null,
      data_nascita date not null,
      sesso char(1) not null check (sesso in ('M', 'F')),
      luogo_nascita text not null,
      residenza jsonb not null,
      telefono_abitazione text,
      cellulare text,
      email text,
      pec text,
      telefono_preferenziale text not null,
      orario_preferenziale text not null,
      locale text not null default 'it',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table credentials (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      state text not null check (state in ('initial', 'active', 'revoked')),
      pin_hash text not null,
      dispositivo boolean not null default false,
      channel text not null check (channel in ('web', 'contact-center', 'sede')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      revoked_at timestamptz
    )`.execute(db);
  // R1: at most one live PIN per citizen, enforced by the database even under concurrent requests.
  await sql`create unique index credentials_one_live_per_citizen on credentials (citizen_id) where state in ('initial', 'active')`.execute(db);

  await sql`
    create table outbox_messages (
      id uuid primary key,
      channel text not null check (channel in ('sms', 'email', 'pec', 'letter')),
      template text not null,
      recipient text not null,
      locale text not null,
      params jsonb not null default '{}',
      secret_ciphertext text,
      citizen_id uuid references citizens(id),
      state text not null default 'queued' check (state in ('queued', 'processing', 'sent', 'abandoned')),
      send_count integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      lease_owner text,
      lease_until timestamptz,
      last_error text,
      batch_id text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`.execute(db);
  await sql`create index outbox_due on outbox_messages (channel, next_attempt_at) where state in ('queued', 'processing')`.execute(db);

  await sql`
    create table outbox_attempts (
      id bigserial primary key,
      message_id uuid not null references outbox_messages(id),
      attempt integer not null,
      worker text not null,
      started_at timestamptz not null,
      finished_at timestamptz not null default now(),
      outcome text not null check (outcome in ('sent', 'failed', 'abandoned')),
      error text
    )`.execute(db);

  await sql`
    create table letter_batches (
      id text primary key,
      created_at timestamptz not null default now(),
      letter_count integer not null,
      folder text not null,
      confirmed_at timestamptz,
      erased_at timestamptz
    )`.execute(db);

  await sql`
    create table dev_mailbox (
      id bigserial primary key,
      message_id uuid not null,
      channel text not null,
      recipient text not null,
      subject text,
      body text not null,
      attachments jsonb not null default '[]',
      delivered_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table flows (
      id_hash text primary key,
      kind text not null,
      state text not null,
      data jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index flows_expiry on flows (expires_at)`.execute(db);

  await sql`
    create table rate_limits (
      key text not null,
      window_start timestamptz not null,
      hits integer not null,
      primary key (key, window_start)
    )`.execute(db);

  await sql`
    create table audit_events (
      id bigserial primary key,
      occurred_at timestamptz not null default now(),
      event text not null,
      actor text not null,
      subject_cf text,
      channel text,
      ip text,
      details jsonb not null default '{}'
    )`.execute(db);
  await sql`create index audit_by_subject on audit_events (subject_cf, occurred_at)`.execute(db);
  // Append-only: the database itself refuses to change or delete an audit record.
  await sql`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_events_no_change before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration is not reversible');
}
