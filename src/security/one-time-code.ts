import { timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Compares two keyed fingerprints in constant time. */
export function sameFingerprint(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A wrong code against a live single-use code (codice di ripristino, contact verification):
 * counted, and the code burnt once it has been tried wrong `max` times.
 */
export async function recordWrongCode(db: Kysely<Database>, table: 'ripristino_codes' | 'contact_changes' | 'certificate_notice_changes', id: string, failuresBefore: number, max: number, now: Date): Promise<void> {
  const burn = failuresBefore + 1 >= max;
  await sql`update ${sql.table(table)} set failed_attempts = failed_attempts + 1, used_at = ${burn ? now : null}::timestamptz where id = ${id}`.execute(db);
}
