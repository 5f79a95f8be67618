/**
 * Codice fiscale of a natural person (D.M. 23 dicembre 1976; D.P.R. 605/1973): parsing,
 * check character, omocodia, coherence with the personal data, and computation.
 *
 * Layout of the 16 characters:
 *   0–2  surname code     3–5  name code
 *   6–7  year of birth (two digits)          8  month letter (A B C D E H L M P R S T)
 *   9–10 day of birth, +40 for women        11–14 Belfiore code of the place of birth
 *   15   check character
 * Omocodia: when two people would get the same code, the Agenzia delle Entrate replaces
 * digits, from the rightmost of the seven numeric positions leftwards, with the letters
 * L M N P Q R S T U V (0–9) and recomputes the check character. Such a code is as valid as
 * the plain one and denotes the same data.
 */
import { belfioreValidAt } from '../geo/index.js';

export type Sesso = 'M' | 'F';

export interface ParsedCf {
  /** The code as parsed (normalized, omocodia letters kept). */
  readonly cf: string;
  /** The same code with the omocodia letters turned back into digits and its check character recomputed. */
  readonly canonical: string;
  /** How many of the seven numeric positions carry a substitution letter. */
  readonly omocodiaLevel: number;
  readonly surnameCode: string;
  readonly nameCode: string;
  /** Two-digit year of birth, 0–99: the century is not in the code. */
  readonly birthYear2: number;
  /** 1–12. */
  readonly birthMonth: number;
  /** 1–31, without the +40 for women. */
  readonly birthDay: number;
  readonly sesso: Sesso;
  /** Place of birth, omocodia undone: 'H501', 'Z404'. */
  readonly belfiore: string;
}

/** format: not 16 characters of the right kinds; checksum: wrong check character; date: no such day. */
export type CfError = 'format' | 'checksum' | 'date';
export type ParseCfResult = { ok: true; value: ParsedCf } | { ok: false; error: CfError };

export interface PersonalData {
  readonly cognome: string;
  readonly nome: string;
  /** Date of birth; read as a UTC calendar day. */
  readonly dataNascita: Date;
  readonly sesso: Sesso;
  /** Belfiore code of the comune or foreign state of birth. */
  readonly belfioreNascita: string;
}

export type CoherenceField = 'cognome' | 'nome' | 'dataNascita' | 'sesso' | 'luogoNascita';

const MONTH_LETTERS = 'ABCDEHLMPRST';
const OMOCODIA_LETTERS = 'LMNPQRSTUV';
/** The seven numeric positions, in the order the Agenzia substitutes them (rightmost first). */
const NUMERIC_POSITIONS_RIGHT_TO_LEFT = [14, 13, 12, 10, 9, 7, 6] as const;

const NUM = `[0-9${OMOCODIA_LETTERS}]`;
const CF_PATTERN = new RegExp(`^[A-Z]{6}${NUM}{2}[${MONTH_LETTERS}]${NUM}{2}[A-Z]${NUM}{3}[A-Z]$`);

/**
 * Values of characters in odd positions (1st, 3rd, … counting from one) for the check
 * character; digits take the value of the letter in the same place of the alphabet.
 */
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23] as const;

function charIndex(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48; // '0'–'9'
  if (code >= 65 && code <= 90) return code - 65; // 'A'–'Z'
  throw new RangeError(`not a codice fiscale character: ${JSON.stringify(c)}`);
}

