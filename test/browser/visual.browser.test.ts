import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, chromiumAndPortal, citizenInBrowser, measureLayout, newPage, operatorInBrowser } from '../support/browser.js';

/**
 * Issue 13 part 2 items 2 and 11: what a citizen saw in screenshots, each held by an assertion
 * (the phone check of test/support/browser.ts lays out again, 390 px wide, every page below).
 * With VARCO_SCREENSHOTS=dir, the pages are also photographed at 390 px and at desktop width.
 */
describe('the portal on a phone and its visual defects (issue 13, items 2 and 11)', () => {
  const env = chromiumAndPortal();
  const shots = process.env.VARCO_SCREENSHOTS;

  async function photograph(page: Page, name: string): Promise<void> {
    if (!shots) return;
    const desktop = page.viewportSize() ?? { width: 1280, height: 720 };
    await page.screenshot({ path: `${shots}/${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${shots}/${name}-390.png`, fullPage: true });
    await page.setViewportSize(desktop);
  }

  /** Layout problems of the page as it is now, at 390 px wide. */
  async function onPhone(page: Page): Promise<string[]> {
    const desktop = page.viewportSize() ?? { width: 1280, height: 720 };
    await page.setViewportSize(PHONE);
    const found = await page.evaluate(measureLayout);
    await page.setViewportSize(desktop);
    return found;
  }

  it('every select draws one chevron: appearance none and a single background image', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/pin/richiesta`);
    await page.fill('#f-codiceFiscale', 'RSSMRA80A01H501U');
    await page.click('label[for="f-residenza-0"]');
    await Promise.all([page.waitForEvent('load'), page.click('main button[type="submit"]')]);
    await page.waitForURL('**/pin/richiesta/dati');
    const selects = await page.locator('main select').evaluateAll((els) =>
      els.map((el) => {
        const cs = getComputedStyle(el);
        const wrapper = el.closest('.select-wrapper');
        const after = wrapper ? getComputedStyle(wrapper, '::after') : undefined;
        return {
          id: el.id,
          appearance: cs.appearance,
          images: (cs.backgroundImage.match(/url\(/g) ?? []).length,
          // Bootstrap Italia's own chevrons: a pseudo-element on the wrapper or the select.
          extra: [after?.content, getComputedStyle(el, '::after').content].filter((c) => c && c !== 'none' && c !== 'normal').length,
        };
      }),
    );
    expect(selects.length).toBeGreaterThan(3);
    for (const s of selects) expect(s, s.id).toMatchObject({ appearance: 'none', images: 1, extra: 0 });
    await photograph(page, 'richiesta-dati');
    expect(await onPhone(page)).toEqual([]);
  });

  it('"In quale situazione mi trovo?" and every visible text is drawn in a loaded font', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/pin`);
    const heading = page.locator('#guida-title');
    expect(await heading.textContent()).toBe('IN QUALE SITUAZIONE MI TROVO?');
    const font = await heading.evaluate(async (el) => {
      await document.fonts.ready;
      const cs = getComputedStyle(el);
      const family = cs.fontFamily
        .split(',')[0]!
        .trim()
        .replace(/^["']|["']$/g, '');
      return {
        family,
        loaded:
          document.fonts.check(`${cs.fontStyle} ${cs.fontWeight} 16px "${family}"`, el.textContent!) &&
          Array.from(document.fonts).some((f) => f.family.replace(/"/g, '') === family && f.status === 'loaded'),
      };
    });
    expect(font).toEqual({ family: 'Titillium Web', loaded: true });
    // Every text of the page (the same check runs on every page of every browser test).
    expect((await page.evaluate(measureLayout)).filter((p) => /fallback/.test(p))).toEqual([]);
    await photograph(page, 'pin');
  });

  it('the German search placeholder fits its field, at desktop width and on a phone', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/lingua/de?next=/`);
    const fit = () =>
      page.locator('#varco-q').evaluate((el: HTMLInputElement) => {
        const cs = getComputedStyle(el);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        return {
          placeholder: el.placeholder,
          needed: ctx.measureText(el.placeholder).width,
          room: el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
        };
      });
    await page.evaluate(() => document.fonts.ready);
    const desktop = await fit();
    expect(desktop.placeholder).toBe('Dienste und Seiten durchsuchen');
    expect(desktop.needed).toBeLessThanOrEqual(desktop.room);
    await page.setViewportSize(PHONE);
    const phone = await fit();
    expect(phone.needed).toBeLessThanOrEqual(phone.room);
    // "In deutscher Sprache" is not offered on a German page; the language list stays on one line.
    const langHeight = await page.locator('.lang-list').evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight));
    expect(langHeight).toBeLessThan(1.6);
    await page.setViewportSize({ width: 1280, height: 720 });
    await photograph(page, 'home-de');
  });

  it('"generarne uno nuovo" has the size of the sentence it ends', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/pin/revoca`);
    const sizes = await page.locator('button[value="nuovo"]').evaluate((el) => ({
      link: getComputedStyle(el).fontSize,
      text: getComputedStyle(el.parentElement!).fontSize,
      linkLine: el.getBoundingClientRect().height,
      textLine: parseFloat(getComputedStyle(el.parentElement!).lineHeight),
    }));
    expect(sizes.link).toBe(sizes.text);
    expect(sizes.linkLine).toBeLessThanOrEqual(sizes.textLine + 1);
    await photograph(page, 'revoca');
  });

  it('the logged-in header on a phone: the name and Esci inside the header, on one line each', async () => {
    const { page, c } = await citizenInBrowser(env.browser, env.portal);
    await page.setViewportSize(PHONE);
    const header = await page.evaluate(() => {
      const slim = document.querySelector('.it-header-slim-wrapper')!.getBoundingClientRect();
      const box = (sel: string) => {
        const el = document.querySelector(sel)!;
        const r = el.getBoundingClientRect();
        return {
          left: r.left,
          right: r.right,
          top: r.top,
          bottom: r.bottom,
          lines: Math.round(r.height / parseFloat(getComputedStyle(el).lineHeight)),
          visible: r.width > 0 && getComputedStyle(el).visibility !== 'hidden',
        };
      };
      return {
        slim: { left: slim.left, right: slim.right, top: slim.top, bottom: slim.bottom },
        name: box('a[href="/profilo"]'),
        esci: box('form[action="/esci"] button'),
        de: box('.lang-de'),
      };
    });
    for (const part of [header.name, header.esci, header.de]) {
      expect(part.visible).toBe(true);
      expect(part.left).toBeGreaterThanOrEqual(header.slim.left);
      expect(part.right).toBeLessThanOrEqual(header.slim.right);
      expect(part.top).toBeGreaterThanOrEqual(header.slim.top);
      expect(part.bottom).toBeLessThanOrEqual(header.slim.bottom);
    }
    expect(header.de.lines).toBe(1);
    expect(await page.textContent('a[href="/profilo"]')).toContain(c.cognome);
    expect(await page.evaluate(measureLayout)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 720 });
    await photograph(page, 'bacheca');
    await page.goto(`${env.portal.baseUrl}/profilo`);
    await photograph(page, 'profilo');

    // Le mie domande: each protocol number on one line, the table scrolling inside its own box.
    const protocollo = 'COV19-2026-00000042';
    await env.portal.db
      .insertInto('covid_applications')
      .values({
        id: randomUUID(),
        protocollo,
        citizen_id: c.citizenId,
        categoria: 'art30',
        gruppo: 'art31',
        dichiarazioni: '{}',
        iban: 'IT60X0542811101000000123456',
        importo_cents: 60000,
        stato: 'in_verifica',
        iban_verified_at: null,
        iban_checked_at: null,
        esito_motivo: null,
        esito_at: null,
        esito_by: null,
      })
      .execute();
    await page.goto(`${env.portal.baseUrl}/prestazioni/covid-19/domande`);
    for (const width of [PHONE.width, 1280]) {
      await page.setViewportSize({ width, height: 844 });
      const cell = await page.locator('#cov-mine tbody th').evaluate((el) => {
        // The text's own boxes: one line is one box no taller than the line height.
        const range = document.createRange();
        range.selectNodeContents(el);
        return {
          text: el.textContent,
          whiteSpace: getComputedStyle(el).whiteSpace,
          height: range.getBoundingClientRect().height,
          lineHeight: parseFloat(getComputedStyle(el).lineHeight),
        };
      });
      expect(cell.text).toBe(protocollo);
      expect(cell.whiteSpace).toBe('nowrap');
      expect(cell.height).toBeLessThanOrEqual(cell.lineHeight + 1);
    }
    await photograph(page, 'mie-domande');
    expect(await onPhone(page)).toEqual([]);
  });

  it('the home, /accedi and a back-office page fit a phone', async () => {
    const page = await newPage(env.browser);
    for (const [path, name] of [
      ['/', 'home'],
      ['/accedi', 'accedi'],
    ] as const) {
      await page.goto(`${env.portal.baseUrl}${path}`);
      await photograph(page, name);
      expect(await onPhone(page)).toEqual([]);
    }
    const back = await operatorInBrowser(env.browser, env.portal, 'sup.visual', 'supervisore');
    await photograph(back, 'backoffice');
    expect(await onPhone(back)).toEqual([]);
    await back.goto(`${env.portal.baseUrl}/backoffice/operatori`);
    await photograph(back, 'backoffice-operatori');
    expect(await onPhone(back)).toEqual([]);
  });
});
