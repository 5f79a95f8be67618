import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAndPortal, citizenInBrowser, expectAccessible, submit } from '../support/browser.js';

/** Seed 003: the Bacheca / Anagrafica tabs and the citizen's personal data (issue 13 item 6); the PIN semplificato on /accedi (item 4). */
describe('Bacheca and Anagrafica in Chromium (seed 003)', () => {
  const env = chromiumAndPortal({ VARCO_PIN_SEMPLIFICATO: 'true', VARCO_RESIDENCE_REGISTRY: 'table' });

  const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  /** What in the page's main content reaches past the viewport's right edge (the header's layout at 390 px is issue 13 item 2's). */
  const overflowingInMain = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}#${e.id}`),
    );

  async function currentTab(page: Page): Promise<string | null> {
    return page.locator('#personal-tabs a[aria-current="page"]').textContent();
  }

  it('the tabs are on both pages, the current one marked; the Anagrafica shows the personal data, also 390 px wide', async () => {
    const { page, c } = await citizenInBrowser(env.browser, env.portal);
    expect(await page.textContent('#welcome')).toBe(`Benvenuto, ${c.nome} ${c.cognome}`);
    expect(await page.locator('#personal-tabs a').allTextContents()).toEqual(['Bacheca', 'Anagrafica']);
    expect(await currentTab(page)).toBe('Bacheca');
    await expectAccessible(page, 'bacheca');

    await submit(page, '#tab-anagrafica');
    await page.waitForURL('**/profilo');
    expect(await currentTab(page)).toBe('Anagrafica');
    expect(await page.locator('#personal-tabs a').allTextContents()).toEqual(['Bacheca', 'Anagrafica']);
    const data = await page.locator('#personal-data').innerText();
    for (const shown of [c.cognome, c.nome, c.codiceFiscale, 'San Giuliano Terme (PI)', 'Maschile', 'Via Roma 1', '56125 Pisa (PI)'])
      expect(data).toContain(shown);
    expect(await page.locator('#personal-data').isVisible()).toBe(true);
    expect(await page.textContent('main')).toContain('gi************@example.org');
    await expectAccessible(page, 'anagrafica');
    await page.screenshot({ path: '/tmp/levels/anagrafica-1280.png', fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflowingInMain(page)).toEqual([]);
    expect(await page.locator('#tab-bacheca').isVisible()).toBe(true);
    expect(await page.locator('#tab-anagrafica').isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/levels/anagrafica-390.png', fullPage: true });
    await submit(page, '#tab-bacheca');
    await page.waitForURL('**/bacheca');
    expect(await currentTab(page)).toBe('Bacheca');
    expect(await overflowingInMain(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/levels/bacheca-390.png', fullPage: true });
    await page.context().close();
  });

  it('/accedi explains the PIN semplificato beside the login form, also 390 px wide', async () => {
    const { newPage } = await import('../support/browser.js');
    const page = await newPage(env.browser);
    await page.goto(`${env.portal.baseUrl}/accedi`);
    const help = page.locator('#initial-pin-help');
    expect(await help.isVisible()).toBe(true);
    expect(await help.innerText()).toContain('con i soli primi 8 caratteri');
    expect(await help.innerText()).toContain('PIN completo di 16 caratteri');
    await expectAccessible(page, 'accedi');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: '/tmp/levels/accedi-390.png', fullPage: true });
    await page.context().close();
  });
});
