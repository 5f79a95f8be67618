import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Issue 12 F6: SMS codes per codice fiscale and per number per day (Rome), counted by one
  // conditional upsert each time a flow is about to send one. Keys are keyed fingerprints
  // (HMAC), never the CF or the number in clear.
  await sql`
    create table sms_quota_counters (
      scope text not null check (scope in ('cf', 'number')),
      key_hash text not null,
      day text not null check (day ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      sends integer not null check (sends >= 0),
      last_sent_at timestamptz not null,
      primary key (scope, key_hash, day)
    )`.execute(db);
  // Issue 12 F6: SMS the worker handed to the gateway per day (Rome), against VARCO_SMS_GLOBAL_DAY;
  // the row is locked while a worker claims SMS, so two workers never pass the cap together.
  await sql`
    create table sms_daily_totals (
      day text primary key check (day ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      sends integer not null default 0 check (sends >= 0),
      cap_reached_at timestamptz
    )`.execute(db);
  // Letters per codice fiscale within VARCO_LETTER_WINDOW_DAYS.
  await sql`create index outbox_letters_by_citizen on outbox_messages (citizen_id, created_at) where channel = 'letter'`.execute(db);
  // The back office lists recent quota hits.
  await sql`create index audit_quota_events on audit_events (id) where event in ('quota.exceeded', 'sms.global_cap_reached')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
