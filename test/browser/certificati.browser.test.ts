import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addClient } from '../../src/clients/clients.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { chromiumAndPortal, citizenInBrowser, expectAccessible, submit } from '../support/browser.js';
import { fromMailbox } from '../support/mailbox.js';

/** Seed 000: "Consultazione certificati di malattia" — Invio con sms, a certificate through the API, the search. */
describe('Consultazione certificati di malattia in Chromium (seed 000)', () => {
  const env = chromiumAndPortal();

  /** The first SMS to that number whose text passes the test, as the worker delivers it into the dev mailbox. */
  function smsTo(page: Page, recipient: string, matches: (text: string) => boolean): Promise<string> {
    return fromMailbox(
      page,
      env.portal.baseUrl,
      (all) => all.find((m) => m.channel === 'sms' && m.recipient === recipient && matches(m.text))?.text,
      `no SMS delivered to ${recipient}`,
    );
  }

  it('a worker activates the SMS, receives the protocol number of a new certificate, finds it, and moves the SMS to a new number', async () => {
    const { page, c } = await citizenInBrowser(env.browser, env.portal);

    const search = await page.goto(`${env.portal.baseUrl}/certificati-malattia`);
    expect(search!.headers()['cache-control']).toBe('no-store');
    expect(await page.textContent('main h1')).toContain('Ricerca Certificati di Malattia');
    await expectAccessible(page, 'ricerca');

    // Invio con sms: the Codice Fiscale is shown, the registered cellulare is saved at once.
    await submit(page, 'main nav a:text("Invio con sms")');
    await page.waitForURL('**/certificati-malattia/sms');
    expect(await page.inputValue('#f-cf')).toBe(c.codiceFiscale);
    expect(await page.textContent('#notice-active')).toContain('nessuno');
    await expectAccessible(page, 'sms');
    await page.fill('#f-indirizzo', '06 123456');
    await page.selectOption('#f-stato', { label: 'Attivo' });
    await submit(page);
    expect(await page.isVisible('#error-summary')).toBe(true);
    expect(await page.textContent('#f-indirizzo-error')).toContain('non è un cellulare');
    await expectAccessible(page, 'sms invalid number');
    await page.fill('#f-indirizzo', '333 1234567');
    await page.selectOption('#f-stato', { label: 'Attivo' });
    await submit(page, 'main button:text("Aggiorna")');
    await page.waitForURL('**/certificati-malattia/sms?aggiornato=1');
    expect(await page.textContent('#notice-saved')).toContain('Impostazioni aggiornate.');
    expect(await page.textContent('#notice-active')).toContain("Numero sms attualmente attivo per l'invio: +393331234567");
    await expectAccessible(page, 'sms saved');

    // The doctor's system sends a certificate through the API.
    const box = createSecretBox(env.portal.config.secretKey);
    const { secret } = await addClient(env.portal.db, box, { id: 'medici.browser', name: 'Sistema TS di prova', scopes: ['certificati:write'] });
    const protocollo = String(300_000_000 + Math.floor(Math.random() * 1_000_000));
    const res = await fetch(`${env.portal.baseUrl}/api/v1/certificati-malattia`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`medici.browser:${secret}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        protocollo,
        codiceFiscale: c.codiceFiscale,
        tipo: 'inizio',
        dataRilascio: '2026-11-20',
        inizioPrognosi: '2026-11-20',
        finePrognosi: '2026-11-27',
        medico: { nome: 'Anna', cognome: 'Bianchi' },
      }),
    });
    expect(res.status).toBe(201);
    const sms = await smsTo(page, '+393331234567', (text) => text.includes(protocollo));
    expect(sms).toContain(`certificato di malattia n. ${protocollo}`);
    expect(sms).toContain('prognosi dal 20/11/2026 al 27/11/2026');

    // Back to the search: empty number for all certificates, then by number.
    await submit(page, 'main nav a:text("Ricerca Certificati di Malattia")');
    await page.fill('#f-numero', '');
    await submit(page, 'main button:text("Avvia ricerca")');
    expect(await page.textContent('#cert-results caption')).toContain('Certificati trovati: 1');
    expect(await page.textContent('#cert-results tbody th')).toBe(protocollo);
    expect(await page.textContent('#cert-results tbody')).toContain('Anna Bianchi');
    await expectAccessible(page, 'results');
    await page.fill('#f-numero', protocollo);
    await submit(page, 'main button:text("Avvia ricerca")');
    expect(await page.locator('#cert-results tbody tr').count()).toBe(1);
    expect(await page.textContent('#cert-results tbody th')).toBe(protocollo);
    await page.fill('#f-numero', '123456789');
    await submit(page, 'main button:text("Avvia ricerca")');
    expect(await page.textContent('#cert-none')).toContain('Nessun certificato trovato.');
    await expectAccessible(page, 'no results');
    await page.fill('#f-numero', 'abc');
    await submit(page, 'main button:text("Avvia ricerca")');
    expect(await page.textContent('#f-numero-error')).toContain('Il numero certificato è fatto di cifre');
    await expectAccessible(page, 'search error');

    // A new number: used only after the code sent to it comes back.
    await page.goto(`${env.portal.baseUrl}/certificati-malattia/sms`);
    await page.fill('#f-indirizzo', '347 7654321');
    await page.selectOption('#f-stato', { label: 'Attivo' });
    await submit(page, 'main button:text("Aggiorna")');
    await page.waitForURL('**/certificati-malattia/sms/verifica');
    expect(await page.textContent('main')).toContain('Abbiamo inviato un codice di verifica a +393477654321');
    await expectAccessible(page, 'verifica');
    await page.fill('#f-codice', '');
    await submit(page);
    expect(await page.isVisible('#error-summary')).toBe(true);
    await expectAccessible(page, 'verifica errors');
    await page.fill('#f-codice', 'AAAAAAAA');
    await submit(page);
    expect(await page.textContent('#notice-invalid')).toBeTruthy();
    await expectAccessible(page, 'verifica wrong code');
    const codeSms = await smsTo(page, '+393477654321', (text) => text.includes('il codice per attivare'));
    const code = /è (\S+)\. Non comunicarlo/.exec(codeSms)![1]!;
    await page.fill('#f-codice', code);
    await submit(page);
    await page.waitForURL('**/certificati-malattia/sms?aggiornato=1');
    expect(await page.textContent('#notice-active')).toContain("Numero sms attualmente attivo per l'invio: +393477654321");
    expect(await page.inputValue('#f-indirizzo')).toBe('+393477654321');
    await page.context().close();
  });
});
