import { CHOSEN_PIN_ALPHABET, PIN_ALPHABET, PIN_LENGTH, normalizePin, readPin } from '../../security/pin.js';

export type NewPinError = 'length' | 'alphabet' | 'mismatch' | 'initial' | 'personal' | 'weak';

export interface PersonalFacts {
  codiceFiscale: string;
  cognome: string;
  nome: string;
  /** 'YYYY-MM-DD' */
  dataNascita: string;
}

/**
 * R7: the new PIN has 8 letters and digits (seed 000: "caratteri alfanumerici (lettere e
 * numeri)", any of A–Z and 0–9, case-insensitive, spaces and dashes ignored — issue 13 items 1
 * and 8), is typed twice, and is not derived from the citizen's own data (any 4 consecutive
 * characters of the CF, surname or name, or the birth date as DDMM, MMYY, YYYY…) nor a run or a
 * repetition. Reuse of the initial PIN and of the last 5 PINs is checked against hashes by the service.
 */
export function checkNewPin(rawPin: string, rawConfirm: string, facts: PersonalFacts): { pin: string; errors: NewPinError[] } {
  const typed = readPin(rawPin, [PIN_LENGTH]);
  const pin = typed.ok ? typed.pin : '';
  const errors: NewPinError[] = [];
  if (!typed.ok) errors.push(typed.error === 'chars' ? 'alphabet' : 'length');
  else if (derivedFrom(pin, facts)) errors.push('personal');
  else if (isWeak(pin)) errors.push('weak');
  if (normalizePin(rawConfirm) !== normalizePin(rawPin)) errors.push('mismatch');
  return { pin, errors };
}

function derivedFrom(pin: string, f: PersonalFacts): boolean {
  const letters = (s: string) =>
    s
      .toUpperCase()
      .normalize('NFD')
      .replace(/[^A-Z0-9]/g, '');
  const [y = '', m = '', d = ''] = f.dataNascita.split('-');
  const sources = [letters(f.codiceFiscale), letters(f.cognome), letters(f.nome)];
  const dates = [`${d}${m}`, `${m}${y.slice(2)}`, y, `${d}${m}${y.slice(2)}`, `${y.slice(2)}${m}${d}`];
  for (let i = 0; i + 4 <= pin.length; i++) {
    const part = pin.slice(i, i + 4);
    if (sources.some((s) => s.includes(part))) return true;
    if (dates.some((date) => date.length >= 4 && date.includes(part))) return true;
  }
  return false;
}

/**
 * Four or more equal characters, or four steps along an alphabet: digits then letters
 * ("1234", "ABCD", "DCBA") or the generated PINs' alphabet ("ACDE", "2346").
 */
function isWeak(pin: string): boolean {
  if (/(.)\1{3}/.test(pin)) return true;
  for (const alphabet of [CHOSEN_PIN_ALPHABET, PIN_ALPHABET]) {
    for (let i = 0; i + 4 <= pin.length; i++) {
      const idx = [...pin.slice(i, i + 4)].map((c) => alphabet.indexOf(c));
      if (idx.includes(-1)) continue;
      const steps = idx.slice(1).map((v, k) => v - (idx[k] ?? v));
      if (Math.abs(steps[0] ?? 0) === 1 && steps.every((step) => step === steps[0])) return true;
    }
  }
  return false;
}
