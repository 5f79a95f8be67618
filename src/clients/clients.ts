import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { sameFingerprint } from '../security/one-time-code.js';
import type { SecretBox } from '../security/secret-box.js';

/** The client of this id, unless a supervisore disabled it: only such a client is ever authenticated. */
function enabledClient(db: Kysely<Database>, id: string) {
  return db.selectFrom('clients').where('id', '=', id).where('disabled_at', 'is', null);
}

/** What a machine client may be allowed to do through the API. */
export const API_SCOPES = ['certificati:write'] as const;
/** What a relying party of the OpenID Provider may ask about the citizen. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'phone'] as const;
export const SCOPES = [...API_SCOPES, ...OIDC_SCOPES] as const;
export type Scope = (typeof API_SCOPES)[number];
export const MIN_LEVELS = ['ordinario', 'dispositivo'] as const;

export interface RegisteredClient {
  id: string;
  name: string;
  scopes: string[];
}

const fingerprintOf = (box: SecretBox, clientId: string, secret: string) => box.fingerprint(`client:${clientId}:${secret}`);

const sealContext = (clientId: string) => `client-secret:${clientId}`;
/** What a client id may look like (checked before any lookup). */
export const CLIENT_ID = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** A redirect URI a relying party may register: https, or http on the loopback for development. */
function acceptableRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    if (u.hash || u.username || u.password) return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

export interface NewClient {
  id: string;
  name: string;
  scopes: string[];
  jwks?: { keys: JWK[] };
  /** Relying parties of the OpenID Provider: where authorization codes may be sent. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** The lowest session level the relying party accepts (ordinario when not given). */
  minLevel?: (typeof MIN_LEVELS)[number];
}

/**
 * `varco client add`: registers a client in the one registry. API scopes make it a machine
 * client (client credentials grant, or the API's own schemes); redirect URIs make it a relying
 * party of the OpenID Provider (authorization code with PKCE). With no key set it gets a random
 * secret, printed once and kept sealed (the provider compares it) and as an HMAC fingerprint;
 * with a JWK Set it authenticates with JWTs signed by one of those keys (private_key_jwt).
 */
export async function addClient(db: Kysely<Database>, box: SecretBox, o: NewClient): Promise<{ secret?: string }> {
  if (!CLIENT_ID.test(o.id)) throw new Error('client id: 3–64 characters among a-z 0-9 . _ -');
  const unknown = o.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length || o.scopes.length === 0) throw new Error(`scopes: one or more of ${SCOPES.join(', ')}`);
  if (o.jwks && (!Array.isArray(o.jwks.keys) || o.jwks.keys.length === 0 || o.jwks.keys.some((k) => 'd' in k)))
    throw new Error('jwks: a set of public keys (no private parts)');
  const redirectUris = o.redirectUris ?? [];
  const relyingParty = redirectUris.length > 0;
  if (relyingParty && !o.scopes.includes('openid')) throw new Error('scopes: a client with redirect URIs needs openid');
  if (!relyingParty && o.scopes.some((s) => (OIDC_SCOPES as readonly string[]).includes(s)))
    throw new Error('scopes: openid, profile, email and phone need at least one redirect URI');
  const bad = [...redirectUris, ...(o.postLogoutRedirectUris ?? [])].filter((u) => !acceptableRedirect(u));
  if (bad.length) throw new Error(`redirect URIs: https only (http only on localhost): ${bad.join(', ')}`);
  if (o.minLevel && !(MIN_LEVELS as readonly string[]).includes(o.minLevel)) throw new Error(`min level: ${MIN_LEVELS.join(' or ')}`);
  const secret = o.jwks ? undefined : randomBytes(32).toString('base64url');
  await db
    .insertInto('clients')
    .values({
      id: o.id,
      name: o.name,
      scopes: JSON.stringify(o.scopes),
      jwks: o.jwks ? JSON.stringify(o.jwks) : null,
      secret_fingerprint: secret ? fingerprintOf(box, o.id, secret) : null,
      secret_sealed: secret ? box.seal(secret, sealContext(o.id)) : null,
      redirect_uris: JSON.stringify(redirectUris),
      post_logout_redirect_uris: JSON.stringify(o.postLogoutRedirectUris ?? []),
      min_level: relyingParty ? (o.minLevel ?? 'ordinario') : null,
    })
    .execute();
  return { secret };
}

/** The provider's view of a registered client (oidc-provider client metadata); none when disabled or unusable. */
export async function clientMetadata(db: Kysely<Database>, box: SecretBox, id: string): Promise<Record<string, unknown> | undefined> {
  if (!CLIENT_ID.test(id)) return undefined;
  const row = await enabledClient(db, id).selectAll().executeTakeFirst();
  if (!row) return undefined;
  // A client registered before issue 7 has only the fingerprint of its secret: the API still
  // takes it, the provider cannot (it must compare the secret itself).
  const auth = row.jwks ? { jwks: row.jwks } : row.secret_sealed ? { client_secret: box.open(row.secret_sealed, sealContext(row.id)) } : undefined;
  if (!auth) return undefined;
  const relyingParty = row.redirect_uris.length > 0;
  const machine = row.scopes.some((s) => (API_SCOPES as readonly string[]).includes(s));
  return {
    client_id: row.id,
    client_name: row.name,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    grant_types: [...(relyingParty ? ['authorization_code'] : []), ...(machine ? ['client_credentials'] : [])],
    response_types: relyingParty ? ['code'] : [],
    scope: row.scopes.join(' '),
    token_endpoint_auth_method: row.jwks ? 'private_key_jwt' : 'client_secret_basic',
    ...auth,
    varco_min_level: row.min_level ?? 'ordinario',
  };
}

