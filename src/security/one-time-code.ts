import { randomUUID, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { enqueue, type OutboxEntry } from '../outbox/outbox.js';
import { generatePin } from './pin.js';
import type { SecretBox } from './secret-box.js';

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

/** The tables of the codes sent to a contact before it is saved: one pending per citizen. */
export type NewContactCodeTable = 'contact_changes' | 'certificate_notice_changes';

/**
 * A code sent to a new contact, in the caller's transaction: the citizen's codes still pending in
 * `table` are retired, `store` saves the new row with the code's id, keyed fingerprint
 * (`purpose:id:code`) and expiry, and the code goes out as the message's secret (encrypted in the
 * outbox, erased once sent). Returns the row's id.
 */
export async function sendNewContactCode(
  trx: Kysely<Database>,
  box: SecretBox,
  o: {
    table: NewContactCodeTable;
    citizenId: string;
    purpose: string;
    ttlMinutes: number;
    now: Date;
    store: (code: { id: string; code_hmac: string; expires_at: Date }) => Promise<unknown>;
    message: Omit<OutboxEntry, 'secret' | 'citizenId'>;
  },
): Promise<string> {
  const id = randomUUID();
  const code = generatePin(8);
  await trx.updateTable(o.table).set({ used_at: o.now }).where('citizen_id', '=', o.citizenId).where('used_at', 'is', null).execute();
  await o.store({ id, code_hmac: box.fingerprint(`${o.purpose}:${id}:${code}`), expires_at: new Date(o.now.getTime() + o.ttlMinutes * 60_000) });
  await enqueue(trx, box, [{ ...o.message, secret: code, citizenId: o.citizenId }]);
  return id;
}
