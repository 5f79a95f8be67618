import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Issue 15: Varco's entity configuration is signed with a federation key of its own, and SPID/CIE
  // providers encrypt userinfo to an encryption key of Varco's ('rp-enc'); both are kept as the others.
  await sql`alter table signing_keys drop constraint signing_keys_use_check`.execute(db);
  await sql`alter table signing_keys add constraint signing_keys_use_check check (use in ('op', 'rp', 'federation', 'rp-enc'))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
