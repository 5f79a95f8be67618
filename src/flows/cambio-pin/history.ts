import type { Kysely } from 'kysely';
import type { CredentialState, Database } from '../../db/schema.js';

/** How many previous PINs a new one may not repeat (R7, the page: "uno degli ultimi 5 PIN"). */
export const PIN_HISTORY = 5;

/**
 * Issue 13 item 7: the argon2id hashes of the last PINs the citizen chose, newest first, at most
 * PIN_HISTORY: the current PIN when it is a chosen one (`active`), then the history — of every
 * credential of the citizen, so neither a ripristino nor a revoca and a new PIN clear it.
 * Generated PINs (16 characters) are never kept: no 8-character PIN could match them, and the
 * halves of the initial PIN are refused by their fingerprints (R7).
 */
export async function recentPinHashes(db: Kysely<Database>, citizenId: string, current: { pin_hash: string; state: CredentialState }): Promise<string[]> {
  const rows = await db.selectFrom('pin_history').select('pin_hash').where('citizen_id', '=', citizenId).orderBy('id', 'desc').limit(PIN_HISTORY).execute();
  return [...(current.state === 'active' ? [current.pin_hash] : []), ...rows.map((r) => r.pin_hash)].slice(0, PIN_HISTORY);
}

/**
 * Keeps the PIN a credential is about to lose — only when it is a chosen PIN (`active`) — and
 * forgets all but the citizen's last PIN_HISTORY. Called in the transaction that replaces it
 * (Modifica PIN, expiry, ripristino) or revokes it.
 */
export async function rememberReplacedPin(trx: Kysely<Database>, credentialId: string, now: Date): Promise<void> {
  const credential = await trx.selectFrom('credentials').select(['citizen_id', 'pin_hash', 'state']).where('id', '=', credentialId).executeTakeFirst();
  if (!credential || credential.state !== 'active') return;
  await trx
    .insertInto('pin_history')
    .values({ citizen_id: credential.citizen_id, credential_id: credentialId, pin_hash: credential.pin_hash, replaced_at: now })
    .execute();
  const keep = await trx
    .selectFrom('pin_history')
    .select('id')
    .where('citizen_id', '=', credential.citizen_id)
    .orderBy('id', 'desc')
    .limit(PIN_HISTORY)
    .execute();
  await trx
    .deleteFrom('pin_history')
    .where('citizen_id', '=', credential.citizen_id)
    .where(
      'id',
      'not in',
      keep.map((k) => k.id),
    )
    .execute();
}
