import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import { normalizeCf } from '../../domain/codice-fiscale/index.js';
import type { Database } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { PinHasher } from '../../security/hasher.js';
import { type PinInputError, TYPED_PIN_LENGTHS, readPin } from '../../security/pin.js';
import { lockoutKey, MAX_CONSECUTIVE_FAILURES, recordFailure, recordSuccess, reserveAttempt } from './lockout.js';

/**
 * The rate-limit bucket of every route that checks a citizen's PIN (R12): login, Modifica PIN and
 * the contact change count together per client IP.
 */
export const PIN_CHECK_BUCKET = 'accedi';

/** Where a PIN is checked; recorded in the audit details. */
export type PinCheckPurpose = 'login' | 'cambio_pin' | 'recapiti';

export interface PinCheckDeps {
  db: Kysely<Database>;
  hasher: PinHasher;
  now: () => Date;
}

/**
 * What the PIN is checked against, loaded once the attempt is reserved. `counts` is false for a
 * hash that no right PIN may open (the dummy of an unknown CF, verified only to cost the same time).
 */
export interface PinTarget {
  hash: string;
  counts: boolean;
}

export type PinCheck =
  | { outcome: 'right' }
  /** Not a PIN at all (nothing but separators, other characters, a length no PIN has): a field error, not an attempt. */
  | { outcome: 'malformed'; error: PinInputError }
  /** `remaining`: wrong PINs this CF may still take before the block (R9; the same for every CF, known or not). */
  | { outcome: 'wrong'; blockedUntil: Date | null; remaining: number }
  | { outcome: 'blocked'; blockedUntil: Date };

/**
 * R9: the one check of a citizen's PIN, at login or anywhere else. It reserves an attempt on the
 * CF's lockout first (refused unchecked while blocked), verifies one argon2id hash, then resets the
 * count or records the failure (the tenth blocks for 5 minutes). Failures and refusals are audited
 * as login.failed / login.refused_blocked / login.locked with the purpose, so the citizen's access
 * history shows them; a right PIN outside login is audited as pin.verified (login audits its own
 * success with the level it opened). The PIN is read first (issue 13: "X622 XTN7" as printed is the
 * PIN X622XTN7, any case): what cannot be a PIN is answered as malformed before any attempt is
 * reserved, so a typing slip never counts toward the lockout and never reaches the hasher.
 */
export async function checkCitizenPin(
  deps: PinCheckDeps,
  input: { codiceFiscale: string; pin: string; purpose: PinCheckPurpose },
  target: () => Promise<PinTarget>,
  ctx: AuditContext,
): Promise<PinCheck> {
  const cf = normalizeCf(input.codiceFiscale).slice(0, 32);
  const key = lockoutKey(cf);
  const purpose = input.purpose;
  const typed = readPin(input.pin, TYPED_PIN_LENGTHS);
  if (!typed.ok) return { outcome: 'malformed', error: typed.error };
  const reservation = await reserveAttempt(deps.db, key, deps.now());
  if (!reservation.allowed) {
    await audit.loginRefusedBlocked(deps.db, ctx, cf, reservation.blockedUntil, purpose);
    return { outcome: 'blocked', blockedUntil: reservation.blockedUntil };
  }
  const { hash, counts } = await target();
  const verified = await deps.hasher.verify(hash, typed.pin);
  const now = deps.now();
  if (verified && counts) {
    await recordSuccess(deps.db, key, now);
    if (purpose !== 'login') await audit.pinVerified(deps.db, ctx, cf, purpose);
    return { outcome: 'right' };
  }
  const until = await recordFailure(deps.db, key, reservation.failures, now);
  await audit.loginFailed(deps.db, ctx, cf, { failures: reservation.failures, blockedUntil: until, purpose });
  if (until) await audit.loginLocked(deps.db, ctx, cf, until, purpose);
  return { outcome: 'wrong', blockedUntil: until, remaining: Math.max(0, MAX_CONSECUTIVE_FAILURES - reservation.failures) };
}

/** The field error of a PIN that cannot be one (issue 13), named by the field's label. */
export function pinInputMessage(t: Translate, error: PinInputError, field: string): string {
  return error === 'empty' ? t('error.required', { field }) : error === 'chars' ? t('error.pinInput.chars', { field }) : t('error.pinInput.length', { field });
}
