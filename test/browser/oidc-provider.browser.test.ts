import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/clients/clients.js';
import { ACR } from '../../src/oidc/provider.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { expectAccessible, launchChromium, newPage, submit } from '../support/browser.js';
import { tokensIssuedTo } from '../support/login-rows.js';
import { givenCitizenWithPin } from '../support/pins.js';
import { startRelyingPartySite } from '../support/relying-party.js';
import { type ServedPortal, serveVarco } from '../support/serve.js';

/**
 * Issue 7: a real relying party (openid-client) performs the whole authorization code flow
 * with PKCE in Chromium against `varco serve` on PostgreSQL, verifies the ID token's signature
 * against the provider's published keys, and reads the acr.
 */
describe('Varco as OpenID Provider, with a real relying party in Chromium', () => {
  let portal: ServedPortal;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startRelyingPartySite>>;
  let secret: string;
  const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });

  beforeAll(async () => {
    [portal, browser, site] = await Promise.all([serveVarco(), launchChromium(), startRelyingPartySite()]);
    ({ secret } = (await addClient(portal.db, portal.box, {
      id: 'rp.prova',
      name: 'Servizio di prova',
      scopes: ['openid', 'profile', 'email', 'phone'],
      redirectUris: [`${site.url}/cb`],
      postLogoutRedirectUris: [`${site.url}/out`],
    })) as { secret: string });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await portal?.close();
  });

  const issuer = () => new URL(`${portal.baseUrl}/oidc`);
  const rpConfig = (clientId: string, auth: oidc.ClientAuth, metadata: Partial<oidc.ClientMetadata> = {}) =>
    oidc.discovery(issuer(), clientId, metadata, auth, { execute: [oidc.allowInsecureRequests] });

  async function authorize(page: Page, config: oidc.Configuration, extra: Record<string, string> = {}, jarKey?: CryptoKey) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const params = {
      redirect_uri: `${site.url}/cb`,
      scope: 'openid profile email phone',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    };
    const url = jarKey ? await oidc.buildAuthorizationUrlWithJAR(config, params, jarKey) : oidc.buildAuthorizationUrl(config, params);
    await page.goto(url.href);
    return { verifier, state };
  }

  async function login(page: Page, cf: string, pin: string) {
    await page.waitForURL('**/accedi?**');
    await page.fill('#f-codiceFiscale', cf);
    await page.fill('#f-pin', pin);
    await submit(page);
  }

  async function verifiedIdToken(config: oidc.Configuration, idToken: string, clientId: string) {
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks, { issuer: issuer().href, audience: clientId });
    expect(protectedHeader.alg).toBe('RS256');
    return payload;
  }

  it('logs in with the PIN, asks consent, and hands a signed ID token with acr ordinario and the consented claims; RP-initiated logout ends the portal session', async () => {
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4' });
    const config = await rpConfig('rp.prova', oidc.ClientSecretBasic(secret));
    const page = await newPage(browser);
    const { verifier, state } = await authorize(page, config);
    await login(page, c.codiceFiscale, 'K7X9M3P4');

    await page.waitForURL('**/autorizza/**');
    expect(await page.textContent('#consent-client')).toContain('Servizio di prova');
    await expectAccessible(page, 'consent');
    // The citizen keeps the phone number to themself.
    await page.click('label[for="scope-phone"]');
    await Promise.all([page.waitForURL(`${site.url}/cb**`), page.click('#consent-allow')]);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
    const claims = await verifiedIdToken(config, tokens.id_token!, 'rp.prova');
    expect(claims.acr).toBe(ACR.ordinario);
    expect(claims.fiscal_number).toBe(`TINIT-${c.codiceFiscale}`);
    expect(claims.given_name).toBe(c.nome);
    expect(claims.family_name).toBe(c.cognome);
    expect(claims.email).toBe('giuseppe.verdi@example.org');
    expect(claims.phone_number).toBeUndefined();
    expect(claims.sub).toBe(c.citizenId);

    const events = await portal.db.selectFrom('audit_events').select(['event', 'subject_cf']).where('event', 'like', 'oidc.%').execute();
    expect(events.map((e) => e.event).sort()).toEqual(['oidc.code_issued', 'oidc.consent', 'oidc.token_issued']);
    expect(events.every((e) => e.subject_cf === c.codiceFiscale)).toBe(true);

    // RP-initiated logout: confirmed by the citizen, it ends the portal session too.
    await page.goto(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${site.url}/out` }).href);
    await expectAccessible(page, 'logout');
    await Promise.all([page.waitForURL(`${site.url}/out**`), page.click('#logout-yes')]);
    await page.goto(`${portal.baseUrl}/bacheca`);
    expect(page.url()).toContain('/accedi?');
    const ended = await portal.db.selectFrom('sessions').select('end_reason').where('citizen_id', '=', c.citizenId).execute();
    expect(ended.map((s) => s.end_reason)).toEqual(['rp_logout']);
  });

  it('a citizen who already consented, after leaving the portal, logs in again and goes straight back to the relying party (the login form ends there)', async () => {
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4' });
    const config = await rpConfig('rp.prova', oidc.ClientSecretBasic(secret));
    const page = await newPage(browser);
    await authorize(page, config);
    await login(page, c.codiceFiscale, 'K7X9M3P4');
    await page.waitForURL('**/autorizza/**');
    await Promise.all([page.waitForURL(`${site.url}/cb**`), page.click('#consent-allow')]);
    // "Esci" on the portal: the provider asks for a login again, the consent stays.
    await page.goto(`${portal.baseUrl}/bacheca`);
    await submit(page, 'form[action="/esci"] button');
    await page.waitForURL('**/accedi?uscito=1');

    const { verifier, state } = await authorize(page, config);
    await page.waitForURL('**/accedi?**');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-pin', 'K7X9M3P4');
    await Promise.all([page.waitForURL(`${site.url}/cb**`), page.click('main button[type="submit"]')]);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
    expect((await verifiedIdToken(config, tokens.id_token!, 'rp.prova')).sub).toBe(c.citizenId);

    // response_mode=form_post: the provider's own page posts the code to the relying party (its script allowed by hash).
    await authorize(page, config, { response_mode: 'form_post' });
    await page.waitForURL(`${site.url}/cb`);
    expect(await page.textContent('main')).toContain('ritorno');

    // RP-initiated logout from this browser too: back to the registered post_logout_redirect_uri.
    await page.goto(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${site.url}/out` }).href);
    await Promise.all([page.waitForURL(`${site.url}/out**`), page.click('#logout-yes')]);
    await page.context().close();
  });

  it('asks a step-up when the relying party wants dispositivo: declined, the relying party gets unmet_authentication_requirements', async () => {
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4' });
    const config = await rpConfig('rp.prova', oidc.ClientSecretBasic(secret));
    const page = await newPage(browser);
    await authorize(page, config, { acr_values: ACR.dispositivo });
    await login(page, c.codiceFiscale, 'K7X9M3P4');
    await page.waitForURL('**/autorizza/**');
    expect(await page.textContent('#step-up')).toContain('Servizio di prova');
    await expectAccessible(page, 'step-up');
    await Promise.all([page.waitForURL(`${site.url}/cb**`), page.click('#step-up-cancel')]);
    expect(new URL(page.url()).searchParams.get('error')).toBe('unmet_authentication_requirements');
  });

  it('private_key_jwt with a signed request object; a dispositivo PIN reaches acr dispositivo, and a second request is answered from the same login', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rp-key-1', alg: 'ES256', use: 'sig' };
    await addClient(portal.db, portal.box, {
      id: 'rp.firmato',
      name: 'Servizio firmato',
      scopes: ['openid', 'profile'],
      redirectUris: [`${site.url}/cb`],
      jwks: { keys: [jwk] },
      minLevel: 'dispositivo',
    });
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4', dispositivo: true });
    const config = await rpConfig('rp.firmato', oidc.PrivateKeyJwt({ key: privateKey, kid: 'rp-key-1' }), { request_object_signing_alg: 'ES256' });
    const page = await newPage(browser);
    const first = await authorize(page, config, { scope: 'openid profile' }, privateKey);
    await login(page, c.codiceFiscale, 'K7X9M3P4');
    await page.waitForURL('**/autorizza/**');
    await Promise.all([page.waitForURL(`${site.url}/cb**`), page.click('#consent-allow')]);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: first.verifier, expectedState: first.state });
    const claims = await verifiedIdToken(config, tokens.id_token!, 'rp.firmato');
    expect(claims.acr).toBe(ACR.dispositivo);
    expect(claims.fiscal_number).toBe(`TINIT-${c.codiceFiscale}`);
    expect(claims.email).toBeUndefined();

    // Same portal session, consent given: straight back with a code.
    const second = await authorize(page, config, { scope: 'openid profile' }, privateKey);
    await page.waitForURL(`${site.url}/cb**`);
    const again = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: second.verifier, expectedState: second.state });
    expect((await verifiedIdToken(config, again.id_token!, 'rp.firmato')).sub).toBe(c.citizenId);
  });

  it('the API machine client gets a scoped token with the client credentials grant and sends a certificate with it', async () => {
    const { secret: apiSecret } = await addClient(portal.db, portal.box, { id: 'medici.prova', name: 'Medici', scopes: ['certificati:write'] });
    const config = await rpConfig('medici.prova', oidc.ClientSecretBasic(apiSecret!));
    const token = await oidc.clientCredentialsGrant(config, { scope: 'certificati:write' });
    expect(token.scope).toBe('certificati:write');
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4' });
    const body = {
      protocollo: '20261124000001',
      codiceFiscale: c.codiceFiscale,
      tipo: 'inizio',
      dataRilascio: '2026-11-20',
      inizioPrognosi: '2026-11-20',
      finePrognosi: '2026-11-25',
      medico: { nome: 'Anna', cognome: 'Bianchi' },
    };
    const sent = await fetch(`${portal.baseUrl}/api/v1/certificati-malattia`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect([200, 201]).toContain(sent.status);
    const forged = await fetch(`${portal.baseUrl}/api/v1/certificati-malattia`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-token-of-ours', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(forged.status).toBe(401);
    expect(await tokensIssuedTo(portal.db, 'medici.prova').select('details').execute()).toHaveLength(1);
  });
});
