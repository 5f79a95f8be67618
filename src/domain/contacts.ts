/**
 * Phone numbers and email addresses as the request form takes them (R2): phones with their
 * prefix, and from abroad the international prefix; stored in E.164 (+39 when none is given).
 */
export type PhoneResult = { ok: true; e164: string; italianMobile: boolean } | { ok: false };

export function normalizePhone(input: string): PhoneResult {
  let s = input.trim().replace(/[\s./()-]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+')) s = `+39${s}`;
  if (!/^\+[1-9]\d{5,14}$/.test(s)) return { ok: false };
  if (s.startsWith('+39')) {
    const national = s.slice(3);
    // Italian numbers: mobiles start with 3 (9–10 digits), landlines with 0 (6–11 digits).
    const mobile = /^3\d{8,9}$/.test(national);
    const landline = /^0\d{5,10}$/.test(national);
    if (!mobile && !landline) return { ok: false };
    return { ok: true, e164: s, italianMobile: mobile };
  }
  return { ok: true, e164: s, italianMobile: false };
}

/** Issue 12 F6: calling codes whose numbers may receive SMS when none are configured. */
export const DEFAULT_SMS_COUNTRIES: readonly string[] = ['39'];

/**
 * Issue 12 F6: may this number (E.164) receive SMS? Only numbers of the allowed calling codes
 * (premium and international ranges such as +882 are how SMS pumping is paid). Calling codes
 * are prefix-free (ITU-T E.164), so a prefix match is exact.
 */
export function smsAllowed(e164: string, countries: readonly string[]): boolean {
  return countries.some((code) => e164.startsWith(`+${code}`));
}

export type CellulareResult = { ok: true; e164: string } | { ok: false; error: 'format' | 'notMobile' | 'country' };

/**
 * A cellulare, the number SMS are sent to, as every form takes it (request, contacts, SMS
 * notices, ripristino, back office): well-formed, an Italian mobile when Italian, and in the
 * SMS allow-list. Telefono abitazione is not an SMS target and goes through `normalizePhone` alone.
 */
export function checkCellulare(input: string, countries: readonly string[] = DEFAULT_SMS_COUNTRIES): CellulareResult {
  const p = normalizePhone(input);
  if (!p.ok) return { ok: false, error: 'format' };
  if (p.e164.startsWith('+39') && !p.italianMobile) return { ok: false, error: 'notMobile' };
  if (!smsAllowed(p.e164, countries)) return { ok: false, error: 'country' };
  return { ok: true, e164: p.e164 };
}

/** The allowed calling codes as the refusal names them: '+39' or '+39, +378'. */
export function smsPrefixes(countries: readonly string[]): string {
  return countries.map((c) => `+${c}`).join(', ');
}

/** A deliberately plain check: one @, a dotted domain, no spaces, at most 254 characters. */
export function normalizeEmail(input: string): string | undefined {
  const s = input.trim();
  if (s.length > 254) return undefined;
  // The local part must refuse control characters (NUL: PostgreSQL refuses it in text), so the class names them.
  // eslint-disable-next-line no-control-regex
  if (!/^[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(s))
    return undefined;
  const [local, domain] = s.split('@') as [string, string];
  if (local.length > 64) return undefined;
  return `${local}@${domain.toLowerCase()}`;
}

/** GG/MM/AAAA (also with - or .) to 'YYYY-MM-DD', or undefined when it is not a real date. */
export function parseItalianDate(input: string): string | undefined {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(input.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function formatItalianDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
