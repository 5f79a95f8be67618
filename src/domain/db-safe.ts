/**
 * docs/security.md (NUL bytes): PostgreSQL refuses U+0000 in text and jsonb, so raw user input
 * written as a key or an audit detail would answer 500. Forms refuse control characters at the
 * field (controlCharErrors, src/flows/richiesta/form.ts); this is the net under them for values
 * written before or without a form's validation (lockout keys, audit details): NUL becomes U+FFFD,
 * visible in the record and never equal to a real codice fiscale or username.
 */
export function dbSafe(value: string): string {
  return UNSAFE.test(value) ? value.replace(UNSAFE_ALL, '\ufffd') : value;
}

/**
 * NUL, and a lone UTF-16 surrogate: a JSON body may carry "\ud800", which JSON.stringify keeps as
 * an escape that jsonb refuses (an outside review found a 500 that way). Both become U+FFFD, as a
 * form-encoded body's bad UTF-8 already does in the decoder.
 */
const UNSAFE_SOURCE = '\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSAFE = new RegExp(UNSAFE_SOURCE);
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, 'g');

/** dbSafe on every string of a JSON-like value (object keys too). */
export function dbSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return dbSafe(value) as T;
  if (Array.isArray(value)) return value.map((v) => dbSafeDeep(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [dbSafe(k), dbSafeDeep(v)])) as T;
  }
  return value;
}
