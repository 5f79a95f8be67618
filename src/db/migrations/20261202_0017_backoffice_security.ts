import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // F4, RFC 6238 §5.2: the last TOTP time step accepted for each operator; a code is never accepted twice.
  await sql`alter table operators add column totp_last_step integer`.execute(db);
  // F7: operations one operator may not do alone (four eyes), approved by a different supervisore.
  await sql`
    create table operator_approvals (
      id uuid primary key,
      number text not null unique,
      kind text not null check (kind in ('revoca', 'remote_issue')),
      codice_fiscale text not null,
      citizen_id uuid references citizens(id),
      credential_id uuid references credentials(id),
      payload_sealed text,
      identification text not null,
      requested_by uuid not null references operators(id),
      requested_at timestamptz not null,
      state text not null check (state in ('pending', 'rejected', 'waiting', 'issuing', 'stopped', 'done', 'refused')),
      decided_by uuid references operators(id),
      decided_at timestamptz,
      reason text,
      not_before timestamptz,
      stop_token_hmac text unique,
      stopped_at timestamptz,
      claimed_at timestamptz,
      done_at timestamptz,
      issued_credential_id uuid references credentials(id),
      check (decided_by is null or decided_by <> requested_by)
    )`.execute(db);
  await sql`create index operator_approvals_open on operator_approvals (state, not_before) where state in ('pending', 'waiting', 'issuing')`.execute(db);
  await sql`create unique index operator_approvals_one_open on operator_approvals (kind, codice_fiscale) where state in ('pending', 'waiting', 'issuing')`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
