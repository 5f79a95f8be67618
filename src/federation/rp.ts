import { createLocalJWKSet, createRemoteJWKSet, importJWK, type JWK, jwtVerify, type JWTVerifyGetKey, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import type { Db } from '../db/database.js';
import type { SecretBox } from '../security/secret-box.js';
import { type KeyUse, publicJwk, signingKeys } from '../oidc/keys.js';
import type { FederationLeaf } from '../config/federation-leaf.js';
import { cfFromClaim, type FederatedIdentity } from './citizens.js';
import type { IdentityProvider } from '../config/identity-providers.js';

/** SPID's attribute names (https://attributes.eid.gov.it/…), and the plain OpenID ones. */
const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';
const ASKED_CLAIMS = { [FISCAL_NUMBER]: { essential: true }, given_name: null, family_name: null, birthdate: null, email: null, phone_number: null };

export interface PendingLogin {
  provider: string;
  state: string;
  nonce: string;
  verifier: string;
  ritorno?: string;
}

export type CallbackResult =
  | { ok: true; identity: FederatedIdentity; acr: string }
  | { ok: false; reason: 'denied' | 'invalid' | 'acr' | 'no_fiscal_number' | 'unreachable'; detail?: string };

/**
 * Varco as relying party of SPID and CIE OpenID Connect providers, on `openid-client`: a signed
 * request object (RS256, Varco's 'rp' key), PKCE S256, state and nonce, `acr_values` of level 2
 * or higher, `private_key_jwt` at the token endpoint; the ID token's signature is checked
 * against the provider's keys (pinned in the file, or its jwks_uri), its acr against the level
 * asked, and the codice fiscale is read from the userinfo (`fiscal_number`).
 */
export function createFederationRp(deps: {
  db: Db;
  box: SecretBox;
  publicUrl: string;
  providers: IdentityProvider[];
  leaf: FederationLeaf;
  organization: string;
}) {
  const configs = new Map<string, Promise<{ config: oidc.Configuration; keys: JWTVerifyGetKey }>>();
  const redirectUri = `${deps.publicUrl}/accedi/federata/ritorno`;
  // Varco's keys, read once per process (a rotation takes a restart, as for the provider): the
  // live one signs (or decrypts), the retired ones of the last day stay published.
  const loaded = new Map<KeyUse, Promise<{ key: CryptoKey; kid: string; jwks: { keys: JWK[] } }>>();
  const keyOf = (use: KeyUse) => {
    let keys = loaded.get(use);
    if (!keys) {
      keys = (async () => {
        const all = await signingKeys(deps.db, deps.box, use);
        const live = all[0];
        const key = await importJWK(live, use === 'rp-enc' ? 'RSA-OAEP-256' : 'RS256');
        if (key instanceof Uint8Array) throw new Error(`key ${live.kid} is not an RSA key`);
        return { key, kid: live.kid, jwks: { keys: all.map(publicJwk) } };
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

  const configFor = (p: IdentityProvider) => {
    let pending = configs.get(p.id);
    if (!pending) {
      pending = (async () => {
        const { key, kid } = await rpKey();
        const config = await oidc.discovery(
          new URL(p.issuer),
          p.clientId,
          { id_token_signed_response_alg: 'RS256', token_endpoint_auth_signing_alg: 'RS256', request_object_signing_alg: 'RS256' },
          oidc.PrivateKeyJwt({ key, kid }),
          { execute: p.allowHttp ? [oidc.allowInsecureRequests] : [], timeout: 10 },
        );
        const jwksUri = config.serverMetadata().jwks_uri;
        let keys: JWTVerifyGetKey;
        if (p.jwks) keys = createLocalJWKSet(p.jwks);
        else if (jwksUri) keys = createRemoteJWKSet(new URL(jwksUri));
        else throw new Error(`${p.issuer} publishes no jwks_uri and has no pinned keys`);
        return { config, keys };
      })();
      // A provider that is down now may answer later: a failed discovery is not kept.
      pending.catch(() => configs.delete(p.id));
      configs.set(p.id, pending);
    }
    return pending;
  };

  return {
    providers: deps.providers,
    redirectUri,
    find: (id: string) => deps.providers.find((p) => p.id === id),

    /** The authorization request (a signed request object by value) and what the callback must find again. */
    async start(p: IdentityProvider, locale: string, ritorno: string | undefined): Promise<{ url: string; pending: PendingLogin }> {
      const { config } = await configFor(p);
      const pending: PendingLogin = {
        provider: p.id,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        ...(ritorno ? { ritorno } : {}),
      };
      const params = {
        redirect_uri: redirectUri,
        scope: 'openid',
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        acr_values: p.acrValues.join(' '),
        prompt: 'consent login',
        ui_locales: locale,
        claims: JSON.stringify({ userinfo: ASKED_CLAIMS }),
      };
      const { key, kid } = await rpKey();
      const url = await oidc.buildAuthorizationUrlWithJAR(config, params, { key, kid });
      return { url: url.href, pending };
    },

    /** The provider's answer: code exchanged, ID token and level checked, attributes read. */
    async callback(p: IdentityProvider, pending: PendingLogin, currentUrl: URL): Promise<CallbackResult> {
      const error = currentUrl.searchParams.get('error');
      if (error !== null)
        return { ok: false, reason: error === 'access_denied' ? 'denied' : 'invalid', detail: /^[\w.-]{1,60}$/.test(error) ? error : '(invalid error code)' };
      let config: oidc.Configuration;
      let keys: JWTVerifyGetKey;
      try {
        ({ config, keys } = await configFor(p));
      } catch (e) {
        return { ok: false, reason: 'unreachable', detail: printable(messageOf(e)) };
      }
      try {
        const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        if (!tokens.id_token) return { ok: false, reason: 'invalid', detail: 'no ID token' };
        const { payload } = await jwtVerify(tokens.id_token, keys, {
          issuer: config.serverMetadata().issuer,
          audience: p.clientId,
          algorithms: ['RS256', 'PS256', 'ES256'],
        });
        const acr = typeof payload.acr === 'string' ? payload.acr : '';
        // Level 2 or higher only (R17): what was asked, never less.
        if (!p.acrValues.includes(acr)) return { ok: false, reason: 'acr', detail: printable(acr) };
        const info: Record<string, unknown> = await oidc.fetchUserInfo(config, tokens.access_token, String(payload.sub));
        const cf = cfFromClaim(info[FISCAL_NUMBER] ?? info.fiscal_number ?? payload[FISCAL_NUMBER] ?? payload.fiscal_number);
        if (!cf) return { ok: false, reason: 'no_fiscal_number' };
        // eslint-disable-next-line no-control-regex -- a claim with control characters is not taken
        const str = (v: unknown) => (typeof v === 'string' && v.length < 300 && !/[\u0000-\u001f\u007f]/.test(v) ? v.trim() : undefined);
        return {
          ok: true,
          acr,
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
            redirect_uris: [redirectUri],
            response_types: ['code'],
            grant_types: ['authorization_code', 'refresh_token'],
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

/** Text from outside for the audit trail: printable, bounded. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
