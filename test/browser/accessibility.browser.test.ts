import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/index.js';
import { addClient } from '../../src/clients/clients.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { axeViolations, chromiumAndPortal, expectAccessible, expectBrowserProblems, newPage, submit } from '../support/browser.js';
import { givenCitizenWithPin } from '../support/pins.js';
import { bornAbroadCitizen, italianCitizen, residentAbroadCitizen } from '../support/citizens.js';
import { startPortal } from '../support/server.js';
import { RichiestaJourney } from './pages.js';

/** axe-core (WCAG 2.1 A + AA) on every page and every error state, in Italian, German and English. */
describe('accessibility of every page, in it, de and en', () => {
  const env = chromiumAndPortal();

  const H1: Record<string, string> = { it: 'RICHIEDI IL TUO PIN', de: 'IHRE PIN BEANTRAGEN', en: 'REQUEST YOUR PIN' };

  async function inLocale(locale: string): Promise<Page> {
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/`);
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    return page;
  }

  for (const locale of LOCALES) {
    it(`information pages and errors (${locale})`, async () => {
      const page = await inLocale(locale);
      for (const path of [
        '/',
        '/accedi',
        '/accedi?metodo=spid',
        '/accedi/istruzioni',
        '/pin',
        '/pin/dispositivo',
        '/pin/smarrito',
        '/pin/richiesta',
        '/dev/mailbox',
        '/non-esiste',
      ]) {
        await page.goto(`${env.portal.baseUrl}${path}`);
        await expectAccessible(page, `${locale} ${path}`);
      }
      // 403: a form whose CSRF token was tampered with.
      await page.goto(`${env.portal.baseUrl}/pin/richiesta`);
      await page.evaluate(() => {
        (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value = 'forged';
      });
      await page.fill('#f-codiceFiscale', italianCitizen().codiceFiscale);
      await Promise.all([page.waitForEvent('load'), page.click('main button[type="submit"]')]);
      expect(await page.textContent('h1')).not.toBe(H1[locale]);
      await expectAccessible(page, `${locale} 403`);
      await page.context().close();
    });

    it(`the portal services of a logged-in citizen, and their error states (${locale})`, async () => {
      const page = await inLocale(locale);
      const c = await givenCitizenWithPin(env.portal.db, createPinHasher(env.portal.config.argon2), { pin: 'K7X9M3P4' });
      await page.goto(`${env.portal.baseUrl}/accedi`);
      await page.fill('#f-codiceFiscale', c.codiceFiscale);
      await page.fill('#f-pin', 'K7X9M3P4');
      await submit(page);
      const paths = [
        '/bacheca',
        '/servizi',
        '/servizi/indennita',
        '/servizi/certificati',
        '/cerca?q=malattia',
        '/certificati-malattia',
        '/certificati-malattia/sms',
        '/certificati-malattia/pec',
        '/prestazioni',
        '/prestazioni/covid-19/domanda',
        '/prestazioni/covid-19/domande',
      ];
      for (const cat of ['art27', 'art28', 'art29', 'art30', 'art38', 'art23']) paths.push(`/prestazioni/covid-19/domanda?categoria=${cat}`);
      for (const path of paths) {
        await page.goto(`${env.portal.baseUrl}${path}`);
        await expectAccessible(page, `${path} (${locale})`);
      }
      // Error states: an empty application, a wrong SMS number, a wrong certificate number.
      await page.goto(`${env.portal.baseUrl}/prestazioni/covid-19/domanda?categoria=art27`);
      await submit(page);
      expect(await page.locator('#error-summary').count()).toBe(1);
      await expectAccessible(page, `application errors (${locale})`);
      await page.goto(`${env.portal.baseUrl}/certificati-malattia/sms`);
      await page.fill('#f-indirizzo', '06 123');
      await submit(page);
      await expectAccessible(page, `sms errors (${locale})`);
      await page.goto(`${env.portal.baseUrl}/certificati-malattia`);
      await page.fill('#f-numero', 'abc');
      await submit(page);
      await expectAccessible(page, `search errors (${locale})`);
    });

    it(`the OpenID Provider's pages: step-up, consent, logout, error (${locale})`, async () => {
      const page = await inLocale(locale);
      const id = `rp.axe.${locale}`;
      await addClient(env.portal.db, createSecretBox(env.portal.config.secretKey), {
        id,
        name: 'Servizio di prova',
        scopes: ['openid', 'profile', 'email', 'phone'],
        redirectUris: ['https://rp.example.org/cb'],
      });
      const c = await givenCitizenWithPin(env.portal.db, createPinHasher(env.portal.config.argon2), { pin: 'K7X9M3P4' });
      await page.goto(`${env.portal.baseUrl}/accedi`);
      await page.fill('#f-codiceFiscale', c.codiceFiscale);
      await page.fill('#f-pin', 'K7X9M3P4');
      await submit(page);
      const auth = (extra: Record<string, string> = {}) =>
        `${env.portal.baseUrl}/oidc/auth?${new URLSearchParams({ client_id: id, response_type: 'code', scope: 'openid profile email phone', redirect_uri: 'https://rp.example.org/cb', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', ...extra })}`;
      await page.goto(auth({ acr_values: 'urn:varco:loa:dispositivo' }));
      expect(await page.locator('#step-up').count()).toBe(1);
      await expectAccessible(page, `step-up (${locale})`);
      await page.goto(auth());
      expect(await page.locator('#consent-allow').count()).toBe(1);
      await expectAccessible(page, `consent (${locale})`);
      await page.goto(`${env.portal.baseUrl}/oidc/session/end`);
      expect(await page.locator('#logout-yes').count()).toBe(1);
      await expectAccessible(page, `logout (${locale})`);
      await page.goto(`${env.portal.baseUrl}/oidc/auth?client_id=nessuno.tale&response_type=code&scope=openid`);
      expect(await page.locator('#oidc-error').count()).toBe(1);
      await expectAccessible(page, `provider error (${locale})`);
      for (const tab of ['cie', 'cns']) {
        await page.goto(`${env.portal.baseUrl}/accedi?metodo=${tab}`);
        await expectAccessible(page, `${tab} tab (${locale})`);
      }
      await page.context().close();
    });

    it(`every step and error state of the request (${locale})`, async () => {
      const page = await inLocale(locale);
      const j = new RichiestaJourney(page);
      // Step 1 with errors: empty, then a wrong check character.
      await page.goto(`${env.portal.baseUrl}/pin/richiesta`);
      expect((await page.textContent('h1'))?.trim()).toBe(H1[locale]);
      await Promise.all([page.waitForEvent('load'), page.click('main button[type="submit"]')]);
      expect(await page.isVisible('#error-summary')).toBe(true);
      await expectAccessible(page, `${locale} step 1 empty`);
      await page.fill('#f-codiceFiscale', 'RSSMRA85T10A562X');
      await Promise.all([page.waitForEvent('load'), page.click('main button[type="submit"]')]);
      await expectAccessible(page, `${locale} step 1 checksum`);

      // Step 2, Italian residence: empty form, then a codice fiscale that disagrees with the data.
      const c = italianCitizen();
      await j.step1(c);
      await expectAccessible(page, `${locale} step 2`);
      await Promise.all([page.waitForEvent('load'), page.click('button[value="avanti"]')]);
      expect(await page.locator('#error-summary li').count()).toBeGreaterThan(8);
      await expectAccessible(page, `${locale} step 2 empty`);
      await j.step2(c);
      await expectAccessible(page, `${locale} summary`);
      await j.confirm();
      await expectAccessible(page, `${locale} done`);

      // R1: the same CF again.
      await page.goto(`${env.portal.baseUrl}/pin/richiesta`);
      await page.fill('#f-codiceFiscale', c.codiceFiscale);
      await Promise.all([page.waitForEvent('load'), page.click('main button[type="submit"]')]);
      expect(await page.textContent('#already-assigned')).toContain(c.codiceFiscale);
      await expectAccessible(page, `${locale} already assigned`);

      // Step 2 for a resident abroad born abroad, with mismatching data.
      const abroad = residentAbroadCitizen();
      await page.goto(`${env.portal.baseUrl}/pin/richiesta`);
      await j.step1(abroad);
      await expectAccessible(page, `${locale} step 2 abroad`);
      const born = bornAbroadCitizen();
      await page.selectOption('#f-provinciaNascita', 'EE');
      await page.locator('#f-statoNascita').waitFor();
      await page.selectOption('#f-statoNascita', born.form.statoNascita!);
      await page.fill('#f-cognome', 'ROSSI');
      await Promise.all([page.waitForEvent('load'), page.click('button[value="avanti"]')]);
      await expectAccessible(page, `${locale} step 2 abroad errors`);
      await page.context().close();
    });
  }

  it('the checker itself reports a violation when there is one', async () => {
    const page = await newPage(env.browser);
    // The image added below does not exist: its 404 is part of this test.
    expectBrowserProblems(page, /status of 404 .*\/assets\/none\.png/);
    await page.goto(`${env.portal.baseUrl}/pin`);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/assets/none.png';
      document.querySelector('main')?.append(img);
    });
    expect((await axeViolations(page)).map((v) => v.id)).toContain('image-alt');
    await page.context().close();
  });

  it('the 429 page', async () => {
    const limited = await startPortal('pglite', { VARCO_RATE_LIMIT_REQUESTS: '1' });
    try {
      for (const locale of LOCALES) {
        const page = await newPage(env.browser);
        await page.goto(`${limited.baseUrl}/lingua/${locale}?next=/`);
        await page.goto(`${limited.baseUrl}/pin/richiesta`);
        const res = await page.goto(`${limited.baseUrl}/pin/richiesta`);
        expect(res?.status()).toBe(429);
        await expectAccessible(page, `${locale} 429`);
        await page.context().close();
      }
    } finally {
      await limited.close();
    }
  });
});
