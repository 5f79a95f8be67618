import { timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Compares two keyed fingerprints in constant time. */
export function sameFingerprint(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The tables of single-use codes with a `failed_attempts` counter and a `used_at`. */
export type CodeTable = 'ripristino_codes' | 'contact_changes' | 'certificate_notice_changes';

/**
 * A wrong code against a live single-use code (codice di ripristino, contact verification):
 * counted, and the code burnt by the wrong try that reaches `max`. One conditional statement, so
 * concurrent wrong codes never count past `max` and none of them can bring a burnt code back.
 * Returns the new count, or undefined when the code was already used or burnt (refused, not counted).
 */
export async function recordWrongCode(db: Kysely<Database>, table: CodeTable, id: string, max: number, now: Date): Promise<number | undefined>;
/** @deprecated the count the caller read is ignored (it may be stale): pass `max, now` only. */
export async function recordWrongCode(
  db: Kysely<Database>,
  table: CodeTable,
  id: string,
  failuresBefore: number,
  max: number,
  now: Date,
): Promise<number | undefined>;
export async function recordWrongCode(
  db: Kysely<Database>,
  table: CodeTable,
  id: string,
  ...rest: [number, Date] | [number, number, Date]
): Promise<number | undefined> {
  const [max, now] = rest.length === 3 ? [rest[1], rest[2]] : rest;
  const result = await sql<{ failed_attempts: number }>`
    update ${sql.table(table)}
    set failed_attempts = failed_attempts + 1,
        used_at = case when failed_attempts + 1 >= ${max} then ${now}::timestamptz else null end
    where id = ${id} and used_at is null and failed_attempts < ${max}
    returning failed_attempts`.execute(db);
  const row = result.rows[0];
  return row ? Number(row.failed_attempts) : undefined;
}
