import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { rotateSigningKey } from '../src/oidc/keys.js';
import { ACR } from '../src/oidc/provider.js';
import { buildApp } from '../src/server/app.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { givenCitizenWithPin, loggedInCitizen, loggedInSemplificato } from './support/pins.js';
import { auditOf } from './support/rows.js';
import { RP_REDIRECT, addRelyingParty, authorizationRequest, clientSecretBasic, tokenRequest } from './support/oidc-rp.js';

const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });

/**
 * Issue 7, the provider's rules without a browser (the whole flow in Chromium is in
 * test/browser/oidc-provider.browser.test.ts): PKCE, levels and step-up, semplificato never
 * handed out, consent refused, disabled clients, the provider's session following the portal's.
 */
describe.each(ENGINES)('OpenID Provider rules on %s', (engine) => {
  const t = useTestApp(engine, { VARCO_PIN_SEMPLIFICATO: 'true', VARCO_RESIDENCE_REGISTRY: 'table' });

  /** Follows redirects inside the portal; stops at the relying party (or at a page). */
  async function walk(client: Client, first: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    let res = first;
    for (let i = 0; i < 10 && [302, 303].includes(res.statusCode); i++) {
      const location = String(res.headers.location);
      if (location.startsWith(RP_REDIRECT)) return res;
      res = await client.get(location.replace(/^https?:\/\/[^/]+/, ''));
    }
    return res;
  }

  function authorize(client: Client, clientId: string, extra: Record<string, string> = {}) {
    const { query, verifier } = authorizationRequest(clientId, extra);
    return { verifier, res: client.get(`/oidc/auth?${query}`) };
  }

  const eventsOf = async (event: string, clientId: string) =>
    (
      await auditOf(t.db, { event: event as never })
        .select('details')
        .execute()
    ).filter((e) => (e.details as { clientId?: string }).clientId === clientId);

  const answer = (res: LightMyRequestResponse) => new URL(String(res.headers.location)).searchParams;

  it('refuses an authorization request without PKCE', async () => {
    const rp = await addRelyingParty(t);
    const { client } = await loggedInCitizen(t, hasher);
    const q = new URLSearchParams({ client_id: rp.id, response_type: 'code', scope: 'openid', redirect_uri: RP_REDIRECT, state: 'st' });
    const res = await client.get(`/oidc/auth?${q}`);
    expect(answer(res).get('error')).toBe('invalid_request');
    expect(answer(res).get('error_description')).toContain('PKCE');
  });

  it('never hands a semplificato session to a relying party: the step-up page, and with prompt=none login_required', async () => {
    const rp = await addRelyingParty(t);
    const { client } = await loggedInSemplificato(t, hasher);
    const page = await walk(client, await authorize(client, rp.id).res);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="step-up"');
    const silent = await walk(client, await authorize(client, rp.id, { prompt: 'none' }).res);
    expect(answer(silent).get('error')).toBe('login_required');
    expect(await eventsOf('oidc.code_issued', rp.id)).toEqual([]);
  });

  it('a relying party that asks dispositivo gets it after the citizen logs in again at that level (step-up)', async () => {
    const rp = await addRelyingParty(t, { minLevel: 'dispositivo' });
    const { client, c } = await loggedInCitizen(t, hasher);
    const { res, verifier } = authorize(client, rp.id);
    const stepUp = await walk(client, await res);
    expect(stepUp.body).toContain('id="step-up"');
    const uid = /\/autorizza\/([\w-]+)/.exec(stepUp.body)![1]!;
    // The PIN became dispositivo meanwhile (R15): a new login reaches the level, and the request goes on.
    await t.db.updateTable('credentials').set({ dispositivo: true }).where('id', '=', c.credentialId).execute();
    await client.get(`/accedi?ritorno=/autorizza/${uid}`);
    const consent = await walk(client, await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4', ritorno: `/autorizza/${uid}` }));
    // The login is done: the consent is a new step of the same request.
    const consentUid = /\/autorizza\/([\w-]+)\/consenso/.exec(consent.body)![1]!;
    const back = await walk(client, await client.post(`/autorizza/${consentUid}/consenso`, { scope: 'profile' }));
    const code = answer(back).get('code')!;
    const token = await t.app.inject(tokenRequest(rp, code, verifier));
    expect(token.statusCode).toBe(200);
    const claims = decodeJwt(token.json<{ id_token: string }>().id_token);
    expect(claims.acr).toBe(ACR.dispositivo);
    expect(claims.fiscal_number).toBe(`TINIT-${c.codiceFiscale}`);
    // A code is used once.
    const again = await t.app.inject(tokenRequest(rp, code, verifier));
    expect(again.statusCode).toBe(400);
    expect(await eventsOf('oidc.token_refused', rp.id)).toHaveLength(1);
  });

  it('a first access through a relying party: the new PIN first (R7), then back to the request', async () => {
    const rp = await addRelyingParty(t);
    const initial = 'K7X9M3P4AC24DE67';
    const c = await givenCitizenWithPin(t.db, hasher, { pin: initial, state: 'initial' });
    const client = new Client(t.app);
    const login = await walk(client, await authorize(client, rp.id).res);
    const ritorno = /name="ritorno" value="([^"]+)"/.exec(login.body)![1]!;
    expect(ritorno).toMatch(/^\/autorizza\//);
    const changeAt = await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: initial, ritorno });
    expect(changeAt.headers.location).toBe(`/accedi/cambio-pin?ritorno=${encodeURIComponent(ritorno)}`);
    await client.get(String(changeAt.headers.location));
    const changed = await client.post('/accedi/cambio-pin', { pin: 'W8Y3N6R2', confirm: 'W8Y3N6R2', ritorno });
    expect(changed.headers.location).toBe(ritorno);
    const consent = await walk(client, changed);
    expect(consent.body).toContain('id="consent-allow"');
  });

  it('a refused consent answers access_denied to the relying party', async () => {
    const rp = await addRelyingParty(t);
    const { client } = await loggedInCitizen(t, hasher);
    const consent = await walk(client, await authorize(client, rp.id).res);
    const uid = /\/autorizza\/([\w-]+)\/consenso/.exec(consent.body)![1]!;
    const back = await walk(client, await client.post(`/autorizza/${uid}/annulla`, {}));
    expect(answer(back).get('error')).toBe('access_denied');
  });

  it('after the citizen leaves the portal, the provider asks for a login again instead of answering from its own session', async () => {
    const rp = await addRelyingParty(t);
    const { client } = await loggedInCitizen(t, hasher);
    const consent = await walk(client, await authorize(client, rp.id).res);
    const uid = /\/autorizza\/([\w-]+)\/consenso/.exec(consent.body)![1]!;
    expect(answer(await walk(client, await client.post(`/autorizza/${uid}/consenso`, { scope: 'profile' }))).get('code')).toBeTruthy();
    await client.get('/bacheca');
    await client.post('/esci', {});
    const silent = await walk(client, await authorize(client, rp.id, { prompt: 'none' }).res);
    expect(answer(silent).get('error')).toBe('login_required');
    const asked = await walk(client, await authorize(client, rp.id).res);
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('action="/accedi"');
  });

  it('a code is exchanged once even when several requests bring it at the same instant', async () => {
    const rp = await addRelyingParty(t);
    const { client } = await loggedInCitizen(t, hasher);
    const { res, verifier } = authorize(client, rp.id);
    const consent = await walk(client, await res);
    const uid = /\/autorizza\/([\w-]+)\/consenso/.exec(consent.body)![1]!;
    const code = answer(await walk(client, await client.post(`/autorizza/${uid}/consenso`, { scope: 'profile' }))).get('code')!;
    const attempts = await Promise.all(Array.from({ length: 6 }, () => t.app.inject(tokenRequest(rp, code, verifier))));
    expect(attempts.map((a) => a.statusCode).sort()).toEqual([200, 400, 400, 400, 400, 400]);
  });

  it('names its endpoints after the public address, whatever Host or X-Forwarded-Host a request carries', async () => {
    const res = await t.app.inject({
      url: '/oidc/.well-known/openid-configuration',
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    });
    const meta = res.json<Record<string, string>>();
    expect(meta.issuer).toBe(`${t.config.publicUrl}/oidc`);
    expect(meta.token_endpoint).toBe(`${t.config.publicUrl}/oidc/token`);
    expect(meta.jwks_uri).toBe(`${t.config.publicUrl}/oidc/jwks`);
  });

  it('answers bad input with 400, never 500: NUL in ids, in the query, in the grant type', async () => {
    const rp = await addRelyingParty(t);
    const basicAuth = clientSecretBasic(rp);
    const answers = [
      await t.app.inject({ url: `/oidc/auth?client_id=%00&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(RP_REDIRECT)}` }),
      await t.app.inject({ url: `/oidc/auth?client_id=${rp.id}&response_type=code&scope=openid&state=a%00b&redirect_uri=${encodeURIComponent(RP_REDIRECT)}` }),
      await t.app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: basicAuth,
        payload: `grant_type=authorization_code&code=%00abc&redirect_uri=${encodeURIComponent(RP_REDIRECT)}&code_verifier=${'a'.repeat(43)}`,
      }),
      await t.app.inject({ method: 'POST', url: '/oidc/token', headers: basicAuth, payload: 'grant_type=%00' }),
      await t.app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials&client_id=%00&client_secret=x',
      }),
      await t.app.inject({ method: 'POST', url: '/oidc/token/revocation', headers: basicAuth, payload: 'token=%00abc' }),
    ];
    for (const a of answers) expect(a.statusCode, a.body.slice(0, 200)).toBeLessThan(500);
  });

  it('after a key rotation a restarted process signs with the new key, and the old one stays published', async () => {
    const box = createSecretBox(t.config.secretKey);
    const before = (await t.app.inject({ url: '/oidc/jwks' })).json<{ keys: { kid: string }[] }>().keys.map((k) => k.kid);
    const rotated = await rotateSigningKey(t.db, box, 'op');
    expect(rotated.retired).toBe(before[0]);
    const restarted = await buildApp({ config: t.config, db: t.db, hasher, box, logger: false });
    try {
      expect((await restarted.inject({ url: '/oidc/jwks' })).json<{ keys: { kid: string }[] }>().keys.map((k) => k.kid)).toEqual([rotated.kid, before[0]]);
      const rp = await addRelyingParty(t);
      const { client } = await loggedInCitizen({ ...t, app: restarted }, hasher);
      const { res, verifier } = authorize(client, rp.id);
      const consent = await walk(client, await res);
      const uid = /\/autorizza\/([\w-]+)\/consenso/.exec(consent.body)![1]!;
      const code = answer(await walk(client, await client.post(`/autorizza/${uid}/consenso`, { scope: 'profile' }))).get('code')!;
      const token = await restarted.inject(tokenRequest(rp, code, verifier));
      expect(decodeProtectedHeader(token.json<{ id_token: string }>().id_token).kid).toBe(rotated.kid);
    } finally {
      await restarted.close();
    }
  });

  it('a disabled client is refused at once, at the authorization and at the token endpoint', async () => {
    const rp = await addRelyingParty(t);
    await t.db.updateTable('clients').set({ disabled_at: new Date() }).where('id', '=', rp.id).execute();
    const { client } = await loggedInCitizen(t, hasher);
    const res = await authorize(client, rp.id).res;
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="oidc-error"');
    const token = await t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: clientSecretBasic(rp),
      payload: 'grant_type=client_credentials',
    });
    expect(token.statusCode).toBe(401);
    expect(token.json<{ error: string }>().error).toBe('invalid_client');
  });
});

describe('OpenID Provider rate limits', () => {
  const t = useTestApp('pglite', { VARCO_RATE_LIMIT_REQUESTS: '3' });
  it('limits the browser endpoints per address like the portal pages, and audits the first excess', async () => {
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await t.app.inject({ url: '/oidc/auth?client_id=nobody.here&response_type=code&scope=openid' })).statusCode);
    expect(codes.slice(0, 3).every((c) => c !== 429)).toBe(true);
    expect(codes.slice(3)).toEqual([429, 429]);
    expect(await auditOf(t.db, { event: 'ratelimit.exceeded' }).select('id').execute()).toHaveLength(1);
  });
});
