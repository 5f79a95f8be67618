import { createLocalJWKSet, createRemoteJWKSet, importJWK, type JWK, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as oidc from 'openid-client';
import type { Db } from '../db/database.js';
import type { SecretBox } from '../security/secret-box.js';
import { publicJwk, signingKey, signingKeys } from '../oidc/keys.js';
import { cfFromClaim, type FederatedIdentity } from './citizens.js';
import type { IdentityProvider } from './providers.js';

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
export function createFederationRp(deps: { db: Db; box: SecretBox; publicUrl: string; providers: IdentityProvider[] }) {
  const configs = new Map<string, Promise<{ config: oidc.Configuration; keys: JWTVerifyGetKey }>>();
  const redirectUri = `${deps.publicUrl}/accedi/federata/ritorno`;
  const rpKey = async () => {
    const jwk = await signingKey(deps.db, deps.box, 'rp');
    return { key: (await importJWK(jwk, 'RS256')) as CryptoKey, kid: jwk.kid! };
  };

  const configFor = (p: IdentityProvider) => {
    let pending = configs.get(p.id);
    if (!pending) {
      pending = (async () => {
        const { key, kid } = await rpKey();
        const config = await oidc.discovery(
          new URL(p.issuer), p.clientId,
          { id_token_signed_response_alg: 'RS256', token_endpoint_auth_signing_alg: 'RS256', request_object_signing_alg: 'RS256' },
          oidc.PrivateKeyJwt({ key, kid }),
          { execute: p.allowHttp ? [oidc.allowInsecureRequests] : [], timeout: 10 },
        );
        const jwksUri = config.serverMetadata().jwks_uri;
        const keys = p.jwks ? createLocalJWKSet(p.jwks as { keys: JWK[] }) : createRemoteJWKSet(new URL(jwksUri!));
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
      const pending: PendingLogin = { provider: p.id, state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), ...(ritorno ? { ritorno } : {}) };
      const params = {
        redirect_uri: redirectUri, scope: 'openid', response_type: 'code', state: pending.state, nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier), code_challenge_method: 'S256',
        acr_values: p.acrValues.join(' '), prompt: 'consent login', ui_locales: locale,
        claims: JSON.stringify({ userinfo: ASKED_CLAIMS }),
      };
      const url = await oidc.buildAuthorizationUrlWithJAR(config, params, await rpKey());
      return { url: url.href, pending };
    },

    /** The provider's answer: code exchanged, ID token and level checked, attributes read. */
    async callback(p: IdentityProvider, pending: PendingLogin, currentUrl: URL): Promise<CallbackResult> {
      const error = currentUrl.searchParams.get('error');
      if (error !== null) return { ok: false, reason: error === 'access_denied' ? 'denied' : 'invalid', detail: /^[\w.-]{1,60}$/.test(error) ? error : '(invalid error code)' };
      let config: oidc.Configuration;
      let keys: JWTVerifyGetKey;
      try {
        ({ config, keys } = await configFor(p));
      } catch (e) {
        return { ok: false, reason: 'unreachable', detail: printable((e as Error).message) };
      }
      try {
        const tokens = await oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
        const { payload } = await jwtVerify(tokens.id_token!, keys, { issuer: config.serverMetadata().issuer, audience: p.clientId, algorithms: ['RS256', 'PS256', 'ES256'] });
        const acr = typeof payload.acr === 'string' ? payload.acr : '';
        // Level 2 or higher only (R17): what was asked, never less.
        if (!p.acrValues.includes(acr)) return { ok: false, reason: 'acr', detail: printable(acr) };
        const info = (await oidc.fetchUserInfo(config, tokens.access_token, String(payload.sub))) as Record<string, unknown>;
        const cf = cfFromClaim(info[FISCAL_NUMBER] ?? info.fiscal_number ?? payload[FISCAL_NUMBER] ?? payload.fiscal_number);
        if (!cf) return { ok: false, reason: 'no_fiscal_number' };
        const str = (v: unknown) => (typeof v === 'string' && v.length < 300 && !/[\u0000-\u001f\u007f]/.test(v) ? v.trim() : undefined);
        return {
          ok: true,
          acr,
          identity: { codiceFiscale: cf, nome: str(info.given_name), cognome: str(info.family_name), dataNascita: str(info.birthdate), email: str(info.email), cellulare: str(info.phone_number) },
        };
      } catch (e) {
        return { ok: false, reason: 'invalid', detail: printable((e as Error).message) };
      }
    },

    /** Varco's relying-party keys, public half: for the providers that register Varco (and its entity configuration). */
    async publicJwks(): Promise<{ keys: JWK[] }> {
      return { keys: (await signingKeys(deps.db, deps.box, 'rp')).map(publicJwk) };
    },
  };
}

export type FederationRp = ReturnType<typeof createFederationRp>;

/** Text from outside for the audit trail: printable, bounded. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
}
