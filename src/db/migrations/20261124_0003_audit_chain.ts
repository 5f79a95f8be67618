import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_seals (
      chain_seq bigint primary key,
      event_id bigint not null unique references audit_events(id),
      prev_seal text not null,
      seal text not null,
      sealed_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create trigger audit_seals_no_change before update or delete on audit_seals
    for each row execute function audit_events_append_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
