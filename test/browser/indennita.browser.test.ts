import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { computeCf } from '../../src/domain/codice-fiscale/index.js';
import { ibanWithCheckDigits } from '../../src/domain/iban.js';
import { addClient } from '../../src/clients/clients.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { chromiumAndPortal, expectAccessible, newPage, operatorInBrowser, submit } from '../support/browser.js';
import { submitTo } from '../support/page-checks.js';
import { givenCitizenWithPin } from '../support/pins.js';

/** A fresh valid Italian IBAN (random account number, so no two applicants share it). */
const newIban = () => ibanWithCheckDigits('IT', `X0542811101${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`);
const INITIAL_PIN = 'K7X9M3P4AC24DE67';

/** Seed 003 (R21, R6): Indennità COVID-19 with a PIN semplificato, from the Bacheca to the receipt. */
describe('Indennità COVID-19 with a PIN semplificato in Chromium (seed 003)', () => {
  // This flow needs the PIN semplificato open.
  const env = chromiumAndPortal({ VARCO_PIN_SEMPLIFICATO: 'true' });

  /** A citizen who just requested a PIN (state initial) and logs in with its first 8 characters alone. */
  async function loginSemplificato(page: Page) {
    const hasher = createPinHasher(env.portal.config.argon2);
    const c = await givenCitizenWithPin(env.portal.db, hasher, { pin: INITIAL_PIN, state: 'initial' });
    // Issue 12 F1: the request typed Pisa, the comune the residence registry holds for this fixture citizen.
    const typed = { tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: '12/B', provincia: 'PI', comune: 'G702', cap: '56125' };
    await env.portal.db
      .updateTable('credentials')
      .set({ semplificato_hash: await hasher.hash(INITIAL_PIN.slice(0, 8)), requested_residence: JSON.stringify(typed) })
      .where('id', '=', c.credentialId)
      .execute();
    await page.goto(`${env.portal.baseUrl}/accedi`);
    await page.fill('#f-codiceFiscale', c.codiceFiscale);
    await page.fill('#f-pin', INITIAL_PIN.slice(0, 8));
    await submit(page);
    await page.waitForURL('**/bacheca');
    return c;
  }

  /** Every HTML page the browser receives, to check its cache-control. */
  function htmlResponses(page: Page): Response[] {
    const seen: Response[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'document' && String(r.headers()['content-type'] ?? '').startsWith('text/html')) seen.push(r);
    });
    return seen;
  }

  /** Bootstrap Italia draws its own radios and checkboxes: the citizen clicks the label. */
  async function tick(page: Page, id: string, checked = true): Promise<void> {
    if ((await page.isChecked(`#${id}`)) !== checked) await page.click(`label[for="${id}"]`);
    expect(await page.isChecked(`#${id}`)).toBe(checked);
  }

  /** The link "Invio domanda" of the menu Indennità COVID-19. */
  const NEW_APPLICATION = 'nav[aria-labelledby="cov-menu-title"] a:has-text("Invio domanda")';

  async function chooseCategory(page: Page, categoria: string): Promise<void> {
    const id = await page.getAttribute(`input[name="categoria"][value="${categoria}"]`, 'id');
    await tick(page, id!);
    await submit(page, 'main button:has-text("Avanti")');
    await page.waitForURL(`**/prestazioni/covid-19/domanda?categoria=${categoria}`);
  }

  /** From the menu, "Invio domanda" and the form of the category. */
  async function newApplication(page: Page, categoria: string): Promise<void> {
    await submit(page, NEW_APPLICATION);
    await chooseCategory(page, categoria);
  }

  /** "Avanti: riepilogo" on the form, then the review ("Riepilogo") lists the answers. */
  async function toReview(page: Page): Promise<void> {
    await submit(page, 'main button[value="riepilogo"]');
  }

  /** From the form through the review to "Invia domanda". */
  async function sendFromForm(page: Page): Promise<void> {
    await toReview(page);
    expect(await page.textContent('main h2.h3')).toBe('Riepilogo');
    await submit(page, '#review-confirm');
  }

  async function tickDeclarations(page: Page, checked = true): Promise<void> {
    for (const id of await page.locator('main input[type="checkbox"][name^="decl_"]').evaluateAll((els) => els.map((e) => e.id))) await tick(page, id, checked);
  }

  /** The end of every form: a fresh IBAN in the applicant's own name, every declaration ticked. */
  async function payToOwnIbanAndDeclare(page: Page): Promise<void> {
    await page.fill('#f-iban', newIban());
    await tick(page, 'f-intestatario');
    await tickDeclarations(page);
  }

  it('from the Bacheca to the receipt: the search finds the service, a mistake is shown, the application is sent, a second one is refused', async () => {
    const page = await newPage(env.browser);
    const pages = htmlResponses(page);
    const c = await loginSemplificato(page);
    await expectAccessible(page, 'bacheca semplificato');

    // The board lists the service; so does the header search, by the name of seed 003.
    const onBoard = page.locator('#board-services a[href="/prestazioni"]');
    expect(await onBoard.textContent()).toContain('Domande per prestazioni a sostegno del reddito');
    await page.fill('#varco-q', 'domande per prestazioni a sostegno del reddito');
    await submit(page, 'form[role="search"] button[type="submit"]');
    await page.waitForURL('**/cerca?q=*');
    const found = page.locator('main a[href="/servizi/indennita"]');
    expect(await found.textContent()).toContain('Domande per prestazioni a sostegno del reddito');
    await submit(page, 'main a[href="/servizi/indennita"]');
    expect(await page.getAttribute('#service-enter', 'href')).toBe('/prestazioni');
    await page.goto(`${env.portal.baseUrl}/bacheca`);
    await submit(page, '#board-services a[href="/prestazioni"]');
    await page.waitForURL('**/prestazioni');
    expect(await page.textContent('main h1')).toContain('Domande per prestazioni a sostegno del reddito');
    await expectAccessible(page, 'prestazioni');

    // Menu Indennità COVID-19 → Invio domanda → the category.
    await submitTo(page, '**/prestazioni/covid-19/domanda', 'scelta categoria', NEW_APPLICATION);
    await chooseCategory(page, 'art30');
    expect(await page.textContent('main .lead')).toContain('Indennità lavoratori del settore agricolo');
    expect(await page.textContent('#applicant')).toContain(c.codiceFiscale);
    await expectAccessible(page, 'modulo art30');

    // First a mistake: a wrong IBAN and no declarations.
    const iban = newIban();
    await page.fill('#f-giornate2019', '120');
    await page.fill('#f-iban', `${iban.slice(0, 2)}${iban[2] === '9' ? '0' : String(Number(iban[2]) + 1)}${iban.slice(3)}`);
    await tick(page, 'f-intestatario');
    await toReview(page);
    expect(await page.isVisible('#error-summary')).toBe(true);
    const summary = (await page.textContent('#error-summary'))!;
    expect(summary).toContain('i caratteri di controllo non corrispondono');
    expect(summary).toContain('Dichiarazione mancante, necessaria per presentare la domanda: «Dichiaro di non essere titolare di pensione.»');
    expect(await page.isChecked('#f-intestatario')).toBe(true);
    expect(await page.inputValue('#f-giornate2019')).toBe('120');
    await expectAccessible(page, 'modulo art30 errors');

    // Corrected: the IBAN written as on a bank statement, every declaration ticked.
    await page.fill('#f-iban', iban.replace(/(.{4})/g, '$1 ').trim());
    await tickDeclarations(page);
    await toReview(page);
    expect(await page.textContent('main h2.h3')).toBe('Riepilogo');
    expect(await page.textContent('#review-giornate2019')).toBe('120');
    expect(await page.textContent('#review-iban')).toBe(iban);
    await expectAccessible(page, 'riepilogo art30');
    await submit(page, '#review-confirm');
    await page.waitForURL(/\/prestazioni\/covid-19\/domande\/[0-9a-f-]{36}\?inviata=1$/);
    const protocollo = /Il numero di protocollo è (COV19-\d{4}-\d{8})/.exec((await page.textContent('#cov-sent'))!)![1]!;
    expect(await page.textContent('#cov-state')).toBe('In verifica');
    expect(await page.textContent('#cov-detail')).not.toContain(iban);
    await expectAccessible(page, 'conferma');

    const receipt = await page.request.get(`${env.portal.baseUrl}${await page.getAttribute('#cov-receipt', 'href')}`);
    expect(receipt.status()).toBe(200);
    expect(receipt.headers()['content-type']).toBe('application/pdf');
    expect(receipt.headers()['cache-control']).toBe('no-store');
    expect((await receipt.body()).subarray(0, 5).toString()).toBe('%PDF-');

    await submit(page, 'main a:has-text("Le mie domande")');
    await page.waitForURL('**/prestazioni/covid-19/domande');
    expect(await page.textContent('#cov-mine caption')).toContain('Domande presentate: 1');
    expect(await page.textContent('#cov-mine tbody th')).toBe(protocollo);
    expect(await page.textContent('#cov-mine tbody')).toContain('In verifica');
    await expectAccessible(page, 'le mie domande');

    // Art. 31: another indemnity of the group is refused, naming the first application.
    await newApplication(page, 'art28');
    // Said up front, before anything is filled in.
    expect(await page.textContent('#cov-existing')).toContain(`Hai già presentato la domanda n. ${protocollo}`);
    await page.selectOption('#f-gestione', 'commercianti');
    await payToOwnIbanAndDeclare(page);
    await sendFromForm(page);
    expect(await page.textContent('main h1')).toContain('Domanda non ammessa');
    expect(await page.textContent('#cov-refused')).toContain(`Hai già presentato la domanda n. ${protocollo}`);
    expect(await page.textContent('#cov-refused')).toContain('art. 31 del D.L. 18/2020');
    await expectAccessible(page, 'domanda non ammessa');

    const direct = await page.goto(`${env.portal.baseUrl}/prestazioni/covid-19/domande`);
    expect(direct!.headers()['cache-control']).toBe('no-store');
    expect(await page.locator('#cov-mine tbody tr').count()).toBe(1);
    // Every page of the journey (errors and refusal included) was sent with no-store.
    const journey = pages.filter((r) => new URL(r.url()).pathname.startsWith('/prestazioni'));
    expect(journey.length).toBeGreaterThanOrEqual(8);
    expect(journey.map((r) => [r.url(), r.status(), r.headers()['cache-control']]).filter(([, , cc]) => cc !== 'no-store')).toEqual([]);
    expect(journey.map((r) => r.status())).toEqual(expect.arrayContaining([200, 422, 409]));
    await page.context().close();
  });

  it('without JavaScript the baby-sitting bonus goes through end to end', async () => {
    const page = await newPage(env.browser, { javaScriptEnabled: false });
    await loginSemplificato(page);
    await submit(page, '#board-services a[href="/prestazioni"]');
    await newApplication(page, 'art23');
    const figlio = computeCf({ cognome: 'Verdi', nome: 'Anna', dataNascita: new Date(Date.UTC(2012, 0, 10)), sesso: 'F', belfioreNascita: 'G702' });
    await page.fill('#f-figlio1', figlio);
    await page.fill('#f-importo', '700');
    await payToOwnIbanAndDeclare(page);
    await toReview(page);
    expect(await page.textContent('#f-importo-error')).toContain('deve essere tra 1 e 600');
    expect(await page.isChecked('#f-decl_nonCongedoCovid')).toBe(true);
    await page.fill('#f-importo', '500');
    await toReview(page);
    expect(await page.textContent('#review-importo')).toContain('500,00');
    // "Modifica" goes back to the form with every answer kept.
    await submit(page, '#review-edit');
    expect(await page.inputValue('#f-figlio1')).toBe(figlio);
    expect(await page.isChecked('#f-decl_nonCongedoCovid')).toBe(true);
    await page.fill('#f-importo', '600');
    await sendFromForm(page);
    await page.waitForURL(/\/prestazioni\/covid-19\/domande\/[0-9a-f-]{36}\?inviata=1$/);
    expect(await page.textContent('#cov-sent')).toMatch(/Il numero di protocollo è COV19-\d{4}-\d{8}/);
    expect(await page.textContent('#cov-detail')).toContain('Bonus per i servizi di baby-sitting');
    expect(await page.textContent('#cov-detail')).toContain('600,00');
    const receipt = await page.request.get(`${env.portal.baseUrl}${await page.getAttribute('#cov-receipt', 'href')}`);
    expect(receipt.headers()['content-type']).toBe('application/pdf');
    await page.context().close();
  });

  it('an operator reviews the flagged list and rejects with a reason; the citizen reads the outcome', async () => {
    const citizen = await newPage(env.browser);
    await loginSemplificato(citizen);
    await citizen.goto(`${env.portal.baseUrl}/prestazioni/covid-19/domanda?categoria=art30`);
    await citizen.fill('#f-giornate2019', '80');
    await payToOwnIbanAndDeclare(citizen);
    await sendFromForm(citizen);
    const protocollo = /COV19-\d{4}-\d{8}/.exec((await citizen.textContent('#cov-sent')) ?? '')![0];

    const back = await operatorInBrowser(env.browser, env.portal, 'sede.cov', 'sede');
    await submit(back, '#bo-covid');
    await expectAccessible(back, 'back-office applications');
    await submit(back, `#bo-cov-list a:has-text("${protocollo}")`);
    await expectAccessible(back, 'back-office application');
    await back.click('label:has-text("Respinta")');
    await submit(back);
    expect(await back.textContent('#error-summary')).toContain('motivo');
    await expectAccessible(back, 'back-office outcome errors');
    await back.click('label:has-text("Respinta")');
    await back.fill('#f-motivo', 'Giornate 2019 non risultanti negli elenchi');
    await submit(back);
    expect(await back.textContent('#bo-cov-state')).toContain('Respinta');
    for (const locale of ['de', 'en']) {
      await back.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/backoffice/domande`);
      await expectAccessible(back, `back-office applications (${locale})`);
      await submit(back, `#bo-cov-list a:has-text("${protocollo}")`);
      await expectAccessible(back, `back-office application (${locale})`);
    }
    await back.context().close();

    await citizen.goto(`${env.portal.baseUrl}/prestazioni/covid-19/domande`);
    await submit(citizen, '#cov-mine a');
    expect(await citizen.textContent('#cov-state')).toContain('Respinta');
    expect(await citizen.textContent('#cov-detail')).toContain('Giornate 2019 non risultanti negli elenchi');
    await citizen.context().close();
  });

  it('the supervisore pages of applications and API clients are accessible in it, de and en', async () => {
    await addClient(env.portal.db, createSecretBox(env.portal.config.secretKey), { id: 'ts.axe', name: 'Sistema TS', scopes: ['certificati:write'] });
    const sup = await operatorInBrowser(env.browser, env.portal, 'sup.axe', 'supervisore');
    for (const locale of ['it', 'de', 'en']) {
      await sup.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/backoffice/clienti`);
      expect(await sup.textContent('#bo-clients')).toContain('ts.axe');
      await expectAccessible(sup, `API clients (${locale})`);
      await sup.goto(`${env.portal.baseUrl}/backoffice/domande?segnalate=1`);
      await expectAccessible(sup, `flagged applications (${locale})`);
    }
    await sup.context().close();
  });
});
