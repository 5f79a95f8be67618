import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credentials add column semplificato_hash text`.execute(db);
  await sql`alter table citizens add column contacts_verified_at timestamptz`.execute(db);
  await sql`alter table sessions add column role text not null default 'cittadino' check (role in ('cittadino', 'intermediario'))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
