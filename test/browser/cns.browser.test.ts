import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, newPage } from '../support/browser.js';
import { italianCitizen } from '../support/citizens.js';
import { cnsAuthorityWithRevokedCard, cnsListenerEnv } from '../support/cns-listener.js';
import { freePort, type ServedPortal, serveVarco } from '../support/serve.js';

/**
 * Issue 7, CNS in Chromium: the browser presents the card's certificate to Varco's own HTTPS
 * listener of `varco serve` (a real TLS handshake with a client certificate), then comes back
 * to the portal logged in; a revoked card gets the page that says so.
 */
describe('CNS entrance of /accedi in Chromium', () => {
  const { ca, revoked, crl } = cnsAuthorityWithRevokedCard('Regione Browser');
  let portal: ServedPortal;
  let browser: Browser;
  let tlsPort: number;

  beforeAll(async () => {
    tlsPort = await freePort();
    [portal, browser] = await Promise.all([serveVarco(cnsListenerEnv(ca, crl, String(tlsPort))), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  const withCard = (card: { certPath: string; keyPath: string }) =>
    newPage(browser, {
      ignoreHTTPSErrors: true,
      clientCertificates: [{ origin: `https://127.0.0.1:${tlsPort}`, certPath: card.certPath, keyPath: card.keyPath }],
    });

  it('a valid card logs the citizen in at level dispositivo; the profile says CNS', async () => {
    const cf = italianCitizen().codiceFiscale;
    const page = await withCard(ca.cns(cf));
    await page.goto(`${portal.baseUrl}/accedi?metodo=cns`);
    await expectAccessible(page, 'CNS tab');
    await Promise.all([page.waitForURL(`${portal.baseUrl}/bacheca`), page.click('#cns-login')]);
    await page.goto(`${portal.baseUrl}/profilo`);
    expect(await page.textContent('#auth-kind')).toContain('Sei autenticato con CNS');
    const session = await portal.db
      .selectFrom('sessions')
      .innerJoin('citizens', 'citizens.id', 'sessions.citizen_id')
      .select(['level', 'auth_method'])
      .where('citizens.codice_fiscale', '=', cf)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ level: 'dispositivo', auth_method: 'cns' });
  });

  it('a revoked card gets a clear, accessible page', async () => {
    const page = await withCard(revoked);
    await page.goto(`${portal.baseUrl}/accedi?metodo=cns`);
    await Promise.all([page.waitForURL(`https://127.0.0.1:${tlsPort}/accedi/cns**`), page.click('#cns-login')]);
    expect(await page.textContent('#federated-error')).toContain('revocato');
    await expectAccessible(page, 'CNS revoked');
  });
});
