import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FormCitizen } from '../support/citizens.js';

/**
 * Page objects of the request journey, in the order of seed 001: home → "Entra in MyINPS" →
 * "Richiedi e gestisci il tuo PIN" → RICHIEDI PIN → codice fiscale + residenza → form → summary.
 */
export class RichiestaJourney {
  constructor(
    private readonly page: Page,
    private readonly mode: 'mouse' | 'keyboard' = 'mouse',
    private readonly js = true,
  ) {}

  async fromHome(baseUrl: string, onPage: (name: string) => Promise<void> = async () => {}): Promise<void> {
    const p = this.page;
    await p.goto(`${baseUrl}/`);
    await onPage('home');
    await this.activate(p.getByRole('link', { name: 'Entra in MyINPS' }), 'a[href="/accedi"]');
    await onPage('accesso');
    await this.activate(p.getByRole('link', { name: 'Richiedi e gestisci il tuo PIN' }), '#manage-pin');
    await onPage('pin');
    await expect(p.getByText('Il PIN è il codice personale')).toBeTruthy();
    await this.activate(p.getByRole('link', { name: 'RICHIEDI PIN' }), '#richiedi-pin');
    await p.waitForURL('**/pin/richiesta');
    await onPage('richiesta');
  }

  /** Step 1: codice fiscale and residence. */
  async step1(c: FormCitizen): Promise<void> {
    await this.fill('#f-codiceFiscale', c.codiceFiscale);
    await this.check(c.residenza === 'IT' ? '#f-residenza-0' : '#f-residenza-1');
    await this.submit('main button[type="submit"]');
    await this.page.waitForURL('**/pin/richiesta/dati');
  }

  /** Step 2: the form of R2. */
  async step2(c: FormCitizen, onPage: (name: string) => Promise<void> = async () => {}): Promise<void> {
    const f = c.form;
    await this.fill('#f-cognome', f.cognome!);
    await this.fill('#f-nome', f.nome!);
    await this.fill('#f-dataNascita', f.dataNascita!);
    await this.check(f.sesso === 'M' ? '#f-sesso-0' : '#f-sesso-1');
    await this.select('#f-provinciaNascita', f.provinciaNascita!);
    if (f.provinciaNascita === 'EE') {
      if (!this.js) await this.submit('button[value="aggiorna"]');
      await this.page.locator('#f-statoNascita').waitFor();
      await this.select('#f-statoNascita', f.statoNascita!);
    } else {
      await this.comune('#f-comuneNascita', '#f-provinciaNascita', f.comuneNascita!);
    }
    if (c.residenza === 'IT') {
      await this.fill('#f-indirizzo', f.indirizzo!);
      await this.fill('#f-numeroCivico', f.numeroCivico!);
      await this.select('#f-provinciaResidenza', f.provinciaResidenza!);
      await this.comune('#f-comuneResidenza', '#f-provinciaResidenza', f.comuneResidenza!);
      await this.fill('#f-cap', f.cap!);
    } else {
      await this.select('#f-paeseResidenza', f.paeseResidenza!);
      await this.fill('#f-cittaResidenza', f.cittaResidenza!);
      await this.fill('#f-indirizzoEstero', f.indirizzoEstero!);
      await this.fill('#f-codicePostale', f.codicePostale!);
    }
    for (const field of ['telefonoAbitazione', 'cellulare', 'email', 'pec'] as const) {
      if (f[field]) await this.fill(`#f-${field}`, f[field]);
    }
    await this.select('#f-telefonoPreferenziale', f.telefonoPreferenziale!);
    await this.select('#f-orarioPreferenziale', f.orarioPreferenziale!);
    await onPage('dati-filled');
    await this.submit('button[value="avanti"]');
    await this.page.waitForURL('**/pin/richiesta/riepilogo');
  }

  async confirm(): Promise<void> {
    await this.submit('button[value="conferma"]');
    await this.page.waitForURL('**/pin/richiesta/esito');
  }

