import { sql, type Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import { normalizeCf } from '../../domain/codice-fiscale/index.js';
import type { Database, Level } from '../../db/schema.js';
import type { PinHasher } from '../../security/hasher.js';
import { normalizePin } from '../../security/pin.js';
import type { SecretBox } from '../../security/secret-box.js';
import { type ExpiryPolicy, isPinExpired } from './expiry.js';
import { checkCitizenPin } from './pin-check.js';

export interface LoginDeps {
  db: Kysely<Database>;
  hasher: PinHasher;
  box: SecretBox;
  /** A hash of a random PIN: an unknown CF is verified against it, so it costs the same time. */
  dummyHash: string;
  expiry: ExpiryPolicy;
  /** R6: is PIN semplificato open now? */
  semplificatoOpen: () => boolean;
  now: () => Date;
}

export type LoginResult =
  | { ok: true; citizenId: string; credentialId: string; level: Level; mustChangePin: 'first_access' | 'expired' | null; initialFingerprints?: string[] }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'revoked' }
  | { ok: false; reason: 'blocked'; until: Date };

/**
 * Login with codice fiscale and PIN (R7–R9), through the one PIN check of R9 (checkCitizenPin).
 * An unknown CF and a wrong PIN take the same path (lockout, one argon2id verify, the same
 * answer), so neither the response nor its time tells whether a CF has a PIN.
 */
export async function loginWithPin(deps: LoginDeps, input: { codiceFiscale: string; pin: string }, ctx: AuditContext): Promise<LoginResult> {
  const cf = normalizeCf(input.codiceFiscale).slice(0, 32);
  const pin = normalizePin(input.pin).slice(0, 64);
  let credential: LiveCredential | undefined;
  let revoked: { pin_hash: string } | undefined;
  let semplificato = false;
  const check = await checkCitizenPin(deps, { codiceFiscale: cf, pin, purpose: 'login' }, async () => {
    credential = await liveCredentialOf(deps.db, cf);
    // R6: the first 8 characters alone, for a citizen who never had a PIN before, while it is open.
    semplificato =
      pin.length === 8 && credential?.state === 'initial' && credential.semplificato_hash !== null && Number(credential.credential_count) === 1 && deps.semplificatoOpen();
    // Without a live PIN, the last revoked one is checked instead of the dummy (still one verify):
    // who types a revoked PIN right is told it was revoked (R14); anyone else learns nothing.
    revoked = credential ? undefined : await lastRevokedPinOf(deps.db, cf);
    const hash = semplificato ? credential!.semplificato_hash! : (credential?.pin_hash ?? revoked?.pin_hash ?? deps.dummyHash);
    return { hash, counts: credential !== undefined || revoked !== undefined };
  }, ctx);
  if (check.outcome === 'blocked') return { ok: false, reason: 'blocked', until: check.blockedUntil };
  if (check.outcome === 'wrong') return check.blockedUntil ? { ok: false, reason: 'blocked', until: check.blockedUntil } : { ok: false, reason: 'invalid' };
  if (!credential) {
    await audit.loginFailed(deps.db, ctx, cf, { failures: 0, blockedUntil: null, purpose: 'login' });
    return { ok: false, reason: 'revoked' };
  }
  const live: LiveCredential = credential;
  if (semplificato) {
    await audit.loginSucceeded(deps.db, ctx, cf, { level: 'semplificato', firstAccess: false, expired: false });
    return { ok: true, citizenId: live.citizen_id, credentialId: live.id, level: 'semplificato', mustChangePin: null };
  }
  const now = deps.now();
  const level: Level = live.dispositivo ? 'dispositivo' : 'ordinario';
  const firstAccess = live.state === 'initial';
  const expired = !firstAccess && isPinExpired(new Date(live.changed_at), live.intermediario, deps.expiry, now);
  await audit.loginSucceeded(deps.db, ctx, cf, { level, firstAccess, expired });
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
    .select(['credentials.id', 'credentials.citizen_id', 'credentials.state', 'credentials.pin_hash', 'credentials.semplificato_hash', 'credentials.dispositivo', 'credentials.changed_at', 'citizens.intermediario'])
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
