import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { decodeJwt, type JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';
import { z } from 'zod';

export const SPID_ACR = ['https://www.spid.gov.it/SpidL1', 'https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3'];
export const CIE_ACR = ['CIE_L1', 'CIE_L2', 'CIE_L3'];
const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';

export interface Person {
  codiceFiscale: string;
  nome: string;
  cognome: string;
  dataNascita: string;
  email?: string;
}

/**
 * What a SPID/CIE provider registers of Varco, as automatic registration does: the relying
 * party metadata of Varco's entity configuration (client id, redirect URIs, its signing and
 * encryption keys, how it wants the userinfo).
 */
async function varcoAsClient(varcoUrl: string): Promise<ClientMetadata> {
  const res = await fetch(`${varcoUrl}/.well-known/openid-federation`);
  if (res.headers.get('content-type') !== 'application/entity-statement+jwt') throw new Error('Varco publishes no entity configuration');
  const claims = decodeJwt(await res.text());
  const rp = (claims.metadata as { openid_relying_party: Record<string, unknown> }).openid_relying_party;
  // What the SPID/CIE rules allow Varco to ask for its userinfo: anything else fails the test here.
  const userinfo = z
    .object({
      userinfo_signed_response_alg: z.enum(['RS256', 'RS512']),
      userinfo_encrypted_response_alg: z.enum(['RSA-OAEP', 'RSA-OAEP-256']),
      userinfo_encrypted_response_enc: z.enum(['A128CBC-HS256', 'A256CBC-HS512']),
    })
    .parse(rp);
  return {
    client_id: String(rp.client_id),
    redirect_uris: rp.redirect_uris as string[],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    request_object_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    ...userinfo,
    jwks: rp.jwks as { keys: JWK[] } as never,
  };
}

/**
 * A SPID-like identity provider for the tests: a second, real `oidc-provider` on the loopback,
 * configured as the SPID/CIE OIDC profile wants (signed request objects required, PKCE,
 * private_key_jwt, the claims parameter, SPID acr values, the userinfo signed then encrypted to
 * Varco's key). It registers Varco from Varco's entity configuration. Its login page is a plain
 * form: the codice fiscale of a registered person and the level of the login, or "Annulla".
 * `people` is read at each login, so a test may add to it. With `federation`, it also publishes
 * its entity configuration (signed by the stand-in federation) at /.well-known/openid-federation.
 */
export async function startSpidProvider(o: {
  port: number;
  /** Varco's address (a function, when the provider starts before Varco: it is read at the first login). */
  varcoUrl: string | (() => string);
  people: Person[];
  federation?: { configuration(): Promise<string> };
  /** The provider's signing keys (private JWKs); by default oidc-provider's development key. */
  jwks?: { keys: JWK[] };
}): Promise<{ issuer: string; metadata(): Record<string, unknown>; close(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${o.port}`;
  // Built at the first OpenID Connect request, when Varco (whose entity configuration registers it) is up.
  let built: Promise<Provider> | undefined;
  const ready = () => (built ??= build());
  const build = async () => {
    const configuration: Configuration = {
      clients: [await varcoAsClient(typeof o.varcoUrl === 'string' ? o.varcoUrl : o.varcoUrl())],
      routes: ROUTES,
      ...(o.jwks ? { jwks: o.jwks as never } : {}),
      acrValues: [...SPID_ACR, ...CIE_ACR],
      claims: {
        acr: null,
        auth_time: null,
        iss: null,
        sid: null,
        openid: ['sub'],
        [FISCAL_NUMBER]: null,
        given_name: null,
        family_name: null,
        birthdate: null,
        email: null,
      },
      features: {
        devInteractions: { enabled: false },
        claimsParameter: { enabled: true },
        requestObjects: { request: true, requestUri: false, requireSignedRequestObject: true },
        userinfo: { enabled: true },
        jwtUserinfo: { enabled: true },
        encryption: { enabled: true },
      },
      pkce: { methods: ['S256'], required: () => true },
      clientAuthMethods: ['private_key_jwt'],
      cookies: { keys: ['spid-test-provider-cookie-key'] },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: async (_ctx, sub) => {
        const p = o.people.find((x) => x.codiceFiscale === sub); // the test adds people as it goes
        if (!p) return undefined;
        return {
          accountId: sub,
          claims: () => ({
            sub,
            [FISCAL_NUMBER]: `TINIT-${p.codiceFiscale}`,
            given_name: p.nome,
            family_name: p.cognome,
            birthdate: p.dataNascita,
            ...(p.email ? { email: p.email } : {}),
          }),
        };
      },
    };
    const provider = new Provider(issuer, configuration);
    provider.on('server_error', (_ctx, err) => console.error('test identity provider:', err));
    return provider;
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const provider = await ready();
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="it"><head><title>Identity provider di prova</title></head><body><main><h1>Identity provider di prova</h1>
<form method="post"><label for="cf">Codice fiscale</label><input id="cf" name="cf">
<label for="acr">Livello</label><select id="acr" name="acr">${[...SPID_ACR, ...CIE_ACR].map((a) => `<option>${a}</option>`).join('')}</select>
<button type="submit" id="idp-login">Entra</button><button type="submit" name="annulla" value="1" id="idp-cancel">Annulla</button></form></main></body></html>`);
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    if (form.get('annulla')) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled' }, { mergeWithLastSubmission: false });
      return;
    }
    const cf = form.get('cf') ?? '';
    const grant = new provider.Grant({ accountId: cf, clientId: String(details.params.client_id) });
    grant.addOIDCScope('openid');
    const asked = JSON.parse(String(details.params.claims ?? '{}')) as { userinfo?: Record<string, unknown>; id_token?: Record<string, unknown> };
    grant.addOIDCClaims([...Object.keys(asked.userinfo ?? {}), ...Object.keys(asked.id_token ?? {})]);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: cf, acr: form.get('acr') ?? SPID_ACR[1] }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };

  const server = createServer((req, res) => {
    // Chromium asks every site for its icon: a 404 would be a console error of the test.
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.url === '/.well-known/openid-federation' && o.federation) {
      o.federation.configuration().then(
        (jwt) => res.writeHead(200, { 'content-type': 'application/entity-statement+jwt' }).end(jwt),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
      return;
    }
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((e) => {
        res.writeHead(500);
        res.end(String(e));
      });
      return;
    }
    ready().then(
      (provider) => provider.callback()(req, res),
      (e: unknown) => res.writeHead(500).end(String(e)),
    );
  });
  await new Promise<void>((r) => server.listen(o.port, '127.0.0.1', r));
  return {
    issuer,
    /** Its OpenID provider metadata as a SPID/CIE federation publishes it (endpoints, keys, what it supports). */
    metadata: () => ({
      issuer,
      authorization_endpoint: `${issuer}${ROUTES.authorization}`,
      token_endpoint: `${issuer}${ROUTES.token}`,
      userinfo_endpoint: `${issuer}${ROUTES.userinfo}`,
      revocation_endpoint: `${issuer}${ROUTES.revocation}`,
      introspection_endpoint: `${issuer}${ROUTES.introspection}`,
      jwks: { keys: (o.jwks?.keys ?? []).map(({ kty, kid, n, e, alg, use }) => ({ kty, kid, n, e, alg, use })) },
      response_types_supported: ['code'],
      scopes_supported: ['openid'],
      acr_values_supported: [...SPID_ACR, ...CIE_ACR],
      id_token_signing_alg_values_supported: ['RS256'],
      userinfo_signing_alg_values_supported: ['RS256'],
      userinfo_encryption_alg_values_supported: ['RSA-OAEP', 'RSA-OAEP-256'],
      userinfo_encryption_enc_values_supported: ['A128CBC-HS256', 'A256CBC-HS512'],
      request_object_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      code_challenge_methods_supported: ['S256'],
      request_parameter_supported: true,
      authorization_response_iss_parameter_supported: true,
      client_registration_types_supported: ['automatic'],
      subject_types_supported: ['pairwise', 'public'],
      organization_name: 'IdP federato di prova',
    }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** oidc-provider's endpoints, named here so the federation's metadata states the same ones. */
const ROUTES = {
  authorization: '/auth',
  token: '/token',
  userinfo: '/me',
  jwks: '/jwks',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
  end_session: '/session/end',
} as const;
