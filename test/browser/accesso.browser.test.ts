import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/index.js';
import { chromiumAndPortal, citizenInBrowser, expectAccessible, newPage, submit } from '../support/browser.js';
import { italianCitizen } from '../support/citizens.js';
import { fromMailbox } from '../support/mailbox.js';
import { expectPathsAccessible, submitShowsError, submitTo } from '../support/page-checks.js';
import { pdfPages } from '../support/pdf.js';
import { requestOnSummary } from '../support/richiesta-journey.js';

/** Seeds 003 and 004: request → SMS/email and letter → first access → change → Esci → login → profile. */
describe('Accesso con PIN in Chromium (seeds 003, 004)', () => {
  const env = chromiumAndPortal();

  async function pinFromMailbox(page: Page, cellulare: string): Promise<string> {
    const { sms, letter } = await fromMailbox(
      page,
      env.portal.baseUrl,
      (all) => {
        const sms = all.find((m) => m.channel === 'sms' && m.recipient === cellulare);
        const letter = all.find((m) => m.channel === 'letter' && sms && m.text.includes('GIUSEPPE'));
        return sms && letter ? { sms, letter } : undefined;
      },
      'PIN not delivered',
    );
    const first = /([2-9A-Z]{8})\./.exec(sms.text)![1]!;
    const [text] = await pdfPages(await (await page.request.get(`${env.portal.baseUrl}${letter.attachments[0]!.url}`)).body());
    const second = /Secondi 8 caratteri del PIN:\s*([2-9A-Z]{4}) ([2-9A-Z]{4})/.exec(text!)!;
    return `${first}${second[1]}${second[2]}`;
  }

  it('a citizen receives the PIN, replaces it at first access, logs out and in again, and sees the profile', async () => {
    const c = italianCitizen();
    c.form.cellulare = '+39 333 7654321';
    const { page, j } = await requestOnSummary(env.browser, env.portal.baseUrl, c);
    await j.confirm();
    const initial = await pinFromMailbox(page, '+393337654321');

    await page.goto(`${env.portal.baseUrl}/`);
    await submitTo(page, '**/accedi', 'accedi', 'a[href="/accedi"]');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    // Issue 13 item 1: typed key by key as received: the SMS half, then the letter's "ABCD EFGH".
    const asPrinted = `${initial.slice(0, 8)} ${initial.slice(8, 12)} ${initial.slice(12)}`.toLowerCase();
    await page.locator('#f-pin').pressSequentially(asPrinted);
    expect(await page.inputValue('#f-pin')).toBe(asPrinted);
    await submit(page);
    await page.waitForURL('**/accedi/cambio-pin');
    expect(await page.textContent('#change-reason')).toContain('Primo accesso');
    await expectAccessible(page, 'cambio-pin');
    await page.fill('#f-pin', 'K7X9M3P4');
    await page.fill('#f-confirm', 'K7X9M3P5');
    await submit(page);
    await expectAccessible(page, 'cambio-pin errors');
    await page.fill('#f-pin', 'K7X9M3P4');
    await page.fill('#f-confirm', 'K7X9M3P4');
    await submitTo(page, '**/bacheca?pin=modificato', 'bacheca');

    await submit(page, 'form[action="/esci"] button');
    await page.waitForURL('**/accedi?uscito=1');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-pin', 'K7X9M3P4');
    await submit(page);
    await page.waitForURL('**/bacheca');
    await page.goto(`${env.portal.baseUrl}/profilo`);
    expect(await page.textContent('#auth-kind')).toContain('Sei autenticato con PIN Non Dispositivo');
    expect(await page.textContent('#last-access')).toMatch(/Hai effettuato il tuo ultimo accesso il \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/);
    await expectAccessible(page, 'profilo');
    await page.context().close();
  });

  it('issue 13 items 1 and 8: the PIN typed "XXXX XXXX" or with dashes into the real form logs in, the hint says so, a chosen PIN may use any letter and digit', async () => {
    const { givenCitizenWithPin } = await import('../support/pins.js');
    const { createPinHasher } = await import('../../src/security/hasher.js');
    const c = await givenCitizenWithPin(env.portal.db, createPinHasher(env.portal.config.argon2), { pin: 'X9K4T7M3W4P9R3N7', state: 'initial' });
    const page = await newPage(env.browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${env.portal.baseUrl}/accedi`);
    expect(await page.textContent('#f-pin-hint')).toContain('Puoi scriverlo con o senza spazi o trattini');
    expect(await page.getAttribute('#f-pin', 'aria-describedby')).toContain('f-pin-hint');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    // Only separators: a field error, not an attempt.
    await page.locator('#f-pin').pressSequentially('---- ----');
    await submit(page);
    expect(await page.textContent('#f-pin-error')).toContain('PIN: campo obbligatorio.');
    await expectAccessible(page, 'accedi malformed PIN');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    const typed = 'x9k4 t7m3 - w4p9-r3n7';
    await page.locator('#f-pin').pressSequentially(typed);
    expect(await page.inputValue('#f-pin')).toBe(typed);
    await submit(page);
    await page.waitForURL('**/accedi/cambio-pin');
    expect(await page.textContent('main')).toContain('8 caratteri alfanumerici (lettere e numeri');
    await page.locator('#f-pin').pressSequentially('q0o1 z5s8');
    await page.locator('#f-confirm').pressSequentially('Q0O1-Z5S8');
    await submit(page);
    await page.waitForURL('**/bacheca?pin=modificato');
    await submit(page, 'form[action="/esci"] button');
    await page.waitForURL('**/accedi?uscito=1');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.locator('#f-pin').pressSequentially('Q0O1 Z5S8');
    await submit(page);
    await page.waitForURL('**/bacheca');
    const lockout = await env.portal.db.selectFrom('lockouts').select('failures').where('cf_key', '=', c.codiceFiscale).executeTakeFirst();
    expect(lockout?.failures ?? 0).toBe(0);
    await page.context().close();
  });

  it('R10: the page warns before the 30-minute inactivity timeout', async () => {
    const { page } = await citizenInBrowser(env.browser, env.portal);
    // The page's clock from here on: the dashboard, loaded again, counts the inactivity on it.
    await page.clock.install();
    await page.goto(`${env.portal.baseUrl}/bacheca`);
    expect(await page.isVisible('#session-warning')).toBe(false);
    await page.clock.fastForward('24:00');
    expect(await page.isVisible('#session-warning')).toBe(false);
    await page.clock.fastForward('01:30');
    expect(await page.isVisible('#session-warning')).toBe(true);
    await expectAccessible(page, 'session warning');
    await page.context().close();
  });

  it('the contacts pages are accessible in it, de and en', async () => {
    const { page } = await citizenInBrowser(env.browser, env.portal);
    for (const locale of LOCALES) {
      await page.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/profilo`);
      await expectAccessible(page, `${locale} profilo`);
      await submit(page, '#manage-contacts');
      await page.fill('#f-valore', '12');
      await submitShowsError(page, '#error-summary', `${locale} recapiti errors`);
      await page.fill('#f-valore', `+39 347 00000${LOCALES.indexOf(locale) + 10}`);
      // Issue 12 F2: a contact changes only with the current PIN.
      await page.fill('#f-pin', 'K7X9M3P4');
      await submitTo(page, '**/profilo/recapiti/verifica', `${locale} recapiti verifica`);
    }
    await page.context().close();
  });

  it('login pages, errors and the personal pages are accessible in it, de and en', async () => {
    const c = italianCitizen();
    const page = await newPage(env.browser);
    for (const locale of LOCALES) {
      await page.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/accedi`);
      await expectAccessible(page, `${locale} accedi`);
      await submit(page);
      await expectAccessible(page, `${locale} accedi empty`);
      await page.fill('#f-codiceFiscale', c.codiceFiscale);
      await page.fill('#f-pin', 'WRONG111');
      await submitShowsError(page, '#login-error', `${locale} accedi wrong`);
      await expectPathsAccessible(page, env.portal.baseUrl, locale, ['/accedi?metodo=cie', '/accedi/istruzioni']);
    }
    await page.context().close();
  });
});
