import type { Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { addClient } from '../../src/clients/clients.js';
import type { Db } from '../../src/db/database.js';
import { ACR } from '../../src/oidc/provider.js';
import type { SecretBox } from '../../src/security/secret-box.js';
import { startRelyingPartySite } from './relying-party.js';

/**
 * At the test identity provider's login form (test/support/spid-provider.ts): the codice fiscale,
 * the level, "Entra"; back at Varco when the page has loaded.
 */
export async function loginAtProvider(page: Page, o: { portalUrl: string; cf: string; acr: string; until?: string }): Promise<void> {
  await page.fill('#cf', o.cf);
  await page.selectOption('#acr', o.acr);
  await Promise.all([page.waitForURL(o.until ?? `${o.portalUrl}/**`), page.click('#idp-login')]);
  await page.waitForLoadState('load');
}

/**
 * A relying party of Varco (a site of its own on the loopback, registered as a client) asking
 * the dispositivo level: when Varco asks the citizen to log in, `enter` takes them from Varco's
 * login page through a SPID or CIE provider (a citizen already logged in goes straight to the
 * consent); the relying party then exchanges the code and returns the ID token's claims.
 */
export async function relyingPartyAskingDispositivo(
  portal: { baseUrl: string; db: Db; box: SecretBox },
  page: Page,
  clientId: string,
  enter?: (ritorno: string) => Promise<void>,
): Promise<oidc.IDToken> {
  const site = await startRelyingPartySite();
  try {
    const { secret } = await addClient(portal.db, portal.box, {
      id: clientId,
      name: 'Servizio',
      scopes: ['openid', 'profile'],
      redirectUris: [`${site.url}/cb`],
    });
    if (!secret) throw new Error('no client secret');
    const config = await oidc.discovery(new URL(`${portal.baseUrl}/oidc`), clientId, {}, oidc.ClientSecretBasic(secret), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${site.url}/cb`,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      acr_values: ACR.dispositivo,
    });
    await page.goto(url.href);
    await page.waitForURL(/\/(accedi\?|autorizza\/)/);
    if (new URL(page.url()).pathname === '/accedi') {
      const ritorno = new URL(page.url()).searchParams.get('ritorno');
      if (!enter || !ritorno?.startsWith('/autorizza/')) throw new Error(`asked to log in, with no way back to the relying party: ${page.url()}`);
      await enter(ritorno);
      await page.waitForURL('**/autorizza/**');
    }
    await Promise.all([page.waitForURL(`${site.url}/cb**`), page.click('#consent-allow')]);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    // Off the site before it closes: Chromium's late request for its icon would find no server.
    await page.goto('about:blank');
    return claims;
  } finally {
    await site.close();
  }
}
