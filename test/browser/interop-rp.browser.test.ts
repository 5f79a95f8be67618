import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/clients/clients.js';
import { ACR } from '../../src/oidc/provider.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { launchChromium, newPage, submit } from '../support/browser.js';
import { tokensIssuedTo } from '../support/login-rows.js';
import { givenCitizenWithPin } from '../support/pins.js';
import { type ServedPortal, freePort, serveVarco } from '../support/serve.js';
import { type Relying, startApacheRp, startAuthlibRp } from '../interop/relying-parties.js';

/**
 * Issue 13 §1: relying parties written by neither side, installed from Debian packages
 * (Apache's mod_auth_openidc, Python's Authlib with Flask), complete the authorization code flow
 * with PKCE S256 in Chromium against `varco serve` on PostgreSQL, with the production CSP
 * (newPage fails the test on any CSP violation or console error), and read acr, fiscal_number
 * and the names from what they received. The Apache one also does RP-initiated logout.
 */
describe('independent relying parties from Debian packages against varco serve', () => {
  let portal: ServedPortal;
  let browser: Browser;
  let apache: Relying;
  let authlib: Relying;
  const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });

  beforeAll(async () => {
    [portal, browser] = await Promise.all([serveVarco(), launchChromium()]);
    const issuer = `${portal.baseUrl}/oidc`;
    const [apachePort, authlibPort] = [await freePort(), await freePort()];
    const { secret: apacheSecret } = await addClient(portal.db, portal.box, {
      id: 'rp.apache',
      name: 'Servizio Apache',
      scopes: ['openid', 'profile'],
      redirectUris: [`http://127.0.0.1:${apachePort}/protected/redirect_uri`],
      postLogoutRedirectUris: [`http://127.0.0.1:${apachePort}/loggedout`],
    });
    const { secret: authlibSecret } = await addClient(portal.db, portal.box, {
      id: 'rp.authlib',
      name: 'Servizio Authlib',
      scopes: ['openid', 'profile'],
      redirectUris: [`http://127.0.0.1:${authlibPort}/callback`],
    });
    apache = await startApacheRp({ port: apachePort, issuer, clientId: 'rp.apache', clientSecret: apacheSecret!, scope: 'openid profile' });
    authlib = await startAuthlibRp({ port: authlibPort, issuer, clientId: 'rp.authlib', clientSecret: authlibSecret! });
  });
  afterAll(async () => {
    await apache?.close();
    await authlib?.close();
    await browser?.close();
    await portal?.close();
  });

  /** On Varco's /accedi (reached through the relying party's authorization request): PIN login, then consent. */
  async function loginAndConsent(page: Page, cf: string, rpUrl: string, clientName: string) {
    await page.waitForURL(`${portal.baseUrl}/accedi?**`);
    await page.fill('#f-codiceFiscale', cf);
    await page.fill('#f-pin', 'K7X9M3P4');
    await submit(page);
    await page.waitForURL('**/autorizza/**');
    expect(await page.textContent('#consent-client')).toContain(clientName);
    await Promise.all([page.waitForURL(`${rpUrl}/**`), page.click('#consent-allow')]);
  }

  /** The authorization requests the page sends to Varco's authorization endpoint. */
  function authorizationRequests(page: Page): URL[] {
    const seen: URL[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin === portal.baseUrl && u.pathname.startsWith('/oidc/auth') && u.searchParams.has('client_id')) seen.push(u);
    });
    return seen;
  }

  /** What the relying party asked: the code flow with a S256 code challenge. */
  function expectPkceS256(requests: URL[], clientId: string) {
    expect(requests.length).toBeGreaterThan(0);
    const q = requests[0]!.searchParams;
    expect(q.get('client_id')).toBe(clientId);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  }

  /**
   * The relying party shows the claims of the citizen's ID token (acr, fiscal_number, names, sub);
   * it asked for the code flow with PKCE S256, and got one token.
   */
  async function expectSignedIn(page: Page, rp: Relying, clientId: string, c: Awaited<ReturnType<typeof givenCitizenWithPin>>, requests: URL[]) {
    expect(await claimsShown(page), rp.output()).toEqual({
      acr: ACR.ordinario,
      fiscal_number: `TINIT-${c.codiceFiscale}`,
      given_name: c.nome,
      family_name: c.cognome,
      sub: c.citizenId,
    });
    expectPkceS256(requests, clientId);
    expect(await tokensIssuedTo(portal.db, clientId).select('event').execute()).toHaveLength(1);
  }

  async function claimsShown(page: Page) {
    await page.waitForSelector('#claim-acr');
    const text = async (n: string) => (await page.textContent(`#claim-${n}`))?.trim();
    return {
      acr: await text('acr'),
      fiscal_number: await text('fiscal_number'),
      given_name: await text('given_name'),
      family_name: await text('family_name'),
      sub: await text('sub'),
    };
  }

  it('Apache mod_auth_openidc: code flow with PKCE S256, the claims reach the protected page; RP-initiated logout ends the portal session', async () => {
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4' });
    const page = await newPage(browser);
    const requests = authorizationRequests(page);
    await page.goto(`${apache.url}/protected/`);
    await loginAndConsent(page, c.codiceFiscale, apache.url, 'Servizio Apache');
    await page.waitForURL(`${apache.url}/protected/**`);
    await expectSignedIn(page, apache, 'rp.apache', c, requests);

    // RP-initiated logout: mod_auth_openidc sends the browser to Varco's end_session_endpoint
    // with id_token_hint and post_logout_redirect_uri; the citizen confirms there.
    await page.goto(`${apache.url}/protected/redirect_uri?logout=${encodeURIComponent(`${apache.url}/loggedout`)}`);
    await page.waitForSelector('#logout-yes');
    expect(page.url().startsWith(`${portal.baseUrl}/`)).toBe(true);
    await Promise.all([page.waitForURL(`${apache.url}/loggedout**`), page.click('#logout-yes')]);
    expect(await page.textContent('#loggedout')).toContain('Uscito');
    await page.goto(`${portal.baseUrl}/bacheca`);
    expect(page.url()).toContain('/accedi?');
    const ended = await portal.db.selectFrom('sessions').select('end_reason').where('citizen_id', '=', c.citizenId).execute();
    expect(ended.map((s) => s.end_reason)).toEqual(['rp_logout']);
    // mod_auth_openidc's own session is gone too: the protected page asks Varco again.
    await page.goto(`${apache.url}/protected/`);
    await page.waitForURL(`${portal.baseUrl}/accedi?**`);
  });

  it('Flask + Authlib: code flow with PKCE S256, the ID token claims reach the relying party', async () => {
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4' });
    const page = await newPage(browser);
    const requests = authorizationRequests(page);
    await page.goto(`${authlib.url}/`);
    await Promise.all([page.waitForURL(`${portal.baseUrl}/accedi?**`), page.click('#login')]);
    await loginAndConsent(page, c.codiceFiscale, authlib.url, 'Servizio Authlib');
    await page.waitForURL(`${authlib.url}/callback**`);
    await expectSignedIn(page, authlib, 'rp.authlib', c, requests);
  });
});
