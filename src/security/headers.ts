/**
 * The portal's security headers, in one place: every response carries them, whether Fastify
 * sends it (the onSend hook of src/server/app.ts) or the OpenID Provider writes it on the raw
 * response (src/oidc/routes.ts).
 *
 * `form-action` is `'self'` everywhere, except on the pages whose form answer ends, through
 * same-site redirects, at a relying party or an identity provider: Chromium checks
 * `form-action` on every redirect that follows a form submission. Those pages name exactly
 * the origins they can lead to, taken from the client registry or the federation providers
 * (see docs/decisions.md, "form-action per page").
 */

const SAFE_ORIGIN = /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** An origin fit for a CSP source list: http(s) scheme, host and port, nothing else. */
export function cspOrigin(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    // URL.origin may still carry a decoded `;` or a quote (https://a.ex%3Bb/): only plain host names and IPs pass.
    return SAFE_ORIGIN.test(u.origin) ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The distinct origins of these URIs, in a stable order; anything that is not an http(s) URL is left out. */
export function originsOf(uris: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const u of uris) {
    const o = typeof u === 'string' ? cspOrigin(u) : undefined;
    if (o) out.add(o);
  }
  return [...out].sort();
}

export interface CspOptions {
  /** Origins a form on this page may end at (after same-site redirects), besides the portal itself. */
  formAction?: readonly string[];
  /** An inline script the response carries (the provider's form_post page): allowed by its hash only. */
  scriptHashes?: readonly string[];
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const formAction = ["'self'", ...originsOf(opts.formAction ?? [])].join(' ');
  const scripts = ["'self'", ...(opts.scriptHashes ?? []).map((h) => `'sha256-${h}'`)].join(' ');
  return `default-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; script-src ${scripts}; frame-ancestors 'none'; form-action ${formAction}; base-uri 'none'; object-src 'none'`;
}

/** A policy with these origins added to its form-action (a policy another step already extended, e.g. with a script hash). */
export function withFormAction(csp: string, origins: readonly string[]): string {
  const extra = originsOf(origins);
  return csp
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => (d.split(/\s+/)[0] === 'form-action' ? [d, ...extra.filter((o) => !d.split(/\s+/).includes(o))].join(' ') : d))
    .join('; ');
}

/** The headers every response carries; `secure` when the public address is https (HSTS). */
export function securityHeaders(secure: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

interface HeaderTarget {
  hasHeader(name: string): boolean;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/**
 * Adds what is missing: the security headers, the default CSP unless the response set its own
 * (a page that names its form-action origins), and `no-store` on HTML without a cache policy.
 */
export function completeSecurityHeaders(res: HeaderTarget, secure: boolean): void {
  for (const [name, value] of Object.entries(securityHeaders(secure))) res.setHeader(name, value);
  if (!res.hasHeader('content-security-policy')) res.setHeader('content-security-policy', contentSecurityPolicy());
  if (!res.hasHeader('cache-control') && String(res.getHeader('content-type') ?? '').startsWith('text/html')) res.setHeader('cache-control', 'no-store');
}

/** A stylesheet without its `@font-face` rules whose source is a data: URL (Bootstrap Italia's VideoJS icon font): `font-src 'self'` would block it on every page. */
export function withoutInlineFonts(css: string): string {
  return css.replace(/@font-face\s*\{[^}]*url\(\s*["']?data:[^}]*\}/g, '');
}