  async back(): Promise<void> {
    await this.submit('button[value="indietro"]');
    await this.page.waitForURL('**/pin/richiesta/dati');
  }

  /** Comuni follow the province: by script when JavaScript runs, else by the "Aggiorna" button. */
  private async comune(selector: string, _provincia: string, value: string): Promise<void> {
    const option = this.page.locator(`${selector} option[value="${value}"]`);
    if (!this.js) await this.submit('button[value="aggiorna"]');
    await option.waitFor({ state: 'attached' });
    await this.select(selector, value);
  }

  // — input, by mouse or by keyboard only —

  private async activate(locator: ReturnType<Page['getByRole']>, selector: string): Promise<void> {
    if (this.mode === 'mouse') return locator.click();
    await this.tabTo(selector);
    await Promise.all([this.page.waitForEvent('load'), this.page.keyboard.press('Enter')]);
  }

  private async fill(selector: string, value: string): Promise<void> {
    if (this.mode === 'mouse') return this.page.fill(selector, value);
    await this.tabTo(selector);
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(value);
  }

  private async check(selector: string): Promise<void> {
    // Bootstrap Italia draws its own radio: the citizen clicks the label.
    if (this.mode === 'mouse') return this.page.click(`label[for="${selector.slice(1)}"]`);
    await this.tabTo(`input[name="${await this.page.getAttribute(selector, 'name')}"]`);
    // Arrow keys move within a radio group; Space checks the focused radio.
    for (let i = 0; i < 5 && !(await this.page.isChecked(selector)); i++) {
      const focusedIsTarget = await this.page.evaluate((s) => document.activeElement === document.querySelector(s), selector);
      await this.page.keyboard.press(focusedIsTarget ? 'Space' : 'ArrowRight');
    }
    expect(await this.page.isChecked(selector)).toBe(true);
  }

  private async select(selector: string, value: string): Promise<void> {
    if (this.mode === 'mouse') {
      await this.page.selectOption(selector, value);
      return;
    }
    await this.tabTo(selector);
    const label = await this.page.locator(`${selector} option[value="${value}"]`).textContent();
    // A focused <select> jumps to the option whose label starts with the typed letters (a space
    // would open the list, so only the first word is typed); arrows do the rest.
    await this.page.keyboard.type(/^[\p{L}\p{N}]*/u.exec(label ?? '')?.[0] ?? '', { delay: 5 });
    if ((await this.page.inputValue(selector)) !== value) {
      const values = await this.page.locator(`${selector} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      const current = values.indexOf(await this.page.inputValue(selector));
      const target = values.indexOf(value);
      for (let i = current; i !== target; i += target > current ? 1 : -1) await this.page.keyboard.press(target > current ? 'ArrowDown' : 'ArrowUp');
    }
    expect(await this.page.inputValue(selector)).toBe(value);
  }

  private async submit(selector: string): Promise<void> {
    if (this.mode === 'mouse') {
      await Promise.all([this.page.waitForEvent('load'), this.page.click(selector)]);
      return;
    }
    await this.tabTo(selector);
    await Promise.all([this.page.waitForEvent('load'), this.page.keyboard.press('Enter')]);
  }

  /** Presses Tab until the element has the focus; fails if it is not reachable by keyboard. */
  private async tabTo(selector: string): Promise<void> {
    for (let i = 0; i < 250; i++) {
      if (
        await this.page.evaluate((s) => {
          const el = document.querySelector(s);
          return (
            !!el &&
            (document.activeElement === el ||
              (el instanceof HTMLInputElement &&
                el.type === 'radio' &&
                document.activeElement instanceof HTMLInputElement &&
                document.activeElement.name === el.name))
          );
        }, selector)
      )
        return;
      await this.page.keyboard.press('Tab');
    }
    throw new Error(`${selector} cannot be reached with the keyboard`);
  }
}
