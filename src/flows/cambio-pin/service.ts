import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, Level } from '../../db/schema.js';
import type { PinHasher } from '../../security/hasher.js';
import type { SecretBox } from '../../security/secret-box.js';
import { checkCitizenPin } from '../accesso/pin-check.js';
import { PIN_HISTORY, recentPinHashes, rememberReplacedPin } from './history.js';

export { PIN_HISTORY };

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
 * PIN and the citizen's last 5 chosen PINs (across a ripristino or a revoca, issue 13 item 7), then
 * in one transaction stores the new hash, keeps the old one in the history when it was a chosen
 * PIN, makes the credential `active`, ends the citizen's other sessions and audits.
 */
export async function changePin(
  deps: ChangePinDeps,
  s: {
    citizenId: string;
    credentialId: string;
    sessionIdHash: string;
    codiceFiscale: string;
    reason: 'first_access' | 'expired' | 'voluntary';
    initialFingerprints: string[] | null;
    currentPin?: string;
  },
  newPin: string,
  ctx: AuditContext,
): Promise<ChangePinResult> {
  if (s.initialFingerprints?.includes(deps.box.fingerprint(newPin))) return { ok: false, reason: 'initial' };
  const credential = await deps.db
    .selectFrom('credentials')
    .select(['citizen_id', 'pin_hash', 'dispositivo', 'state'])
    .where('id', '=', s.credentialId)
    .executeTakeFirstOrThrow();
  if (s.reason === 'voluntary') {
    // R9: the current PIN goes through the login's lockout, keyed by the CF (F3).
    const check = await checkCitizenPin(
      deps,
      { codiceFiscale: s.codiceFiscale, pin: s.currentPin ?? '', purpose: 'cambio_pin' },
      async () => ({ hash: credential.pin_hash, counts: true }),
      ctx,
    );
    if (check.outcome === 'blocked') return { ok: false, reason: 'blocked', until: check.blockedUntil };
    if (check.outcome === 'wrong' && check.blockedUntil) return { ok: false, reason: 'blocked', until: check.blockedUntil };
    if (check.outcome !== 'right') return { ok: false, reason: 'current' };
  }
  for (const hash of await recentPinHashes(deps.db, credential.citizen_id, credential))
    if (await deps.hasher.verify(hash, newPin)) return { ok: false, reason: 'reused' };
  const newHash = await deps.hasher.hash(newPin);
  const level: Level = credential.dispositivo ? 'dispositivo' : 'ordinario';
  return deps.db.transaction().execute(async (trx) => {
    await rememberReplacedPin(trx, s.credentialId, deps.now());
    await trx
      .updateTable('credentials')
      .set({ pin_hash: newHash, state: 'active', changed_at: deps.now(), updated_at: deps.now(), semplificato_hash: null })
      .where('id', '=', s.credentialId)
      .execute();
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
