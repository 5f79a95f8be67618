/**
 * docs/security.md (NUL bytes): PostgreSQL refuses U+0000 in text and jsonb, so raw user input
 * written as a key or an audit detail would answer 500. Forms refuse control characters at the
 * field (controlCharErrors, src/flows/richiesta/form.ts); this is the net under them for values
 * written before or without a form's validation (lockout keys, audit details): NUL becomes U+FFFD,
 * visible in the record and never equal to a real codice fiscale or username.
 */
export function dbSafe(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '\ufffd') : value;
}

/** dbSafe on every string of a JSON-like value (object keys too). */
export function dbSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return dbSafe(value) as T;
  if (Array.isArray(value)) return value.map((v) => dbSafeDeep(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [dbSafe(k), dbSafeDeep(v)])) as T;
  }
  return value;
}
