import { sql, type Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import { normalizeCf } from '../../domain/codice-fiscale/index.js';
import type { Database, Level, Residenza } from '../../db/schema.js';
import { type ResidenceDeps, sameComune } from '../../adapters/residence.js';
import type { PinHasher } from '../../security/hasher.js';
import { type PinInputError, TYPED_PIN_LENGTHS, readPin } from '../../security/pin.js';
import type { SecretBox } from '../../security/secret-box.js';
import { type ExpiryPolicy, isPinExpired } from './expiry.js';
import { checkCitizenPin } from './pin-check.js';
import { applyPendingContacts } from './first-access.js';
import { columns } from '../../db/columns.js';

export interface LoginDeps {
  db: Kysely<Database>;
  hasher: PinHasher;
  box: SecretBox;
  /** A hash of a random PIN: an unknown CF is verified against it, so it costs the same time. */
  dummyHash: string;
  expiry: ExpiryPolicy;
  /** R6: is PIN semplificato open now? */
  semplificatoOpen: () => boolean;
  /** Issue 12 F1: semplificato only against the residence registry (`table`). */
  residence: ResidenceDeps;
  now: () => Date;
}

export type LoginResult =
  | { ok: true; citizenId: string; credentialId: string; level: Level; mustChangePin: 'first_access' | 'expired' | null; initialFingerprints?: string[] }
  | { ok: false; reason: 'invalid'; remaining: number }
  | { ok: false; reason: 'malformed'; error: PinInputError }
  | { ok: false; reason: 'revoked' }
  | { ok: false; reason: 'await_letter' }
  | { ok: false; reason: 'blocked'; until: Date };

/**
 * R6 and issue 12 F1, "may the first 8 characters alone open a session?": only with the
 * residence registry (`table`), only for a CF it holds, and only when the comune typed with the
 * request (the country, abroad) matches its row; otherwise the citizen waits for the letter.
 */
export async function semplificatoBound(residence: ResidenceDeps, codiceFiscale: string, typed: Residenza | null, now: Date): Promise<boolean> {
  if (residence.mode !== 'table' || !typed) return false;
  return sameComune(typed, await residence.registry.lookup(codiceFiscale, now));
}

/**
 * Login with codice fiscale and PIN (R7–R9), through the one PIN check of R9 (checkCitizenPin).
 * An unknown CF and a wrong PIN take the same path (lockout, one argon2id verify, the same
 * answer), so neither the response nor its time tells whether a CF has a PIN.
 */
export async function loginWithPin(deps: LoginDeps, input: { codiceFiscale: string; pin: string }, ctx: AuditContext): Promise<LoginResult> {
  const cf = normalizeCf(input.codiceFiscale).slice(0, 32);
  // Issue 13: the PIN as printed ("X622 XTN7"), any case; what cannot be a PIN is a field error, not an attempt.
  const typed = readPin(input.pin, TYPED_PIN_LENGTHS);
  if (!typed.ok) return { ok: false, reason: 'malformed', error: typed.error };
  const pin = typed.pin;
  let credential: LiveCredential | undefined;
  let revoked: { pin_hash: string } | undefined;
  let semplificato = false;
  const check = await checkCitizenPin(
    deps,
    { codiceFiscale: cf, pin, purpose: 'login' },
    async () => {
      const live = await liveCredentialOf(deps.db, cf);
      credential = live;
      // R6: the first 8 characters alone, for a citizen who never had a PIN before, while it is open.
      const semplificatoHash =
        pin.length === 8 && live?.state === 'initial' && live.semplificato_hash !== null && Number(live.credential_count) === 1 && deps.semplificatoOpen()
          ? live.semplificato_hash
          : null;
      semplificato = semplificatoHash !== null;
      // Without a live PIN, the last revoked one is checked instead of the dummy (still one verify):
      // who types a revoked PIN right is told it was revoked (R14); anyone else learns nothing.
      revoked = live ? undefined : await lastRevokedPinOf(deps.db, cf);
      const hash = semplificatoHash ?? live?.pin_hash ?? revoked?.pin_hash ?? deps.dummyHash;
      return { hash, counts: live !== undefined || revoked !== undefined };
    },
    ctx,
  );
  if (check.outcome === 'malformed') return { ok: false, reason: 'malformed', error: check.error };
  if (check.outcome === 'blocked') return { ok: false, reason: 'blocked', until: check.blockedUntil };
  if (check.outcome === 'wrong')
    return check.blockedUntil ? { ok: false, reason: 'blocked', until: check.blockedUntil } : { ok: false, reason: 'invalid', remaining: check.remaining };
  if (!credential) {
    await audit.loginFailed(deps.db, ctx, cf, { failures: 0, blockedUntil: null, purpose: 'login' });
    return { ok: false, reason: 'revoked' };
  }
  const live: LiveCredential = credential;
  const now = deps.now();
  // Issue 12 F1: the first half went to contacts typed by whoever asked; it opens a session only
  // when the comune typed with the request is the one the residence registry holds.
  if (semplificato && !(await semplificatoBound(deps.residence, cf, live.requested_residence, now))) {
    await audit.loginFailed(deps.db, ctx, cf, { failures: 0, blockedUntil: null, purpose: 'login' });
    return { ok: false, reason: 'await_letter' };
  }
  if (semplificato) {
    await audit.loginSucceeded(deps.db, ctx, cf, { level: 'semplificato', firstAccess: false, expired: false });
    return { ok: true, citizenId: live.citizen_id, credentialId: live.id, level: 'semplificato', mustChangePin: null };
  }
  const level: Level = live.dispositivo ? 'dispositivo' : 'ordinario';
  const firstAccess = live.state === 'initial';
  const expired = !firstAccess && isPinExpired(new Date(live.changed_at), live.intermediario, deps.expiry, now);
  await audit.loginSucceeded(deps.db, ctx, cf, { level, firstAccess, expired });
  // Issue 12 F1: the contacts typed with the request reach an existing record only now.
  if (firstAccess) await applyPendingContacts(deps.db, deps.box, live.id, ctx, now);
  return {
    ok: true,
    citizenId: live.citizen_id,
    credentialId: live.id,
    level,
    mustChangePin: firstAccess ? 'first_access' : expired ? 'expired' : null,
    // R7: the new PIN may not reuse a half of the initial one; kept only as keyed fingerprints until the change.
    ...(firstAccess ? { initialFingerprints: [deps.box.fingerprint(pin.slice(0, 8)), deps.box.fingerprint(pin.slice(8, 16))] } : {}),
  };
}

type LiveCredential = NonNullable<Awaited<ReturnType<typeof liveCredentialOf>>>;

function liveCredentialOf(db: Kysely<Database>, cf: string) {
  return db
    .selectFrom('credentials')
    .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
    .select([
      ...columns('credentials', ['id', 'citizen_id', 'state', 'pin_hash', 'semplificato_hash', 'requested_residence', 'dispositivo', 'changed_at']),
      'citizens.intermediario',
    ])
    .select(sql<number>`(select count(*) from credentials c2 where c2.citizen_id = credentials.citizen_id)`.as('credential_count'))
    .where('citizens.codice_fiscale', '=', cf)
    .where('credentials.state', 'in', ['initial', 'active'])
    .executeTakeFirst();
}

function lastRevokedPinOf(db: Kysely<Database>, cf: string) {
  return db
    .selectFrom('credentials')
    .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
    .select('credentials.pin_hash')
    .where('citizens.codice_fiscale', '=', cf)
    .where('credentials.state', '=', 'revoked')
    .orderBy('credentials.revoked_at', 'desc')
    .executeTakeFirst();
}
