import { verify } from '@node-rs/argon2';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bolzanoCitizen, bornAbroadCitizen, type FormCitizen, italianCitizen, residentAbroadCitizen, suppressedComuneCitizen } from '../support/citizens.js';
import { chromiumAndPortal, expectAccessible, newPage } from '../support/browser.js';
import { fromMailbox, type MailboxEntry } from '../support/mailbox.js';
import { pdfPages } from '../support/pdf.js';
import { requestOnSummary } from '../support/richiesta-journey.js';
import { RichiestaJourney } from './pages.js';

/** Seed 001 ("Richiesta del PIN"), followed in Debian's Chromium as a citizen would. */
describe('Richiesta PIN in Chromium (seed 001)', () => {
  const env = chromiumAndPortal();

  function waitForMessages(page: Page, match: (m: MailboxEntry) => boolean, n: number): Promise<MailboxEntry[]> {
    return fromMailbox(
      page,
      env.portal.baseUrl,
      (all) => {
        const mine = all.filter(match);
        return mine.length >= n ? mine : undefined;
      },
      'messages not delivered',
    );
  }

  /** Reads SMS/email and the letter from the dev mailbox, joins the halves, checks the stored hash. */
  async function checkPinArrived(page: Page, c: FormCitizen, letterText: (text: string) => void = () => {}, axe = true): Promise<void> {
    const name = `${c.form.nome} ${c.form.cognome}`;
    const messages = await waitForMessages(
      page,
      (m) =>
        m.text.includes(name) ||
        m.recipient.includes(name) ||
        m.recipient === c.form.email ||
        m.recipient.endsWith((c.form.cellulare ?? '-').replace(/\D/g, '').slice(-7)),
      3,
    );
    const sms = messages.find((m) => m.channel === 'sms')!;
    const mail = messages.find((m) => m.channel === 'email' || m.channel === 'pec')!;
    const letter = messages.find((m) => m.channel === 'letter')!;
    const first = /([2-9A-Z]{8})\./.exec(sms.text)?.[1];
    expect(first).toBeDefined();
    expect(mail.text).toContain(first);
    await page.goto(`${env.portal.baseUrl}/dev/mailbox`);
    if (axe) await expectAccessible(page, 'dev mailbox');
    const pdf = await (await page.request.get(`${env.portal.baseUrl}${letter.attachments[0]!.url}`)).body();
    const [text] = await pdfPages(pdf);
    letterText(text!);
    const second = /Secondi 8 caratteri del PIN:\s*([2-9A-Z]{4}) ([2-9A-Z]{4})/.exec(text!);
    expect(second).not.toBeNull();
    const row = await env.portal.db
      .selectFrom('credentials')
      .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
      .select('pin_hash')
      .where('codice_fiscale', '=', c.codiceFiscale)
      .executeTakeFirstOrThrow();
    expect(await verify(row.pin_hash, `${first}${second![1]}${second![2]}`)).toBe(true);
  }

  async function journey(c: FormCitizen, opts: { mode?: 'mouse' | 'keyboard'; js?: boolean; letter?: (text: string) => void; axe?: boolean } = {}) {
    const page = await newPage(env.browser, { javaScriptEnabled: opts.js ?? true });
    const j = new RichiestaJourney(page, opts.mode ?? 'mouse', opts.js ?? true);
    const axe = async (name: string) => {
      if (opts.axe !== false) await expectAccessible(page, name);
    };
    await j.fromHome(env.portal.baseUrl, axe);
    await j.step1(c);
    await axe('dati');
    await j.step2(c, axe);
    await axe('riepilogo');
    await expect(page.textContent('main')).resolves.toContain(c.codiceFiscale);
    await j.confirm();
    await axe('esito');
    expect(await page.textContent('#request-done')).toContain('Richiesta del PIN completata');
    await checkPinArrived(page, c, opts.letter, opts.axe !== false);
    await page.context().close();
  }

  it('a citizen born abroad requests the PIN and receives both halves', async () => {
    await journey(bornAbroadCitizen());
  });

  it('a citizen born in a comune that no longer exists (Acquacanina, suppressed 2016)', async () => {
    await journey(suppressedComuneCitizen());
  });

  it('a resident of the province of Bolzano receives a letter in Italian and German', async () => {
    await journey(bolzanoCitizen(), {
      letter: (text) => {
        expect(text).toContain('Gentile LUKAS GRUBER');
        expect(text).toContain('Sehr geehrte/r LUKAS GRUBER');
        expect(text).toMatch(/Zweiten 8 Zeichen|zweiten 8 Zeichen|8 Zeichen/);
      },
    });
  });

  it('works with JavaScript disabled (comuni through the "Aggiorna" button)', async () => {
    await journey(residentAbroadCitizen(), { js: false, axe: false });
    await journey(italianCitizen(), { js: false, axe: false });
  });

  it('works with the keyboard only', async () => {
    await journey(italianCitizen(), { mode: 'keyboard', axe: false });
  });

  it('issue 13: the flow expires on the summary; CONFERMA keeps the data typed, which come back after the codice fiscale, at 390 px too', async () => {
    for (const [i, width] of [1280, 390].entries()) {
      const c = [italianCitizen(), suppressedComuneCitizen()][i]!;
      const page = await newPage(env.browser, { viewport: { width, height: 844 } });
      const j = new RichiestaJourney(page, 'mouse', true);
      await j.fromHome(env.portal.baseUrl);
      await j.step1(c);
      await j.step2(c);
      // The citizen leaves the summary open too long, then presses CONFERMA.
      await env.portal.db
        .updateTable('flows')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('kind', '=', 'richiesta')
        .execute();
      await Promise.all([page.waitForURL('**/pin/richiesta/riepilogo'), page.locator('button[value="conferma"]').click()]);
      expect(await page.textContent('#expired-kept')).toContain('I dati che avevi inserito sono conservati');
      await expectAccessible(page, `expired kept ${width}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: `/tmp/small-expired-${width}.png` });
      await page.fill('#f-codiceFiscale', c.codiceFiscale);
      await Promise.all([page.waitForURL('**/pin/richiesta/dati'), page.locator('main button[type="submit"]').first().click()]);
      expect(await page.inputValue('#f-cognome')).toBe(c.form.cognome);
      expect(await page.inputValue('#f-dataNascita')).toBe(c.form.dataNascita);
      expect(await page.inputValue('#f-comuneNascita')).toBe(c.form.comuneNascita);
      await Promise.all([page.waitForURL('**/pin/richiesta/riepilogo'), page.locator('button[value="avanti"]').click()]);
      await j.confirm();
      expect(await page.textContent('#request-done')).toContain('Richiesta del PIN completata');
      await page.context().close();
    }
  });

  it('INDIETRO on the summary goes back to the filled form', async () => {
    const c = italianCitizen();
    const { page, j } = await requestOnSummary(env.browser, env.portal.baseUrl, c);
    await j.back();
    expect(await page.inputValue('#f-cognome')).toBe(c.form.cognome);
    expect(await page.inputValue('#f-comuneNascita')).toBe(c.form.comuneNascita);
    await page.context().close();
  });
});
