import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
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

/**
 * What a page reported that no test asked for: a CSP violation (the `securitypolicyviolation`
 * event, caught by a listener the test adds before any page script runs), a console error, an
 * uncaught exception. Every page comes from `newPage` with the portal's real CSP (never
 * a CSP bypass), and every test fails at its end on any problem it did not declare with
 * `expectBrowserProblems`.
 */
interface Watch {
  problems: string[];
  expected: RegExp[];
  /** Main-frame documents answered with an error status: Chromium logs each as a console error. */
  failedDocuments: Set<string>;
}

const watches = new WeakMap<Page, Watch>();
/** Pages opened since the last check (the end of the previous test). */
let opened: Page[] = [];

const VIOLATION_BINDING = '__varcoCspViolation';

function watch(page: Page): Watch {
  const known = watches.get(page);
  if (known) return known;
  const w: Watch = { problems: [], expected: [], failedDocuments: new Set() };
  watches.set(page, w);
  opened.push(page);
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().isNavigationRequest() && r.frame() === page.mainFrame()) w.failedDocuments.add(r.url());
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // A page the test asked for that answers 4xx (a refused form, a 404 page) is no problem of the page.
    if (/^Failed to load resource: the server responded with a status of \d+/.test(msg.text()) && w.failedDocuments.has(msg.location().url)) return;
    w.problems.push(`console error: ${msg.text().slice(0, 300)} (${msg.location().url.slice(0, 200)})`);
  });
  page.on('pageerror', (e) => w.problems.push(`page error: ${e.message}`));
  return w;
}

/** A fresh browser profile with the portal's real CSP; its pages are watched (see Watch). */
export async function newPage(browser: Browser, opts: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'it-IT', ...opts });
  await context.exposeBinding(VIOLATION_BINDING, ({ page }, v: { directive: string; blocked: string; document: string; sample: string }) => {
    watch(page).problems.push(`CSP violation: ${v.directive} blocked ${v.blocked || '(inline)'} on ${v.document}${v.sample ? ` (${v.sample})` : ''}`);
  });
  // Init scripts run through the DevTools protocol: the page's CSP does not apply to them.
  await context.addInitScript((binding: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as Record<string, (v: unknown) => void>)[binding]?.({ directive: e.effectiveDirective, blocked: e.blockedURI, document: e.documentURI, sample: e.sample });
    }, true);
  }, VIOLATION_BINDING);
  context.on('page', (p) => watch(p));
  const page = await context.newPage();
  watch(page);
  return page;
}

/** The test expects problems like these on this page (e.g. a deliberate 404 resource): they do not fail it. */
export function expectBrowserProblems(page: Page, ...patterns: RegExp[]): void {
  watch(page).expected.push(...patterns);
}

/**
 * The problems this page reported that the test did not expect, and forgets them. A page still
 * open answers one round trip first, so what it reported before is in.
 */
export async function unexpectedBrowserProblems(page: Page): Promise<string[]> {
  const w = watch(page);
  if (!page.isClosed()) await page.evaluate('0').catch(() => undefined);
  const found = w.problems.splice(0);
  return found.filter((p) => !w.expected.some((re) => re.test(p)));
}

/** Fails, listing them, when the page reported a problem the test did not expect. */
export async function expectNoBrowserProblems(page: Page): Promise<void> {
  const found = await unexpectedBrowserProblems(page);
  if (found.length) throw new Error(`unexpected browser problems on ${page.isClosed() ? 'a closed page' : page.url()}:\n${found.join('\n')}`);
}

// Every test of every file that uses these helpers: its pages' problems, checked at its end.
afterEach(async () => {
  const pages = opened;
  opened = [];
  const found: string[] = [];
  for (const page of pages) found.push(...(await unexpectedBrowserProblems(page)));
  expect(found, 'CSP violations, console errors or page errors the test did not expect').toEqual([]);
});

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** WCAG 2.1 A and AA rules of axe-core on the current page; returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Through the DevTools protocol, not a script tag: the page's CSP (script-src 'self') stays as it is.
  await page.evaluate(AXE_SOURCE);
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
