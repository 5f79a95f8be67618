import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // F15: keyed seals (HMAC with VARCO_AUDIT_SEAL_KEY); the seals made before stay unkeyed SHA-256.
  await sql`alter table audit_seals add column keyed boolean not null default false`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
