import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createOperator } from '../../src/backoffice/operators.js';
import type { OperatorRole } from '../../src/db/schema.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { totpCode } from '../../src/security/totp.js';
import { givenCitizenWithPin } from './pins.js';
import { startPortal } from './server.js';

type Portal = Awaited<ReturnType<typeof startPortal>>;

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, driven by playwright-core (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile; CSP bypassed only so axe-core can be injected. */
export async function newPage(browser: Browser, opts: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, locale: 'it-IT', ...opts });
  return context.newPage();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** WCAG 2.1 A and AA rules of axe-core on the current page; returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) }));
  });
}

/** Fails with a readable list when the page has any WCAG 2.1 AA violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.map((v) => `${label}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Submits a form or follows a link like a person, waiting for the next page. */
export async function submit(page: Page, selector = 'main button[type="submit"]'): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.locator(selector).first().click()]);
}

/** One Chromium and one portal (on PGlite, with these variables) for a test file, opened before its tests and closed after. */
export function chromiumAndPortal(portalEnv: Record<string, string> = {}): { browser: Browser; portal: Portal } {
  const env = {} as { browser: Browser; portal: Portal };
  beforeAll(async () => {
    env.browser = await launchChromium();
    env.portal = await startPortal('pglite', portalEnv);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.portal?.close();
  });
  return env;
}

/** A citizen holding the PIN K7X9M3P4, logged in through /accedi in a new page. */
export async function citizenInBrowser(browser: Browser, portal: Portal): Promise<{ page: Page; c: Awaited<ReturnType<typeof givenCitizenWithPin>> }> {
  const c = await givenCitizenWithPin(portal.db, createPinHasher(portal.config.argon2), { pin: 'K7X9M3P4' });
  const page = await newPage(browser);
  await page.goto(`${portal.baseUrl}/accedi`);
  await page.fill('#f-codiceFiscale', c.codiceFiscale);
  await page.fill('#f-pin', 'K7X9M3P4');
  await submit(page);
  await page.waitForURL('**/bacheca');
  return { page, c };
}

/** A new operator of that role, logged in (password + TOTP) in a new page, on the back-office home. */
export async function operatorInBrowser(browser: Browser, portal: Portal, username: string, role: OperatorRole): Promise<Page> {
  const op = await createOperator(portal.db, createPinHasher(portal.config.argon2), createSecretBox(portal.config.secretKey), { username, displayName: username, role });
  const page = await newPage(browser);
  await page.goto(`${portal.baseUrl}/backoffice/accedi`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', op.password);
  await page.fill('#f-totp', totpCode(op.totpSecret, new Date()));
  await submit(page);
  await page.waitForURL('**/backoffice');
  return page;
}
