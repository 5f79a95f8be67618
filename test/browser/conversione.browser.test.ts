import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/index.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { chromiumAndPortal, expectAccessible, newPage, operatorInBrowser, submit } from '../support/browser.js';
import { givenCitizenWithPin } from '../support/pins.js';
import { aPng } from '../support/uploads.js';

/** Seeds 002 and 003: "Rendere il PIN dispositivo", online, up to the operators' queue. */
describe('Conversione in PIN dispositivo in Chromium (seeds 002, 003)', () => {
  const env = chromiumAndPortal();

  async function login(page: Page) {
    const c = await givenCitizenWithPin(env.portal.db, createPinHasher(env.portal.config.argon2), { pin: 'K7X9M3P4' });
    await page.goto(`${env.portal.baseUrl}/accedi`);
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-pin', 'K7X9M3P4');
    await submit(page);
    return c;
  }

  it('VUOI IL PIN DISPOSITIVO? → CONVERTI IL PIN → document → module → uploads → in lavorazione', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/pin`);
    await submit(page, 'a[href="/pin/dispositivo"]');
    await expectAccessible(page, 'dispositivo');
    await submit(page, '#converti-pin');
    await page.waitForURL('**/accedi?richiesto=1&ritorno=%2Fpin%2Fdispositivo%2Fconverti');
    const c = await givenCitizenWithPin(env.portal.db, createPinHasher(env.portal.config.argon2), { pin: 'K7X9M3P4' });
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-pin', 'K7X9M3P4');
    await submit(page);
    await page.waitForURL('**/pin/dispositivo/converti');
    expect(await page.textContent('main')).toContain('Benvenuto nella procedura guidata di conversione del PIN.');
    await expectAccessible(page, 'converti');
    await submit(page, '#conv-avanti');
    await page.fill('#f-numero', 'CA12345AB');
    await page.fill('#f-ente', 'Comune di Pisa');
    await page.fill('#f-rilascio', '15/01/2020');
    await page.fill('#f-scadenza', '15/01/2020');
    await submit(page);
    await expectAccessible(page, 'documento errors');
    await page.fill('#f-scadenza', '15/01/2035');
    await submit(page);
    await page.waitForURL('**/pin/dispositivo/modulo');
    await expectAccessible(page, 'modulo');
    const download = await page.request.get(`${env.portal.baseUrl}/pin/dispositivo/modulo.pdf`);
    expect(download.headers()['content-type']).toBe('application/pdf');
    await page.setInputFiles('#f-modulo', { name: 'modulo-firmato.pdf', mimeType: 'application/pdf', buffer: await download.body() });
    await page.setInputFiles('#f-documento', { name: 'carta.png', mimeType: 'image/png', buffer: aPng(600, 400) });
    await submit(page);
    await page.waitForURL('**/pin/dispositivo/conferma');
    await expectAccessible(page, 'conferma');
    await submit(page);
    expect(await page.textContent('#conv-done')).toContain('è in lavorazione');
    await page.goto(`${env.portal.baseUrl}/profilo`);
    expect(await page.textContent('#conversion-state')).toContain('in lavorazione');

    // Meanwhile an operator, in a second env.browser context, approves the request.
    const back = await operatorInBrowser(env.browser, env.portal, 'sede.conv', 'sede');
    await submit(back, 'main table a');
    await expectAccessible(back, 'backoffice request with uploads');
    await submit(back, 'form[action$="/approva"] button');
    expect(await back.textContent('#bo-notice')).toContain('è stata approvata');
    await back.context().close();

    // The citizen's level rises at the next login.
    await submit(page, 'form[action="/esci"] button');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-pin', 'K7X9M3P4');
    await submit(page);
    await page.goto(`${env.portal.baseUrl}/profilo`);
    expect(await page.textContent('#auth-kind')).toContain('Sei autenticato con PIN Dispositivo');
    expect(await page.textContent('#conversion-state')).toContain('approvata');
    await page.context().close();
  });

  it('the conversion pages are accessible in it, de and en', async () => {
    const page = await newPage(env.browser);
    await login(page);
    for (const locale of LOCALES) {
      await page.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/pin/dispositivo/documento`);
      await submit(page);
      expect(await page.isVisible('#error-summary')).toBe(true);
      await expectAccessible(page, `${locale} documento errors`);
      for (const p of ['/pin/dispositivo', '/pin/dispositivo/converti', '/pin/dispositivo/avvertenze']) {
        await page.goto(`${env.portal.baseUrl}${p}`);
        await expectAccessible(page, `${locale} ${p}`);
      }
    }
    await page.context().close();
  });
});
