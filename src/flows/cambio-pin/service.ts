import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, Level } from '../../db/schema.js';
import type { PinHasher } from '../../security/hasher.js';
import type { SecretBox } from '../../security/secret-box.js';
import { checkCitizenPin } from '../accesso/pin-check.js';

/** How many previous PINs a new one may not repeat (R7: "not one of the last 5"). */
export const PIN_HISTORY = 5;

export interface ChangePinDeps {
  db: Kysely<Database>;
  hasher: PinHasher;
  box: SecretBox;
  now: () => Date;
}

export type ChangePinResult =
  | { ok: true; level: Level; otherSessionsEnded: number }
  | { ok: false; reason: 'initial' | 'reused' | 'current' }
  | { ok: false; reason: 'blocked'; until: Date };

/**
 * Replaces the PIN (R7 first access, R8 expiry, R16 Modifica PIN): refuses a half of the initial
 * PIN and the last 5 PINs, then in one transaction stores the new hash, keeps the old one in the
 * history, makes the credential `active`, ends the citizen's other sessions and audits.
 */
export async function changePin(
  deps: ChangePinDeps,
  s: { citizenId: string; credentialId: string; sessionIdHash: string; codiceFiscale: string; reason: 'first_access' | 'expired' | 'voluntary'; initialFingerprints: string[] | null; currentPin?: string },
  newPin: string,
  ctx: AuditContext,
): Promise<ChangePinResult> {
  if (s.initialFingerprints?.includes(deps.box.fingerprint(newPin))) return { ok: false, reason: 'initial' };
  const credential = await deps.db.selectFrom('credentials').select(['pin_hash', 'dispositivo', 'state']).where('id', '=', s.credentialId).executeTakeFirstOrThrow();
  if (s.reason === 'voluntary') {
    // R9: the current PIN goes through the login's lockout, keyed by the CF (F3).
    const check = await checkCitizenPin(deps, { codiceFiscale: s.codiceFiscale, pin: s.currentPin ?? '', purpose: 'cambio_pin' }, async () => ({ hash: credential.pin_hash, counts: true }), ctx);
    if (check.outcome !== 'right') return check.blockedUntil ? { ok: false, reason: 'blocked', until: check.blockedUntil } : { ok: false, reason: 'current' };
  }
  const history = await deps.db.selectFrom('pin_history').select('pin_hash').where('credential_id', '=', s.credentialId).orderBy('id', 'desc').limit(PIN_HISTORY - 1).execute();
  const previous = [credential.pin_hash, ...history.map((h) => h.pin_hash)];
  for (const hash of previous) if (await deps.hasher.verify(hash, newPin)) return { ok: false, reason: 'reused' };
  const newHash = await deps.hasher.hash(newPin);
  const level: Level = credential.dispositivo ? 'dispositivo' : 'ordinario';
  return deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('pin_history').values({ credential_id: s.credentialId, pin_hash: credential.pin_hash }).execute();
    const keep = await trx.selectFrom('pin_history').select('id').where('credential_id', '=', s.credentialId).orderBy('id', 'desc').limit(PIN_HISTORY).execute();
    await trx.deleteFrom('pin_history').where('credential_id', '=', s.credentialId).where('id', 'not in', keep.map((k) => k.id)).execute();
    await trx.updateTable('credentials').set({ pin_hash: newHash, state: 'active', changed_at: deps.now(), updated_at: deps.now(), semplificato_hash: null }).where('id', '=', s.credentialId).execute();
    if (s.reason === 'first_access') await trx.updateTable('citizens').set({ contacts_verified_at: deps.now() }).where('id', '=', s.citizenId).execute();
    const ended = await trx
      .updateTable('sessions')
      .set({ ended_at: deps.now(), end_reason: 'pin_changed' })
      .where('citizen_id', '=', s.citizenId)
      .where('id_hash', '!=', s.sessionIdHash)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    const otherSessionsEnded = Number(ended.numUpdatedRows);
    await audit.pinChanged(trx, ctx, s.codiceFiscale, { reason: s.reason, level, otherSessionsEnded });
    return { ok: true as const, level, otherSessionsEnded };
  });
}
