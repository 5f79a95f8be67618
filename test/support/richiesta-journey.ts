import type { Browser, Page } from 'playwright-core';
import { RichiestaJourney } from '../browser/pages.js';
import { newPage } from './browser.js';
import type { FormCitizen } from './citizens.js';

/** A new page on the summary of the citizen's PIN request (seed 001): /pin/richiesta with step 1 and step 2 filled in. */
export async function requestOnSummary(browser: Browser, baseUrl: string, c: FormCitizen): Promise<{ page: Page; j: RichiestaJourney }> {
  const page = await newPage(browser);
  const j = new RichiestaJourney(page);
  await page.goto(`${baseUrl}/pin/richiesta`);
  await j.step1(c);
  await j.step2(c);
  return { page, j };
}
