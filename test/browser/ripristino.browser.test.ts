import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/index.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { chromiumAndPortal, expectAccessible, newPage, submit } from '../support/browser.js';
import { fromMailbox, type MailboxEntry } from '../support/mailbox.js';
import { expectPathsAccessible, submitShowsError } from '../support/page-checks.js';
import { givenCitizenWithPin } from '../support/pins.js';

/** Seed 001 (Fig. 7–8) and seed 004: Ripristino del PIN, end to end through the dev mailbox. */
describe('Ripristino del PIN in Chromium (seeds 001, 004)', () => {
  const env = chromiumAndPortal();

  const waitFor = (page: Page, match: (m: MailboxEntry) => boolean) => fromMailbox(page, env.portal.baseUrl, (all) => all.find(match), 'message not delivered');

  it('a citizen who lost the PIN restores it with two contacts, then does the first access again', async () => {
    const c = await givenCitizenWithPin(env.portal.db, createPinHasher(env.portal.config.argon2), { pin: 'K7X9M3P4' });
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/pin`);
    await submit(page, 'a[href="/pin/smarrito"]');
    await expectAccessible(page, 'smarrito');
    await submit(page, '#ripristina-pin');
    await expectAccessible(page, 'ripristino');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-cellulare', '333 1234567');
    await page.fill('#f-email', 'giuseppe.verdi@example.org');
    await submit(page);
    expect(await page.textContent('#ripristino-accepted')).toContain('La richiesta di ripristino del PIN è stata accettata.');
    await expectAccessible(page, 'ripristino accepted');

    const mail = await waitFor(page, (m) => m.subject === 'INPS – Ripristino del PIN' && m.recipient === 'giuseppe.verdi@example.org');
    expect(mail.text).toContain(`Gentile signor/a ${c.nome} ${c.cognome}, per ripristinare il PIN può richiamare il link seguente`);
    const link = /(http\S+\/pin\/ripristino\/conferma)/.exec(mail.text)![1]!;
    const code = /il codice di ripristino da utilizzare è: ([2-9A-Z]{8})/.exec(mail.text)![1]!;
    await page.goto(link.replace(/^https?:\/\/[^/]+/, env.portal.baseUrl));
    await expectAccessible(page, 'conferma');
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-codice', code);
    await submit(page);
    expect(await page.textContent('#ripristino-done')).toContain('La procedura di ripristino del PIN si è conclusa correttamente.');
    await expectAccessible(page, 'ripristino done');

    const sms = await waitFor(page, (m) => m.channel === 'sms' && m.text.includes('nuovo PIN'));
    const second = await waitFor(page, (m) => m.subject === 'INPS – Seconda parte del nuovo PIN');
    const pin = /sono ([2-9A-Z]{8})\./.exec(sms.text)![1]! + /nuovo PIN sono: ([2-9A-Z]{8})/.exec(second.text)![1]!;
    await page.goto(`${env.portal.baseUrl}/accedi`);
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-pin', pin);
    await submit(page);
    await page.waitForURL('**/accedi/cambio-pin');
    await page.context().close();
  });

  it('the recovery pages and their errors are accessible in it, de and en', async () => {
    const page = await newPage(env.browser);
    for (const locale of LOCALES) {
      await page.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/pin/ripristino`);
      await submitShowsError(page, '#error-summary', `${locale} ripristino errors`);
      await page.goto(`${env.portal.baseUrl}/pin/ripristino/conferma`);
      await page.fill('#f-codiceFiscale', 'RSSMRA85T10A562S');
      await page.fill('#f-codice', 'AAAAAAAA');
      await submitShowsError(page, '#ripristino-invalid', `${locale} conferma invalid`);
      await expectPathsAccessible(page, env.portal.baseUrl, locale, ['/pin/smarrito', '/pin/revoca']);
    }
    await page.context().close();
  });
});
