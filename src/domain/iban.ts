/**
 * IBAN checks (ISO 13616): the country's length and BBAN shape, and the ISO 7064 mod-97
 * check digits. Countries: the SEPA area, where the indemnities can be credited.
 */
const BBAN: Record<string, RegExp> = {
  AD: /^\d{8}[A-Z0-9]{12}$/,
  AT: /^\d{16}$/,
  BE: /^\d{12}$/,
  BG: /^[A-Z]{4}\d{6}[A-Z0-9]{8}$/,
  CH: /^\d{5}[A-Z0-9]{12}$/,
  CY: /^\d{8}[A-Z0-9]{16}$/,
  CZ: /^\d{20}$/,
  DE: /^\d{18}$/,
  DK: /^\d{14}$/,
  EE: /^\d{16}$/,
  ES: /^\d{20}$/,
  FI: /^\d{14}$/,
  FR: /^\d{10}[A-Z0-9]{11}\d{2}$/,
  GB: /^[A-Z]{4}\d{14}$/,
  GI: /^[A-Z]{4}[A-Z0-9]{15}$/,
  GR: /^\d{7}[A-Z0-9]{16}$/,
  HR: /^\d{17}$/,
  HU: /^\d{24}$/,
  IE: /^[A-Z]{4}\d{14}$/,
  IS: /^\d{22}$/,
  IT: /^[A-Z]\d{10}[A-Z0-9]{12}$/,
  LI: /^\d{5}[A-Z0-9]{12}$/,
  LT: /^\d{16}$/,
  LU: /^\d{3}[A-Z0-9]{13}$/,
  LV: /^[A-Z]{4}[A-Z0-9]{13}$/,
  MC: /^\d{10}[A-Z0-9]{11}\d{2}$/,
  MT: /^[A-Z]{4}\d{5}[A-Z0-9]{18}$/,
  NL: /^[A-Z]{4}\d{10}$/,
  NO: /^\d{11}$/,
  PL: /^\d{24}$/,
  PT: /^\d{21}$/,
  RO: /^[A-Z]{4}[A-Z0-9]{16}$/,
  SE: /^\d{20}$/,
  SI: /^\d{15}$/,
  SK: /^\d{20}$/,
  SM: /^[A-Z]\d{10}[A-Z0-9]{12}$/,
  VA: /^\d{18}$/,
};

export type IbanResult = { ok: true; iban: string } | { ok: false; error: 'format' | 'country' | 'length' | 'checksum' };

/** Mod-97 of the rearranged IBAN, letters as 10–35, computed piecewise (no bigints needed). */
function mod97(s: string): number {
  let rest = 0;
  for (const ch of s) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** Normalises (spaces and dashes out, upper case) and checks an IBAN. */
export function checkIban(input: string): IbanResult {
  const iban = input.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(iban)) return { ok: false, error: 'format' };
  const bban = BBAN[iban.slice(0, 2)];
  if (!bban) return { ok: false, error: 'country' };
  if (!bban.test(iban.slice(4))) return { ok: false, error: 'length' };
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return { ok: false, error: 'checksum' };
  return { ok: true, iban };
}

/** An IBAN with valid check digits for a country and BBAN (for fixtures and demo data). */
export function ibanWithCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Italian partita IVA: 11 digits, Luhn-like check digit. */
export function checkPartitaIva(input: string): string | undefined {
  const s = input.replace(/\s/g, '');
  if (!/^\d{11}$/.test(s) || /^0{11}$/.test(s)) return undefined;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(s[i]);
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return (10 - (sum % 10)) % 10 === Number(s[10]) ? s : undefined;
}
