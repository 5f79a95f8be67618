import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, submit } from './browser.js';

/** Submits the page's form: the error `errorSelector` shows, and the page with it is accessible (axe, under `label`). */
export async function submitShowsError(page: Page, errorSelector: string, label: string): Promise<void> {
  await submit(page);
  expect(await page.isVisible(errorSelector)).toBe(true);
  await expectAccessible(page, label);
}

/** Submits (the page's form, or with `selector`: a button or link), waits for the page at `url` (a glob or pattern), which is accessible (axe, under `label`). */
export async function submitTo(page: Page, url: string | RegExp, label: string, selector?: string): Promise<void> {
  await submit(page, selector);
  await page.waitForURL(url);
  await expectAccessible(page, label);
}

/** Each of these paths of the portal, opened in the page, is accessible (axe, under `${prefix} ${path}`). */
export async function expectPathsAccessible(page: Page, baseUrl: string, prefix: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    await page.goto(`${baseUrl}${path}`);
    await expectAccessible(page, `${prefix} ${path}`);
  }
}
