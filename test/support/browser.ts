import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createOperator } from '../../src/backoffice/operatori/service.js';
import type { OperatorRole } from '../../src/db/schema.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { totpCode } from '../../src/security/totp.js';
import { givenCitizenWithPin } from './pins.js';
import { launchChromium } from './chromium.js';
import { startPortal } from './server.js';

export { launchChromium };

type Portal = Awaited<ReturnType<typeof startPortal>>;

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

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
  /** The portal's documents as the page showed them (taken at each main-frame load and at the test's end), for the phone check. */
  snapshots: Promise<Snapshot | undefined>[];
}

interface Snapshot {
  url: string;
  html: string;
}

const watches = new WeakMap<Page, Watch>();
/** Pages opened since the last check (the end of the previous test). */
let opened: Page[] = [];

const VIOLATION_BINDING = '__varcoCspViolation';

function watch(page: Page): Watch {
  const known = watches.get(page);
  if (known) return known;
  const w: Watch = { problems: [], expected: [], failedDocuments: new Set(), snapshots: [] };
  watches.set(page, w);
  opened.push(page);
  page.on('load', () => w.snapshots.push(snapshot(page)));
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() === 200 && path.startsWith('/assets/') && !assets.has(path)) {
      assets.set(
        path,
        r.body().then(
          (body) => ({ body, contentType: r.headers()['content-type'] ?? 'application/octet-stream' }),
          () => undefined,
        ),
      );
    }
  });
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
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        (window as unknown as Record<string, (v: unknown) => void>)[binding]?.({
          directive: e.effectiveDirective,
          blocked: e.blockedURI,
          document: e.documentURI,
          sample: e.sample,
        });
      },
      true,
    );
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

// Every test of every file that uses these helpers: its pages' problems, checked at its end,
// after every portal page they showed was laid out again on a phone (see checkOnPhone).
afterEach(async () => {
  const pages = opened;
  opened = [];
  const found: string[] = [];
  for (const page of pages) {
    await checkOnPhone(page);
    found.push(...(await unexpectedBrowserProblems(page)));
  }
  expect(found, 'CSP violations, console errors, page errors or phone-layout problems the test did not expect').toEqual([]);
});

/** The width of a common phone (390×844): every page a browser test shows must fit it. */
export const PHONE = { width: 390, height: 844 } as const;

/** The document as the page shows it now (after its scripts ran), when it is one of the portal's pages. */
async function snapshot(page: Page): Promise<Snapshot | undefined> {
  try {
    const url = page.url();
    const html = await page.content();
    // Only the portal's own pages (a relying party's or an identity provider's page is not ours to lay out).
    return html.includes('/assets/varco.css') && url.startsWith('http') ? { url, html } : undefined;
  } catch {
    return undefined; // navigated away meanwhile: the next load is snapshotted
  }
}

/**
 * The portal's static assets as the tested pages received them: the phone check lays a page out
 * with these, even once its portal is closed or rate-limits.
 */
const assets = new Map<string, Promise<{ body: Buffer; contentType: string } | undefined>>();

const phonePages = new WeakMap<Browser, Promise<{ page: Page; serve: (s: Snapshot) => void }>>();