/** Finds a live access token issued by the OpenID Provider with the client credentials grant. */
export type AccessTokenLookup = (value: string) => Promise<{ clientId: string; scopes: string[] } | undefined>;

export type ClientAuthResult = { ok: true; client: RegisteredClient } | { ok: false; reason: 'missing' | 'invalid' | 'forbidden' };

/**
 * Authenticates an API call: `Authorization: Basic base64(id:secret)`, or `Authorization:
 * Bearer <JWT>` signed by the client (iss = sub = client id, aud = the endpoint's URL or the
 * portal's public URL, exp at most 5 minutes ahead, jti used once).
 */
export async function authenticateClient(
  deps: { db: Kysely<Database>; box: SecretBox; now: () => Date; audiences: string[]; accessToken?: AccessTokenLookup },
  authorization: string | undefined,
  scope: Scope,
): Promise<ClientAuthResult> {
  if (!authorization) return { ok: false, reason: 'missing' };
  const [scheme, credentials] = authorization.split(' ', 2) as [string, string | undefined];
  if (!credentials) return { ok: false, reason: 'invalid' };
  let client: RegisteredClient | undefined;
  if (scheme.toLowerCase() === 'basic') client = await bySecret(deps, credentials);
  else if (scheme.toLowerCase() === 'bearer' && credentials.split('.').length === 3) client = await byJwt(deps, credentials);
  else if (scheme.toLowerCase() === 'bearer' && deps.accessToken) {
    // An access token of the OpenID Provider (client credentials grant): its own scopes, not the client's.
    const token = credentials.length <= 200 ? await deps.accessToken(credentials) : undefined;
    if (!token) return { ok: false, reason: 'invalid' };
    const row = await enabledClient(deps.db, token.clientId).select(['id', 'name']).executeTakeFirst();
    if (!row) return { ok: false, reason: 'invalid' };
    client = { id: row.id, name: row.name, scopes: token.scopes };
  }
  if (!client) return { ok: false, reason: 'invalid' };
  if (!client.scopes.includes(scope)) return { ok: false, reason: 'forbidden' };
  return { ok: true, client };
}

async function bySecret(deps: { db: Kysely<Database>; box: SecretBox }, credentials: string): Promise<RegisteredClient | undefined> {
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  // RFC 6749 §2.3.1: client id and secret are form-encoded inside the Basic credentials.
  let id: string;
  let secret: string;
  try {
    id = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  } catch {
    return undefined;
  }
  if (id.length > 64 || secret.length > 200) return undefined;
  const row = await enabledClient(deps.db, id).select(['id', 'name', 'scopes', 'secret_fingerprint']).executeTakeFirst();
  // The fingerprint is computed even for an unknown id, so both answers take the same time.
  const given = fingerprintOf(deps.box, id, secret);
  if (!row?.secret_fingerprint || !sameFingerprint(row.secret_fingerprint, given)) return undefined;
  return { id: row.id, name: row.name, scopes: row.scopes };
}

const MAX_JWT_LIFETIME_S = 300;
const CLOCK_TOLERANCE_S = 30;

async function byJwt(deps: { db: Kysely<Database>; now: () => Date; audiences: string[] }, token: string): Promise<RegisteredClient | undefined> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    return undefined;
  }
  if (typeof iss !== 'string' || iss.length === 0 || iss.length > 64) return undefined;
  const row = await enabledClient(deps.db, iss).select(['id', 'name', 'scopes', 'jwks']).executeTakeFirst();
  if (!row?.jwks) return undefined;
  const now = deps.now();
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(row.jwks as { keys: JWK[] }), {
      issuer: row.id,
      subject: row.id,
      audience: deps.audiences,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'jti'],
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    });
    // jose checked exp is there (requiredClaims); the check narrows its type.
    if (typeof payload.jti !== 'string' || payload.jti.length > 200 || typeof payload.exp !== 'number') return undefined;
    const exp = new Date(payload.exp * 1000);
    if (exp.getTime() - now.getTime() > MAX_JWT_LIFETIME_S * 1000) return undefined;
    // A signed JWT is accepted once: its jti is kept for as long as the JWT could still pass.
    const fresh = await deps.db
      .insertInto('client_assertions')
      .values({ client_id: row.id, jti: payload.jti, expires_at: new Date(exp.getTime() + CLOCK_TOLERANCE_S * 1000) })
      .onConflict((oc) => oc.doNothing())
      .returning('jti')
      .executeTakeFirst();
    if (!fresh) return undefined;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return undefined;
    throw error;
  }
  return { id: row.id, name: row.name, scopes: row.scopes };
}

/** Housekeeping: forget used jti's once their JWTs have expired. */
export async function purgeClientAssertions(db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('client_assertions').where('expires_at', '<', now).execute();
}
