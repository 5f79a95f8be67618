import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Issue 13 item 7: the last 5 PINs are the citizen's, not one credential's: a revoca and a new
  // request (a new credential) must not clear them. Rows made before keep their credential's citizen.
  await sql`alter table pin_history add column citizen_id uuid references citizens(id)`.execute(db);
  await sql`update pin_history set citizen_id = (select citizen_id from credentials where credentials.id = pin_history.credential_id)`.execute(db);
  await sql`alter table pin_history alter column citizen_id set not null`.execute(db);
  await sql`create index pin_history_by_citizen on pin_history (citizen_id, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