/** One phone-sized page per browser, whose main-frame documents come from the snapshot being checked. */
function phonePage(browser: Browser): Promise<{ page: Page; serve: (s: Snapshot) => void }> {
  let known = phonePages.get(browser);
  if (!known) {
    known = (async () => {
      const context = await browser.newContext({ locale: 'it-IT', viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      let current: Snapshot | undefined;
      await page.route('**/*', async (route) => {
        const req = route.request();
        const asset = await assets.get(new URL(req.url()).pathname);
        if (asset) return route.fulfill({ status: 200, contentType: asset.contentType, body: asset.body });
        if (req.isNavigationRequest() && req.frame() === page.mainFrame() && current && req.url() === current.url) {
          // Its scripts already ran in the snapshot: they are left out so that they do not run twice.
          const body = current.html.replace(/<script\b[\s\S]*?<\/script>/gi, '');
          return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
        }
        return route.continue();
      });
      return {
        page,
        serve: (s: Snapshot) => {
          current = s;
        },
      };
    })();
    phonePages.set(browser, known);
  }
  return known;
}

/**
 * Lays out again, 390 px wide, every portal page this page showed since the last check, and adds
 * to its problems what does not fit: a horizontal scroll, an element whose right edge leaves the
 * screen (outside a container that scrolls on its own), a text cut by its box, a placeholder longer
 * than its field, and (at any width) a text drawn in a font that is not loaded (a fallback).
 */
export async function checkOnPhone(page: Page): Promise<void> {
  const w = watch(page);
  if (!page.isClosed()) w.snapshots.push(snapshot(page));
  const taken = (await Promise.all(w.snapshots.splice(0))).filter((s): s is Snapshot => s !== undefined);
  const seen = new Set<string>();
  const browser = page.context().browser();
  if (!browser) return;
  for (const s of taken) {
    if (seen.has(s.html)) continue;
    seen.add(s.html);
    const phone = await phonePage(browser);
    phone.serve(s);
    await phone.page.goto(s.url, { waitUntil: 'load' });
    const problems = await phone.page.evaluate(measureLayout);
    w.problems.push(...problems.map((p) => `phone ${PHONE.width}px: ${p} on ${s.url}`));
  }
}

/** Runs in the page: what does not fit its viewport. Exported for tests that measure a page themselves. */
export async function measureLayout(): Promise<string[]> {
  const problems: string[] = [];
  const root = document.documentElement;
  const vw = root.clientWidth;
  void document.body.offsetWidth;
  await document.fonts.ready;
  const name = (el: Element) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).slice(0, 3).join('.')}` : '';
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${cls}>${text ? ` "${text}"` : ''}`;
  };
  if (root.scrollWidth > vw) problems.push(`the page scrolls sideways (${root.scrollWidth}px wide in ${vw}px)`);
  const hiddenByClip = (cs: CSSStyleDeclaration) => (cs.clip !== 'auto' && cs.clip !== '') || (cs.clipPath !== 'none' && cs.clipPath !== '');
  const scrollsOnItsOwn = (el: Element) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const canvas = document.createElement('canvas').getContext('2d')!;
  const offending = new Set<Element>();
  const GENERIC = new Set([
    'serif',
    'sans-serif',
    'monospace',
    'cursive',
    'fantasy',
    'system-ui',
    'ui-sans-serif',
    'ui-serif',
    'ui-monospace',
    'math',
    'emoji',
    'fangsong',
  ]);
  const fontsReported = new Set<string>();
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || hiddenByClip(cs)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // Visible text: drawn in the first family of its font-family, which must be a loaded font face.
    const ownText =
      Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '') ||
      ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && (el.value || el.placeholder));
    if (ownText) {
      const family = cs.fontFamily
        .split(',')[0]!
        .trim()
        .replace(/^["']|["']$/g, '');
      const font = `${cs.fontStyle} ${cs.fontWeight} 16px "${family}"`;
      const declared = Array.from(document.fonts).some((f) => f.family.replace(/^["']|["']$/g, '') === family);
      if (!GENERIC.has(family) && (!declared || !document.fonts.check(font)) && !fontsReported.has(font)) {
        fontsReported.add(font);
        problems.push(`${name(el)} is drawn in a fallback: its font ${font} is ${declared ? 'not loaded' : 'not declared'}`);
      }
    }
    if (el.parentElement && offending.has(el.parentElement)) {
      offending.add(el);
      continue;
    }
    if (r.right > vw + 0.5 && !scrollsOnItsOwn(el)) {
      offending.add(el);
      problems.push(`${name(el)} leaves the screen (its right edge at ${Math.round(r.right)}px)`);
      continue;
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (el.placeholder && !el.value) {
        canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const needed = canvas.measureText(el.placeholder).width;
        if (needed > room + 0.5)
          problems.push(`${name(el)}: its placeholder "${el.placeholder}" needs ${Math.round(needed)}px, the field has ${Math.round(room)}px`);
      }
      continue;
    }
    // A text cut by its own box (overflow hidden or ellipsis).
    if (
      cs.overflowX !== 'visible' &&
      !scrollsOnItsOwn(el) &&
      el.scrollWidth > el.clientWidth + 1 &&
      cs.overflowX !== 'auto' &&
      cs.overflowX !== 'scroll' &&
      (el.textContent ?? '').trim()
    ) {
      problems.push(`${name(el)} is cut (${el.scrollWidth}px of content in ${el.clientWidth}px)`);
    }
  }
  return problems;
}

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
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
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
  const op = await createOperator(portal.db, createPinHasher(portal.config.argon2), createSecretBox(portal.config.secretKey), {
    username,
    displayName: username,
    role,
  });
  const page = await newPage(browser);
  await page.goto(`${portal.baseUrl}/backoffice/accedi`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', op.password);
  await page.fill('#f-totp', totpCode(op.totpSecret, new Date()));
  await submit(page);
  await page.waitForURL('**/backoffice');
  return page;
}
