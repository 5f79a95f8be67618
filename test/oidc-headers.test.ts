import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { addClient } from '../src/clients/clients.js';
import { ACR } from '../src/oidc/provider.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { loggedInCitizen } from './support/pins.js';
import { RP_REDIRECT, addRelyingParty, authorizationRequest, clientSecretBasic, tokenRequest } from './support/oidc-rp.js';

const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });
const RP = new URL(RP_REDIRECT).origin;
const POST_LOGOUT = 'https://esci.rp.example.org/out';
const OTHER_RP = 'https://altro.example.net';

/** The directives of a Content-Security-Policy header, by name. */
function csp(res: LightMyRequestResponse): Record<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return Object.fromEntries(
    header
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!, values];
      }),
  );
}

/** What every response of the portal carries, the provider's included (F9). */
function expectPortalHeaders(res: LightMyRequestResponse, label: string, o: { https: boolean }): void {
  const h = res.headers;
  const policy = csp(res);
  expect(policy['default-src'], `${label}: CSP`).toEqual(["'self'"]);
  expect(policy['script-src']?.[0], `${label}: script-src`).toBe("'self'");
  expect(policy['script-src']?.filter((s) => !s.startsWith("'sha256-")).length, `${label}: script-src only self and hashes`).toBe(1);
  expect(policy['frame-ancestors'], `${label}: frame-ancestors`).toEqual(["'none'"]);
  expect(policy['base-uri'], `${label}: base-uri`).toEqual(["'none'"]);
  expect(policy['form-action']?.[0], `${label}: form-action`).toBe("'self'");
  expect(h['x-frame-options'], `${label}: X-Frame-Options`).toBe('DENY');
  expect(h['x-content-type-options'], `${label}: nosniff`).toBe('nosniff');
  expect(h['referrer-policy'], `${label}: Referrer-Policy`).toBe('same-origin');
  if (o.https) expect(h['strict-transport-security'], `${label}: HSTS`).toBe('max-age=31536000; includeSubDomains');
  else expect(h['strict-transport-security'], `${label}: no HSTS over http`).toBeUndefined();
  if (String(h['content-type'] ?? '').startsWith('text/html')) expect(String(h['cache-control']), `${label}: no-store`).toContain('no-store');
}

const formAction = (res: LightMyRequestResponse) => csp(res)['form-action'];

/**
 * F9 (issue 12): the provider's routes hijack the reply, so its answers (the logout
 * confirmation, its error pages, its JSON) skipped the portal's security headers. And issue 13:
 * the pages whose form ends at a relying party name its registered origins in form-action,
 * those only, and only there.
 */
