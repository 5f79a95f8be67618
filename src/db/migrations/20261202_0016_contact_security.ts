import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Issue 12 F2: every contact change after the first access, with the value it replaced, so a
  // ripristino can refuse a contact changed too recently and tell the contacts replaced.
  await sql`
    create table contact_history (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      kind text not null check (kind in ('cellulare', 'email', 'pec')),
      previous_value text,
      new_value text not null,
      source text not null,
      changed_at timestamptz not null
    )`.execute(db);
  await sql`create index contact_history_by_citizen on contact_history (citizen_id, changed_at)`.execute(db);

  // The "Non sono stato io" links (to a replaced contact, with a ripristino): kept only as an HMAC; single use, expiring.
  await sql`
    create table not_me_tokens (
      id uuid primary key,
      citizen_id uuid not null references citizens(id),
      reason text not null check (reason in ('contact_changed', 'ripristino')),
      channel text not null check (channel in ('sms', 'email', 'pec')),
      token_hmac text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index not_me_tokens_used on not_me_tokens (used_at) where used_at is not null`.execute(db);

  // Set by a "Non sono stato io" link: no ripristino online until a supervisore lifts it.
  await sql`alter table citizens add column ripristino_blocked_at timestamptz`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
