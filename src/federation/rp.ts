import { createHash } from 'node:crypto';
import { compactDecrypt, createLocalJWKSet, createRemoteJWKSet, importJWK, type JWK, jwtVerify, type JWTVerifyGetKey, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import type { Db } from '../db/database.js';
import type { SecretBox } from '../security/secret-box.js';
import { type KeyUse, publicJwk, signingKeys } from '../oidc/keys.js';
import type { FederationLeaf } from '../config/federation-leaf.js';
import { cfFromClaim, type FederatedIdentity } from './citizens.js';
import type { ProviderDirectory, ProviderEntry } from './directory.js';
import type { TrustChain } from './trust/chain.js';
import { federationGet } from './trust/fetch.js';
import { TrustError } from './trust/statements.js';

/** SPID's attribute names (https://attributes.eid.gov.it/…), and the plain OpenID ones. */
const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';
const ASKED_CLAIMS = { [FISCAL_NUMBER]: { essential: true }, given_name: null, family_name: null, birthdate: null, email: null, phone_number: null };
/** What the SPID/CIE rules allow for the userinfo's encryption (Varco asks for RSA-OAEP-256 with A256CBC-HS512). */
const USERINFO_KEY_ALGS = ['RSA-OAEP', 'RSA-OAEP-256'];
const USERINFO_ENC_ALGS = ['A128CBC-HS256', 'A256CBC-HS512'];
const SIGNATURE_ALGS = ['RS256', 'RS512', 'PS256', 'PS512', 'ES256', 'ES512'];

export interface PendingLogin {
  /** The provider asked, by its kind and issuer: ids are for URLs and may change between two discoveries of the federation. */
  kind: 'spid' | 'cie';
  issuer: string;
  state: string;
  nonce: string;
  verifier: string;
  ritorno?: string;
}

export type CallbackResult =
  | { ok: true; identity: FederatedIdentity; acr: string; subject: string }
  | { ok: false; reason: 'denied' | 'invalid' | 'acr' | 'no_fiscal_number' | 'unreachable' | 'trust'; detail?: string };

interface ProviderConfig {
  config: oidc.Configuration;
  /** The provider's signing keys: for its ID tokens and its signed userinfo. */
  keys: JWTVerifyGetKey;
}

export function createFederationRp(deps: {
  db: Db;
  box: SecretBox;
  publicUrl: string;
  directory: ProviderDirectory;
  leaf: FederationLeaf;
  organization: string;
  log?: { warn(o: object, msg: string): void };
  /** Internal addresses (loopback, private networks) reachable for a provider's keys: development and tests only. */
  allowInternal?: boolean;
}) {
  const redirectUri = `${deps.publicUrl}/accedi/federata/ritorno`;
  // Varco's keys, read once per process (a rotation takes a restart, as for the provider): the
  // live one signs (or decrypts), the retired ones of the last day stay published (and decrypt).
  const loaded = new Map<KeyUse, Promise<{ key: CryptoKey; kid: string; jwks: { keys: JWK[] }; all: Map<string, CryptoKey> }>>();
  const keyOf = (use: KeyUse) => {
    let keys = loaded.get(use);
    if (!keys) {
      keys = (async () => {
        const stored = await signingKeys(deps.db, deps.box, use);
        const all = new Map<string, CryptoKey>();
        for (const jwk of stored) {
          const key = await importJWK(jwk, use === 'rp-enc' ? 'RSA-OAEP-256' : 'RS256');
          if (key instanceof Uint8Array) throw new Error(`key ${jwk.kid} is not an RSA key`);
          all.set(jwk.kid, key);
        }
        const live = stored[0];
        const key = all.get(live.kid);
        if (!key) throw new Error(`no ${use} key`);
        return { key, kid: live.kid, jwks: { keys: stored.map(publicJwk) }, all };
      })();
      keys.catch(() => loaded.delete(use));
      loaded.set(use, keys);
    }
    return keys;
  };
  const rpKey = () => keyOf('rp');
  const publicJwks = async (): Promise<{ keys: JWK[] }> => {
    const [sig, enc] = await Promise.all([rpKey(), keyOf('rp-enc')]);
    return { keys: [...sig.jwks.keys, ...enc.jwks.keys] };
  };
  const clientMetadata = (p: ProviderEntry): Partial<oidc.ClientMetadata> => ({
    client_id: p.clientId,
    id_token_signed_response_alg: 'RS256',
    token_endpoint_auth_signing_alg: 'RS256',
    request_object_signing_alg: 'RS256',
  });

  // A pinned provider: its discovery document, once (a failure is not kept: it may answer later).
  const pinnedConfigs = new Map<string, Promise<ProviderConfig>>();
  const pinnedConfig = (p: ProviderEntry) => {
    let pending = pinnedConfigs.get(p.id);
    if (!pending) {
      pending = (async () => {
        const { key, kid } = await rpKey();
        const config = await oidc.discovery(new URL(p.issuer), p.clientId, clientMetadata(p), oidc.PrivateKeyJwt({ key, kid }), {
          execute: p.allowHttp ? [oidc.allowInsecureRequests] : [],
          timeout: 10,
        });
        config[oidc.customFetch] = plainFormFetch;
        const jwksUri = config.serverMetadata().jwks_uri;
        let keys: JWTVerifyGetKey;
        if (p.jwks) keys = createLocalJWKSet(p.jwks);
        else if (jwksUri) keys = createRemoteJWKSet(new URL(jwksUri));
        else throw new Error(`${p.issuer} publishes no jwks_uri and has no pinned keys`);
        return { config, keys };
      })();
      pending.catch(() => pinnedConfigs.delete(p.id));
      pinnedConfigs.set(p.id, pending);
    }
    return pending;
  };

  // A federation's provider: its metadata and keys as its trust chain states them, per chain
  // (a new chain, after the old one expired, gives a new configuration).
  const chainConfigs = new WeakMap<TrustChain, Promise<ProviderConfig>>();
  const chainConfig = (p: ProviderEntry, chain: TrustChain) => {
    let pending = chainConfigs.get(chain);
    if (!pending) {
      pending = (async () => {
        const { key, kid } = await rpKey();
        const metadata = chain.metadata as oidc.ServerMetadata;
        const config = new oidc.Configuration(metadata, p.clientId, clientMetadata(p), oidc.PrivateKeyJwt({ key, kid }));
        if (p.allowHttp) oidc.allowInsecureRequests(config);
        config.timeout = 10;
        config[oidc.customFetch] = plainFormFetch;
        return { config, keys: await providerKeys(p, chain, deps.allowInternal === true) };
      })();
      pending.catch(() => chainConfigs.delete(chain));
      chainConfigs.set(chain, pending);
    }
    return pending;
  };

  /** The provider's configuration now; for a federation's provider, its chain first (a TrustError when it fails). */
  const configFor = async (p: ProviderEntry): Promise<ProviderConfig> => {
    const chain = await deps.directory.chainOf(p);
    return chain ? chainConfig(p, chain) : pinnedConfig(p);
  };

  /**
   * The userinfo as the SPID/CIE rules want it: a JWT signed by the provider, encrypted to
   * Varco's encryption key (RSA-OAEP(-256), A128CBC-HS256 or A256CBC-HS512), about the ID
   * token's subject. A plain JSON answer, or one Varco cannot decrypt or verify, is refused.
   */
  async function userinfo(
    config: oidc.Configuration,
    keys: JWTVerifyGetKey,
    p: ProviderEntry,
    accessToken: string,
    sub: string,
  ): Promise<Record<string, unknown>> {
    const endpoint = config.serverMetadata().userinfo_endpoint;
    if (!endpoint) throw new Error('the provider states no userinfo endpoint');
    const res = await oidc.fetchProtectedResource(config, accessToken, new URL(endpoint), 'GET', undefined, new Headers({ accept: 'application/jwt' }));
    if (res.status !== 200) throw new Error(`userinfo answered ${res.status}`);
    const body = (await res.text()).trim();
    // application/jwt as the rules say; a JSON string holding the JWT is read too (some providers quote it).
    const jwe = body.startsWith('"') ? JSON.parse(body) : body;
    if (typeof jwe !== 'string' || jwe.split('.').length !== 5) throw new Error('userinfo is not an encrypted JWT');
    const enc = await keyOf('rp-enc');
    const { plaintext } = await compactDecrypt(jwe, (header) => (header.kid && enc.all.get(header.kid)) || enc.key, {
      keyManagementAlgorithms: USERINFO_KEY_ALGS,
      contentEncryptionAlgorithms: USERINFO_ENC_ALGS,
    });
    const nested = new TextDecoder().decode(plaintext);
    const { payload } = await jwtVerify(nested, keys, { issuer: config.serverMetadata().issuer, audience: p.clientId, algorithms: SIGNATURE_ALGS });
    if (payload.sub !== sub) throw new Error('userinfo is about another subject');
    return payload;
  }

  return {
    redirectUri,
    directory: deps.directory,

    /** The authorization request (a signed request object by value) and what the callback must find again. Throws a TrustError for a provider no longer trusted. */
    async start(p: ProviderEntry, locale: string, ritorno: string | undefined): Promise<{ url: string; pending: PendingLogin }> {
      const { config } = await configFor(p);
      const pending: PendingLogin = {
        kind: p.kind,
        issuer: p.issuer,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        ...(ritorno ? { ritorno } : {}),
      };
      const params = {
        client_id: p.clientId,
        redirect_uri: redirectUri,
        scope: 'openid',
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        acr_values: p.acrValues.join(' '),
        // SPID/CIE: consent to the attributes at every login, and a fresh authentication; no
        // offline_access, so no refresh token: the login opens Varco's own session.
        prompt: 'consent login',
        ui_locales: locale,
        claims: JSON.stringify({ userinfo: ASKED_CLAIMS }),
      };
      const { key, kid } = await rpKey();
      const url = await oidc.buildAuthorizationUrlWithJAR(config, params, { key, kid });
      return { url: url.href, pending };
    },

    /** The provider's answer: code exchanged, ID token and level checked, attributes read from the encrypted userinfo. */
    async callback(p: ProviderEntry, pending: PendingLogin, currentUrl: URL): Promise<CallbackResult> {
      const error = currentUrl.searchParams.get('error');
      if (error !== null)
        return { ok: false, reason: error === 'access_denied' ? 'denied' : 'invalid', detail: /^[\w.-]{1,60}$/.test(error) ? error : '(invalid error code)' };
      // CIE requires the issuer in the answer (against mix-up); SPID may send it, and then it is checked.
      if (p.kind === 'cie' && !currentUrl.searchParams.has('iss')) return { ok: false, reason: 'invalid', detail: 'no iss in the authorization response' };
      let provider: ProviderConfig;
      try {
        provider = await configFor(p);
      } catch (e) {
        if (e instanceof TrustError) return { ok: false, reason: 'trust', detail: printable(`${e.reason}: ${e.message}`) };
        return { ok: false, reason: 'unreachable', detail: printable(messageOf(e)) };
      }
      const { config, keys } = provider;
      try {
        const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        if (!tokens.id_token) return { ok: false, reason: 'invalid', detail: 'no ID token' };
        const issuer = config.serverMetadata().issuer;
        const { payload, protectedHeader } = await jwtVerify(tokens.id_token, keys, { issuer, audience: p.clientId, algorithms: SIGNATURE_ALGS });
        // SPID/CIE: at_hash is required, and binds the access token to this ID token.
        if (payload.at_hash !== tokenHash(tokens.access_token, protectedHeader.alg))
          return { ok: false, reason: 'invalid', detail: 'at_hash missing or wrong' };
        const acr = typeof payload.acr === 'string' ? payload.acr : '';
        // Level 2 or higher only (R17): what was asked, never less.
        if (!p.acrValues.includes(acr)) return { ok: false, reason: 'acr', detail: printable(acr) };
        const info = await userinfo(config, keys, p, tokens.access_token, String(payload.sub));
        // Varco needs nothing more of the provider: the access token is revoked at once (RFC 7009,
        // as the SPID/CIE rules define the revocation endpoint), so nothing can use it later.
        if (config.serverMetadata().revocation_endpoint)
          await oidc
            .tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' })
            .catch((e: unknown) => deps.log?.warn({ provider: p.id, err: messageOf(e) }, 'access token not revoked'));
        const cf = cfFromClaim(info[FISCAL_NUMBER] ?? info.fiscal_number ?? payload[FISCAL_NUMBER] ?? payload.fiscal_number);
        if (!cf) return { ok: false, reason: 'no_fiscal_number' };
        // eslint-disable-next-line no-control-regex -- a claim with control characters is not taken
        const str = (v: unknown) => (typeof v === 'string' && v.length < 300 && !/[\u0000-\u001f\u007f]/.test(v) ? v.trim() : undefined);
        return {
          ok: true,
          acr,
          subject: printable(String(payload.sub)),
          identity: {
            codiceFiscale: cf,
            nome: str(info.given_name),
            cognome: str(info.family_name),
            dataNascita: str(info.birthdate),
            email: str(info.email),
            cellulare: str(info.phone_number),
          },
        };
      } catch (e) {
        return { ok: false, reason: 'invalid', detail: printable(messageOf(e)) };
      }
    },

    /** Varco's relying-party keys, public half (signature and encryption): for the providers that register Varco. */
    publicJwks,
    /** What /federazione/jwks.json publishes: the relying-party keys and the federation key that signs the entity configuration. */
    async publishedJwks(): Promise<{ keys: JWK[] }> {
      const [rpKeys, federationKey] = await Promise.all([publicJwks(), keyOf('federation')]);
      return { keys: [...rpKeys.keys, ...federationKey.jwks.keys] };
    },

    /**
     * Varco's entity configuration (OpenID Federation 1.0, as the SPID/CIE rules profile it):
     * signed with its federation key, naming its superiors and the trust marks they issued it,
     * with its relying-party metadata (automatic registration, the keys to verify its requests and
     * to encrypt userinfo to it, redirect URI, grants, contacts, organisation).
     */
    async entityConfiguration(now = Math.floor(Date.now() / 1000)): Promise<string> {
      const [federationKey, rpJwks] = await Promise.all([keyOf('federation'), publicJwks()]);
      const contacts = deps.leaf.contacts.length ? { contacts: deps.leaf.contacts } : {};
      return new SignJWT({
        jwks: federationKey.jwks,
        ...(deps.leaf.authorityHints.length ? { authority_hints: deps.leaf.authorityHints } : {}),
        ...(deps.leaf.trustMarks.length ? { trust_marks: deps.leaf.trustMarks } : {}),
        metadata: {
          federation_entity: { organization_name: deps.organization, homepage_uri: deps.publicUrl, ...contacts },
          openid_relying_party: {
            client_id: deps.publicUrl,
            client_name: deps.organization,
            organization_name: deps.organization,
            client_registration_types: ['automatic'],
            application_type: 'web',
            jwks: rpJwks,
            // Also by reference, with the federation key beside the relying-party keys: AgID's
            // validator (case 1.2.4) verifies the entity configuration with the keys of jwks_uri.
            jwks_uri: `${deps.publicUrl}/federazione/jwks.json`,
            redirect_uris: [redirectUri],
            response_types: ['code'],
            // No refresh token is asked (no offline_access): the login opens Varco's own session.
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'RS256',
            id_token_signed_response_alg: 'RS256',
            request_object_signing_alg: 'RS256',
            userinfo_signed_response_alg: 'RS256',
            userinfo_encrypted_response_alg: 'RSA-OAEP-256',
            userinfo_encrypted_response_enc: 'A256CBC-HS512',
            ...contacts,
          },
        },
      })
        .setProtectedHeader({ alg: 'RS256', kid: federationKey.kid, typ: 'entity-statement+jwt' })
        .setIssuer(deps.publicUrl)
        .setSubject(deps.publicUrl)
        .setIssuedAt(now)
        .setExpirationTime(now + 86_400)
        .sign(federationKey.key);
    },
  };
}

export type FederationRp = ReturnType<typeof createFederationRp>;

/**
 * The token, revocation and introspection requests say `application/x-www-form-urlencoded`
 * exactly, as the SPID/CIE rules write it (AgID's validator, case 3.0.0, refuses the
 * `;charset=UTF-8` openid-client adds; the body is ASCII either way).
 */
const plainFormFetch: oidc.CustomFetch = (url, options) => {
  const headers = new Headers(options.headers);
  if (headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) headers.set('content-type', 'application/x-www-form-urlencoded');
  // The body is openid-client's own (a form, a string or bytes), which fetch sends as it is.
  return fetch(url, { method: options.method, headers, body: options.body as BodyInit | null | undefined, redirect: options.redirect, signal: options.signal });
};

/** at_hash of an access token (OpenID Connect Core 3.1.3.6): the left half of its hash with the ID token's algorithm's hash. */
export function tokenHash(accessToken: string, alg: string | undefined): string | undefined {
  const bits = alg?.slice(-3);
  const hash = bits === '256' ? 'sha256' : bits === '384' ? 'sha384' : bits === '512' ? 'sha512' : undefined;
  if (!hash) return undefined;
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * The keys of a federation's provider, read once per chain (a new chain reads them again): inline
 * in its metadata; or its signed JWKS (`jwk-set+jwt`, signed with a federation key its chain
 * states, its `exp` checked when it has one); or its jwks_uri. Both are fetched as federation
 * requests are (https, no internal address, bounded), never from wherever the metadata points.
 */
export async function providerKeys(p: ProviderEntry, chain: TrustChain, allowInternal: boolean): Promise<JWTVerifyGetKey> {
  const m = chain.metadata;
  const inline = m.jwks;
  const get = (url: string, accept: string) =>
    federationGet(url, { accept, allowHttp: p.allowHttp, allowInternal }).catch((e: unknown) => {
      throw e instanceof TrustError ? new TrustError('metadata', `${chain.subject}: its keys: ${e.message}`) : e;
    });
  if (isJwks(inline)) return createLocalJWKSet(inline);
  if (typeof m.signed_jwks_uri === 'string') {
    const jwt = await get(m.signed_jwks_uri, 'application/jwk-set+jwt');
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(chain.jwks), {
      issuer: chain.subject,
      typ: 'jwk-set+jwt',
      algorithms: SIGNATURE_ALGS,
    }).catch((e: unknown) => {
      throw new TrustError('metadata', `${chain.subject}: its signed JWKS: ${messageOf(e)}`);
    });
    if (!isJwks(payload)) throw new TrustError('metadata', `${chain.subject}: its signed JWKS holds no keys`);
    return createLocalJWKSet({ keys: payload.keys });
  }
  if (typeof m.jwks_uri === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await get(m.jwks_uri, 'application/json'));
    } catch (e) {
      throw e instanceof TrustError ? e : new TrustError('metadata', `${chain.subject}: its jwks_uri holds no JSON`);
    }
    if (!isJwks(parsed)) throw new TrustError('metadata', `${chain.subject}: its jwks_uri holds no keys`);
    return createLocalJWKSet({ keys: parsed.keys });
  }
  throw new TrustError('metadata', `${chain.subject} states no keys for its ID tokens (jwks, signed_jwks_uri or jwks_uri)`);
}

function isJwks(v: unknown): v is { keys: JWK[] } {
  return typeof v === 'object' && v !== null && 'keys' in v && Array.isArray(v.keys) && v.keys.length > 0;
}

/** Text from outside for the audit trail: printable, bounded. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
}

function messageOf(error: unknown): string {
  // An OAuth error answer names its code and description (openid-client's ResponseBodyError).
  if (error instanceof oidc.ResponseBodyError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
