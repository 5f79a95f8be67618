import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkOnPhone, chromiumAndPortal, expectBrowserProblems, expectNoBrowserProblems, newPage, unexpectedBrowserProblems } from '../support/browser.js';

/**
 * Issue 13: the browser tests run with the portal's real CSP and fail on anything the page
 * reports that the test did not expect. These tests hold the watcher itself.
 */
describe('the browser watcher: CSP violations and console errors fail a test', () => {
  const env = chromiumAndPortal();

  /** Opens the portal's `path` in a new page, runs the checks on it (with the page's response), and closes it. */
  async function onPortalPage(path: string, check: (page: Page, res: Response | null) => Promise<void>): Promise<void> {
    const page = await newPage(env.browser);
    try {
      await check(page, await page.goto(`${env.portal.baseUrl}${path}`));
    } finally {
      await page.context().close();
    }
  }

  it('a clean portal page reports nothing (no blocked data: font, no missing favicon)', async () => {
    await onPortalPage('/pin/richiesta', async (page) => {
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.fonts.status)).toBe('loaded');
      await expectNoBrowserProblems(page);
    });
  });

  it('an inline script the CSP blocks is reported as a CSP violation', async () => {
    await onPortalPage('/pin', async (page) => {
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.injected = true';
        document.body.append(s);
      });
      expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
      await expect(expectNoBrowserProblems(page)).rejects.toThrow(/CSP violation: script-src-elem blocked inline on http:\/\/127\.0\.0\.1:\d+\/pin/);
    });
  });

  it('a form posted to another origin is reported as a form-action violation', async () => {
    await onPortalPage('/pin', async (page) => {
      await page.evaluate(() => {
        const f = document.createElement('form');
        f.method = 'post';
        f.action = 'http://example.invalid/steal';
        document.body.append(f);
        f.submit();
      });
      await expect
        .poll(async () => (await unexpectedBrowserProblems(page)).join('\n'), { timeout: 15_000 })
        .toMatch(/CSP violation: form-action blocked http:\/\/example\.invalid\/steal/);
    });
  });

  it('a console error and an uncaught exception are reported; a declared one is not', async () => {
    await onPortalPage('/pin', async (page) => {
      await page.evaluate(() => console.error('something broke'));
      await page.evaluate(() =>
        setTimeout(() => {
          throw new Error('uncaught here');
        }),
      );
      await expect.poll(async () => (await unexpectedBrowserProblems(page)).join('\n'), { timeout: 15_000 }).toMatch(/uncaught here/);
      await page.evaluate(() => console.error('something broke again'));
      await expect(expectNoBrowserProblems(page)).rejects.toThrow(/console error: something broke again/);

      expectBrowserProblems(page, /console error: known noise/);
      await page.evaluate(() => console.error('known noise'));
      await expectNoBrowserProblems(page);
    });
  });

  it('a page answered with an error status is no problem of the page; a missing resource on it is', async () => {
    await onPortalPage('/non-esiste', async (page, res) => {
      expect(res?.status()).toBe(404);
      await expectNoBrowserProblems(page);
      await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = '/assets/none.png';
        img.alt = '';
        document.body.append(img);
      });
      await expect.poll(async () => (await unexpectedBrowserProblems(page)).join('\n'), { timeout: 15_000 }).toMatch(/status of 404.*\/assets\/none\.png/);
    });
  });

  it('issue 13 (2.2): a page too wide for a phone, a cut placeholder and a font that is not loaded are reported', async () => {
    await onPortalPage('/pin', async (page) => {
      await checkOnPhone(page);
      expect(await unexpectedBrowserProblems(page)).toEqual([]);
      await page.evaluate(() => {
        const wide = document.createElement('div');
        wide.id = 'too-wide';
        wide.style.width = '600px';
        wide.textContent = 'wide';
        const field = document.createElement('input');
        field.id = 'long-placeholder';
        field.style.width = '80px';
        field.placeholder = 'a placeholder far longer than its field';
        const odd = document.createElement('p');
        odd.id = 'odd-font';
        odd.style.fontFamily = '"Comic Neue", sans-serif';
        odd.textContent = 'drawn in a fallback';
        document.querySelector('main')!.append(wide, field, odd);
      });
      await checkOnPhone(page);
      const found = (await unexpectedBrowserProblems(page)).join('\n');
      expect(found).toMatch(/phone 390px: the page scrolls sideways \(\d+px wide in 390px\)/);
      expect(found).toMatch(/phone 390px: <div#too-wide> "wide" leaves the screen/);
      expect(found).toMatch(
        /phone 390px: <input#long-placeholder>: its placeholder "a placeholder far longer than its field" needs \d+px, the field has \d+px/,
      );
      expect(found).toMatch(/phone 390px: <p#odd-font> "drawn in a fallback" is drawn in a fallback: its font normal 400 16px "Comic Neue" is not declared/);
      // Declared like any other problem, it does not fail the test.
      await page.evaluate(() => document.getElementById('too-wide')!.remove());
      expectBrowserProblems(page, /phone 390px: <input#long-placeholder>/, /phone 390px: <p#odd-font>/);
      await checkOnPhone(page);
      expect(await unexpectedBrowserProblems(page)).toEqual([]);
    });
  });
});