/** The check character for the first fifteen characters of a codice fiscale. */
export function checkCharacter(first15: string): string {
  if (first15.length !== 15) throw new RangeError('checkCharacter needs 15 characters');
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const index = charIndex(first15.charAt(i));
    sum += i % 2 === 0 ? (ODD_VALUES[index] ?? 0) : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Trim, upper-case, drop inner spaces: how a person may type it ("rss mra 85t10 a562s"). */
export function normalizeCf(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

function digitOf(c: string): string {
  const i = OMOCODIA_LETTERS.indexOf(c);
  return i >= 0 ? String(i) : c;
}

function daysInMonth(month: number, year2: number): number {
  if (month === 2) return year2 % 4 === 0 ? 29 : 28; // 00 may be 2000 (leap) or 1900: accept the 29th
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The birth date a CF states, as YYYY-MM-DD. The code keeps two digits of the year: the century
 * is the latest that does not put the birth after `referenceYear`.
 */
export function birthDateOf(p: ParsedCf, referenceYear: number): string {
  const year = 2000 + p.birthYear2 <= referenceYear ? 2000 + p.birthYear2 : 1900 + p.birthYear2;
  return `${year}-${String(p.birthMonth).padStart(2, '0')}-${String(p.birthDay).padStart(2, '0')}`;
}

export function parseCf(input: string): ParseCfResult {
  const cf = normalizeCf(input);
  if (!CF_PATTERN.test(cf)) return { ok: false, error: 'format' };
  if (checkCharacter(cf.slice(0, 15)) !== cf.charAt(15)) return { ok: false, error: 'checksum' };

  const chars = [...cf];
  let omocodiaLevel = 0;
  for (const p of NUMERIC_POSITIONS_RIGHT_TO_LEFT) {
    const c = chars[p] ?? '';
    if (OMOCODIA_LETTERS.includes(c)) omocodiaLevel++;
    chars[p] = digitOf(c);
  }
  const plain15 = chars.slice(0, 15).join('');

  const birthYear2 = Number(plain15.slice(6, 8));
  const birthMonth = MONTH_LETTERS.indexOf(plain15.charAt(8)) + 1;
  const rawDay = Number(plain15.slice(9, 11));
  const sesso: Sesso = rawDay > 40 ? 'F' : 'M';
  const birthDay = rawDay > 40 ? rawDay - 40 : rawDay;
  if (birthDay < 1 || birthDay > daysInMonth(birthMonth, birthYear2)) return { ok: false, error: 'date' };

  return {
    ok: true,
    value: {
      cf,
      canonical: plain15 + checkCharacter(plain15),
      omocodiaLevel,
      surnameCode: plain15.slice(0, 3),
      nameCode: plain15.slice(3, 6),
      birthYear2,
      birthMonth,
      birthDay,
      sesso,
      belfiore: plain15.slice(11, 15),
    },
  };
}

/** Letters that neither decompose under NFD nor upper-case to plain A–Z. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  Æ: 'AE',
  Œ: 'OE',
  Ø: 'O',
  Ł: 'L',
  Đ: 'D',
  Ð: 'D',
  Þ: 'TH',
  ẞ: 'SS',
  ß: 'SS',
  ı: 'I',
};

/** A name as the code reads it: accents off (À→A, Ö→O), upper case, letters only (no spaces, apostrophes, hyphens). */
export function lettersOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ÆŒØŁĐÐÞẞßı]/giu, (c) => TRANSLITERATIONS[c] ?? TRANSLITERATIONS[c.toUpperCase()] ?? c)
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

function split(name: string): { consonants: string; vowels: string } {
  const letters = lettersOf(name);
  return { consonants: letters.replace(/[AEIOU]/g, ''), vowels: letters.replace(/[^AEIOU]/g, '') };
}

/** First three consonants, then vowels, then X. */
export function surnameCode(cognome: string): string {
  const { consonants, vowels } = split(cognome);
  return `${consonants}${vowels}XXX`.slice(0, 3);
}

/** With four consonants or more: the 1st, 3rd and 4th; otherwise as for the surname. */
export function nameCode(nome: string): string {
  const { consonants, vowels } = split(nome);
  if (consonants.length >= 4) return `${consonants.charAt(0)}${consonants.charAt(2)}${consonants.charAt(3)}`;
  return `${consonants}${vowels}XXX`.slice(0, 3);
}

/**
 * The codice fiscale for the data, without omocodia; `omocodiaLevel` (1–7) gives the variant
 * the Agenzia would issue after that many collisions. Throws RangeError on an invalid date,
 * sesso or Belfiore code: these come from validated forms or test fixtures.
 */
export function computeCf(data: PersonalData, options: { omocodiaLevel?: number } = {}): string {
  const { dataNascita, sesso } = data;
  if (Number.isNaN(dataNascita.getTime())) throw new RangeError('invalid dataNascita');
  if (sesso !== 'M' && sesso !== 'F') throw new RangeError('sesso must be M or F');
  const belfiore = data.belfioreNascita.trim().toUpperCase();
  if (!/^[A-Z]\d{3}$/.test(belfiore)) throw new RangeError(`not a Belfiore code: ${data.belfioreNascita}`);

  const yy = String(dataNascita.getUTCFullYear() % 100).padStart(2, '0');
  const month = MONTH_LETTERS.charAt(dataNascita.getUTCMonth());
  const dd = String(dataNascita.getUTCDate() + (sesso === 'F' ? 40 : 0)).padStart(2, '0');
  const plain = `${surnameCode(data.cognome)}${nameCode(data.nome)}${yy}${month}${dd}${belfiore}`;
  const first15 = applyOmocodiaTo15(plain, options.omocodiaLevel ?? 0);
  return first15 + checkCharacter(first15);
}

/** The same code with `level` (0–7) numeric positions turned into letters, check character recomputed. */
export function omocodiaVariant(cf: string, level: number): string {
  const parsed = parseCf(cf);
  if (!parsed.ok) throw new RangeError(`not a valid codice fiscale (${parsed.error})`);
  const first15 = applyOmocodiaTo15(parsed.value.canonical.slice(0, 15), level);
  return first15 + checkCharacter(first15);
}

/** The base code of a codice fiscale's omocodia family (the code itself, normalised, when it is not valid). */
export function canonicalCf(input: string): string {
  const parsed = parseCf(input);
  return parsed.ok ? parsed.value.canonical : normalizeCf(input);
}

/**
 * docs/security.md (omocodic variants): every code of one omocodia family — the base code and each
 * code with any of the seven numeric positions turned into its letter (2^7 = 128 codes, check
 * character recomputed). parseCf accepts them all and maps them to one `canonical`; R1 asks about
 * the whole family. An invalid code is its own family.
 */
export function omocodiaFamily(cf: string): string[] {
  const parsed = parseCf(cf);
  if (!parsed.ok) return [normalizeCf(cf)];
  const base = parsed.value.canonical.slice(0, 15);
  const family: string[] = [];
  for (let mask = 0; mask < 1 << NUMERIC_POSITIONS_RIGHT_TO_LEFT.length; mask++) {
    const chars = [...base];
    NUMERIC_POSITIONS_RIGHT_TO_LEFT.forEach((p, i) => {
      if (mask & (1 << i)) chars[p] = OMOCODIA_LETTERS.charAt(Number(chars[p]));
    });
    const first15 = chars.join('');
    family.push(first15 + checkCharacter(first15));
  }
  return family;
}

function applyOmocodiaTo15(plain15: string, level: number): string {
  if (!Number.isInteger(level) || level < 0 || level > 7) throw new RangeError('omocodiaLevel must be 0–7');
  const chars = [...plain15];
  for (const p of NUMERIC_POSITIONS_RIGHT_TO_LEFT.slice(0, level)) {
    chars[p] = OMOCODIA_LETTERS.charAt(Number(chars[p]));
  }
  return chars.join('');
}

/**
 * Which of the declared data the codice fiscale contradicts; empty when it fits them all.
 * The year matches on its last two digits (the code has no century). The place of birth
 * must be the code in the CF and must have existed on the date of birth (a comune suppressed
 * before, or created after, cannot be). Throws RangeError when `cf` is not a valid code:
 * check it with parseCf first, which tells the user why.
 */
export function checkCoherence(cf: string | ParsedCf, data: PersonalData): CoherenceField[] {
  let parsed: ParsedCf;
  if (typeof cf === 'string') {
    const result = parseCf(cf);
    if (!result.ok) throw new RangeError(`not a valid codice fiscale (${result.error})`);
    parsed = result.value;
  } else {
    parsed = cf;
  }
  const mismatches: CoherenceField[] = [];
  if (surnameCode(data.cognome) !== parsed.surnameCode) mismatches.push('cognome');
  if (nameCode(data.nome) !== parsed.nameCode) mismatches.push('nome');
  const d = data.dataNascita;
  if (
    Number.isNaN(d.getTime()) ||
    d.getUTCFullYear() % 100 !== parsed.birthYear2 ||
    d.getUTCMonth() + 1 !== parsed.birthMonth ||
    d.getUTCDate() !== parsed.birthDay
  ) {
    mismatches.push('dataNascita');
  }
  if (data.sesso !== parsed.sesso) mismatches.push('sesso');
  const belfiore = data.belfioreNascita.trim().toUpperCase();
  if (belfiore !== parsed.belfiore || Number.isNaN(d.getTime()) || !belfioreValidAt(belfiore, d)) mismatches.push('luogoNascita');
  return mismatches;
}