describe.each(ENGINES)('the OpenID Provider answers with the portal security headers on %s', (engine) => {
  for (const https of [true, false]) {
    describe(https ? 'public address https' : 'public address http', () => {
      const t = useTestApp(engine, https ? { VARCO_PUBLIC_URL: 'https://varco.example.org' } : {});
      const base = () => t.config.publicUrl;

      async function relyingParty() {
        const rp = await addRelyingParty(t, { postLogoutRedirectUris: [POST_LOGOUT] });
        // Another client's origins never reach this client's pages.
        await addClient(t.db, createSecretBox(t.config.secretKey), {
          id: `${rp.id}.altro`,
          name: 'Altro',
          scopes: ['openid'],
          redirectUris: [`${OTHER_RP}/cb`],
          postLogoutRedirectUris: [`${OTHER_RP}/out`],
        });
        return rp;
      }

      const local = (location: unknown) => String(location).replace(/^https?:\/\/[^/]+/, '');

      /** The walk of a relying party's request, every answer kept. */
      async function codeFlow(client: Client, clientId: string, seen: [string, LightMyRequestResponse][], extra: Record<string, string> = {}) {
        const { query, verifier } = authorizationRequest(clientId, { nonce: 'n', ...extra });
        let res = await client.get(`/oidc/auth?${query}`);
        seen.push(['authorization → interaction', res]);
        for (let i = 0; i < 10 && res.statusCode === 303 && !String(res.headers.location).startsWith(RP); i++) {
          const at = local(res.headers.location);
          res = await client.get(at);
          seen.push([at.split('?')[0]!, res]);
          const uid = /\/autorizza\/([\w-]+)\/consenso/.exec(res.body)?.[1];
          if (uid) {
            res = await client.post(`/autorizza/${uid}/consenso`, { scope: 'profile' });
            seen.push(['consent', res]);
          }
        }
        return { verifier, last: res };
      }

      it('every endpoint, its errors, the logout confirmation and the form_post answer', async () => {
        const rp = await relyingParty();
        const { client } = await loggedInCitizen(t, hasher);
        const seen: [string, LightMyRequestResponse][] = [];
        const basic = clientSecretBasic(rp);

        seen.push(['discovery', await t.app.inject({ url: '/oidc/.well-known/openid-configuration' })]);
        seen.push(['jwks', await t.app.inject({ url: '/oidc/jwks' })]);
        seen.push(['unknown provider path', await t.app.inject({ url: '/oidc/non-esiste' })]);
        const unknownClient = await t.app.inject({ url: '/oidc/auth?client_id=nobody&response_type=code&scope=openid' });
        expect(unknownClient.statusCode).toBe(400);
        expect(unknownClient.body).toContain('id="oidc-error"');
        seen.push(['authorization error page', unknownClient]);
        seen.push(['control characters (refused before the provider)', await t.app.inject({ url: '/oidc/auth?client_id=%01' })]);
        seen.push(['userinfo without token', await t.app.inject({ url: '/oidc/me' })]);
        seen.push([
          'token error',
          await t.app.inject({ method: 'POST', url: '/oidc/token', headers: basic, payload: 'grant_type=authorization_code&code=nope' }),
        ]);
        seen.push(['revocation', await t.app.inject({ method: 'POST', url: '/oidc/token/revocation', headers: basic, payload: 'token=nope' })]);

        const { verifier, last } = await codeFlow(client, rp.id, seen);
        expect(String(last.headers.location)).toMatch(/^https:\/\/rp\.example\.org\/cb\?code=/);
        const code = new URL(String(last.headers.location)).searchParams.get('code')!;
        const token = await t.app.inject(tokenRequest(rp, code, verifier));
        expect(token.statusCode).toBe(200);
        seen.push(['token', token]);
        const { id_token: idToken, access_token: accessToken } = token.json<{ id_token: string; access_token: string }>();
        seen.push(['userinfo', await t.app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${accessToken}` } })]);

        // response_mode=form_post: the provider's own page posts the code to the relying party.
        const formPost = await codeFlow(client, rp.id, seen, { response_mode: 'form_post' });
        expect(formPost.last.statusCode).toBe(200);
        expect(formPost.last.body).toContain(`action="${RP_REDIRECT}"`);
        expect(formAction(formPost.last)).toEqual(["'self'", RP]);
        expect(csp(formPost.last)['script-src']).toHaveLength(2);
        const inline = /<script>([\s\S]*?)<\/script>/.exec(formPost.last.body)![1]!;
        expect(csp(formPost.last)['script-src']![1]).toBe(`'sha256-${createHash('sha256').update(inline).digest('base64')}'`);

        // The logout confirmation: its form ends at the client's registered post-logout address.
        const logout = await client.get(`/oidc/session/end?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT })}`);
        expect(logout.statusCode).toBe(200);
        expect(logout.body).toContain('id="logout-yes"');
        expect(formAction(logout)).toEqual(["'self'", 'https://esci.rp.example.org']);
        seen.push(['logout confirmation', logout]);
        const unregistered = await client.get(
          `/oidc/session/end?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${OTHER_RP}/out` })}`,
        );
        expect(unregistered.statusCode).toBe(400);
        expect(formAction(unregistered)).toEqual(["'self'"]);
        seen.push(['logout error page', unregistered]);
        const xsrf = /name="xsrf" value="([^"]+)"/.exec(logout.body)![1]!;
        const confirm = await client.post('/oidc/session/end/confirm', { xsrf, logout: 'yes' }, { csrf: false });
        expect(confirm.statusCode).toBe(303);
        expect(String(confirm.headers.location)).toMatch(/^https:\/\/esci\.rp\.example\.org\/out/);
        seen.push(['logout confirmed', confirm]);
        seen.push(['logout without a client', await client.get('/oidc/session/end')]);
        seen.push(['after logout', await client.get('/oidc/session/end/success')]);

        expect(seen.length).toBeGreaterThan(18);
        for (const [label, res] of seen) {
          expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
          expectPortalHeaders(res, label, { https });
        }
        // Only the pages of this client's request name an origin, and only its own.
        for (const [label, res] of seen) expect(formAction(res)?.includes(OTHER_RP), label).toBe(false);
        expect(base()).toMatch(https ? /^https:/ : /^http:/);
      });

      it('the consent, step-up and login pages of a request name the client origins; a bogus or absent ritorno names none', async () => {
        const rp = await relyingParty();
        const anonymous = new Client(t.app);
        const { query: q } = authorizationRequest(rp.id);
        const toInteraction = await anonymous.get(`/oidc/auth?${q}`);
        const interaction = local(toInteraction.headers.location);
        expect(interaction).toMatch(/^\/autorizza\/[\w-]+$/);
        const toLogin = await anonymous.get(interaction);
        expect(formAction(toLogin)).toEqual(["'self'", RP]);
        const login = await anonymous.get(local(toLogin.headers.location));
        expect(login.statusCode).toBe(200);
        expect(formAction(login)).toEqual(["'self'", RP]);
        expectPortalHeaders(login, 'login of a request', { https });
        // A refused login re-renders the same page: the same policy.
        const refused = await anonymous.post('/accedi', { codiceFiscale: 'RSSMRA80A01H501U', pin: 'WRONG123', ritorno: interaction });
        expect(refused.statusCode).toBe(401);
        expect(formAction(refused)).toEqual(["'self'", RP]);

        for (const ritorno of [undefined, '/bacheca', '/autorizza/non-esiste', `/autorizza/${'x'.repeat(70)}`]) {
          const page = await anonymous.get(`/accedi${ritorno ? `?ritorno=${encodeURIComponent(ritorno)}` : ''}`);
          expect(formAction(page), String(ritorno)).toEqual(["'self'"]);
          expectPortalHeaders(page, `login, ritorno ${ritorno}`, { https });
        }
        for (const path of ['/', '/pin', '/pin/richiesta', '/non-esiste']) expect(formAction(await anonymous.get(path)), path).toEqual(["'self'"]);

        // Logged in, below the level asked: the step-up page.
        const { client } = await loggedInCitizen(t, hasher);
        const untilPage = async (res: LightMyRequestResponse) => {
          for (let i = 0; i < 10 && res.statusCode === 303 && !String(res.headers.location).startsWith(RP); i++)
            res = await client.get(local(res.headers.location));
          return res;
        };
        const stepUp = await untilPage(await client.get(`/oidc/auth?${new URLSearchParams({ ...Object.fromEntries(q), acr_values: ACR.dispositivo })}`));
        expect(stepUp.body).toContain('id="step-up"');
        expect(formAction(stepUp)).toEqual(["'self'", RP]);
        const consent = await untilPage(await client.get(`/oidc/auth?${q}`));
        expect(consent.body).toContain('id="consent-allow"');
        expect(formAction(consent)).toEqual(["'self'", RP]);
        expectPortalHeaders(consent, 'consent', { https });
      });
    });
  }
});
