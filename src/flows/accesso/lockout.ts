import { sql, type Kysely } from 'kysely';
import { normalizeCf, parseCf } from '../../domain/codice-fiscale/index.js';
import type { Database } from '../../db/schema.js';
import { dbSafe } from '../../domain/db-safe.js';

/** R9 (seed 004): 10 consecutive wrong PINs block for 5 minutes; after a block each wrong PIN blocks again. */
export const MAX_CONSECUTIVE_FAILURES = 10;
export const BLOCK_MINUTES = 5;

/** Lockout state is keyed by the normalised CF, omocodia mapped back, whether or not a citizen has it. */
export function lockoutKey(input: string): string {
  const cf = normalizeCf(input);
  const parsed = parseCf(cf);
  return parsed.ok ? parsed.value.canonical : dbSafe(cf.slice(0, 32));
}

export type Reservation = { allowed: true; failures: number } | { allowed: false; blockedUntil: Date };

/**
 * Reserves the right to check one PIN, atomically, counting it as a failure until proven right.
 * One statement per attempt, so N processes on one database count every attempt exactly once:
 * - blocked (blocked_until in the future): refused, nothing verified, the block not extended;
 * - otherwise the count goes up by one, and the attempt that reaches 10 (or any attempt after a
 *   block ended) blocks at once for 5 minutes — lifted again if that PIN turns out right.
 */
export async function reserveAttempt(db: Kysely<Database>, key: string, now: Date): Promise<Reservation> {
  key = dbSafe(key);
  const blockUntil = new Date(now.getTime() + BLOCK_MINUTES * 60_000);
  const row = await sql<{ failures: number; blocked_until: Date | null }>`
    insert into lockouts as l (cf_key, failures, blocked_until, updated_at)
    values (${key}, 1, ${MAX_CONSECUTIVE_FAILURES <= 1 ? blockUntil : null}, ${now})
    on conflict (cf_key) do update
       set failures = l.failures + 1,
           blocked_until = case when l.failures + 1 >= ${MAX_CONSECUTIVE_FAILURES} then ${blockUntil}::timestamptz else null end,
           updated_at = ${now}
     where l.blocked_until is null or l.blocked_until <= ${now}
    returning failures, blocked_until`.execute(db);
  const reserved = row.rows[0];
  if (reserved) return { allowed: true, failures: Number(reserved.failures) };
  const current = await db.selectFrom('lockouts').select('blocked_until').where('cf_key', '=', key).executeTakeFirst();
  return { allowed: false, blockedUntil: current?.blocked_until ? new Date(current.blocked_until) : blockUntil };
}

/** The right PIN: the count and any block are reset. */
export async function recordSuccess(db: Kysely<Database>, key: string, now: Date): Promise<void> {
  key = dbSafe(key);
  await db.updateTable('lockouts').set({ failures: 0, blocked_until: null, updated_at: now }).where('cf_key', '=', key).execute();
}

/**
 * A wrong PIN. The failure was counted at reservation; when it blocked, the 5 minutes start from
 * now (the end of the check) rather than from the reservation. Returns the block end, if any.
 */
export async function recordFailure(db: Kysely<Database>, key: string, failures: number, now: Date): Promise<Date | null> {
  key = dbSafe(key);
  if (failures < MAX_CONSECUTIVE_FAILURES) return null;
  const until = new Date(now.getTime() + BLOCK_MINUTES * 60_000);
  await db.updateTable('lockouts').set({ blocked_until: until, updated_at: now }).where('cf_key', '=', key).where('failures', '=', failures).execute();
  return until;
}
