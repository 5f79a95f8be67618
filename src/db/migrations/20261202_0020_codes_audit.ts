import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // F15: keyed seals (HMAC with VARCO_AUDIT_SEAL_KEY); the seals made before stay unkeyed SHA-256.
  await sql`alter table audit_seals add column keyed boolean not null default false`.execute(db);
  // F8: the arithmetic question is gone; the accessible alternative is a code sent by email/PEC
  // to the address on record, bound to the codice fiscale it was asked for, a few tries allowed.
  await sql`delete from captchas where kind = 'text'`.execute(db);
  await sql`alter table captchas drop constraint captchas_kind_check`.execute(db);
  await sql`alter table captchas add constraint captchas_kind_check check (kind in ('image', 'email'))`.execute(db);
  await sql`alter table captchas add column subject_hmac text`.execute(db);
  await sql`alter table captchas add column failed_attempts integer not null default 0`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
