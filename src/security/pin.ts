import { randomInt } from 'node:crypto';

/**
 * Alphabet of generated PINs: digits and upper-case letters, keeping one of each look-alike
 * pair (0/O/Q/1/I/L dropped; of 2/Z, 5/S, 8/B, 6/G, U/V the first-named of 2, 8, 6, U kept
 * and 5/S both dropped). 24 symbols: a 16-character PIN carries 16·log2(24) ≈ 73 bits, each
 * 8-character half ≈ 37 bits. See docs/decisions.md.
 */
export const PIN_ALPHABET = '2346789ACDEFHJKMNPRTUWXY';

/** Length of the initial PIN (R4) and of the PIN chosen at first access (R7). */
export const INITIAL_PIN_LENGTH = 16;
export const PIN_LENGTH = 8;

/** A fresh PIN from the crypto RNG; randomInt draws without modulo bias. */
export function generatePin(length: number = INITIAL_PIN_LENGTH): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += PIN_ALPHABET[randomInt(PIN_ALPHABET.length)];
  return pin;
}

/**
 * Alphabet of a PIN the citizen chooses (R7, seed 000: "caratteri alfanumerici (lettere e
 * numeri)"): every letter and digit. Generated PINs keep the look-alike-free PIN_ALPHABET.
 */
export const CHOSEN_PIN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * What a PIN field accepts as typed: the letter prints the PIN in groups ("X622 XTN7"), a copy
 * from a PDF or a message may bring dashes or no-break spaces. Room for 16 characters grouped
 * by spaces or dashes, with some slack.
 */
export const PIN_FIELD_MAXLENGTH = 32;

/** Spaces of any kind and dashes (hyphen-minus, the Unicode hyphens and dashes, minus sign). */
const SEPARATORS = /[\s\u00AD\u2010-\u2015\u2212-]/gu;

/**
 * PINs are case-insensitive on input: separators dropped, upper-cased. Every PIN was hashed in
 * this form (generated PINs are upper-case, chosen ones are stored upper-case), so accepting
 * lower case weakens nothing.
 */
export function normalizePin(input: string): string {
  return input.replace(SEPARATORS, '').toUpperCase();
}

/** Lengths a PIN typed to log in or to prove it is the citizen may have: chosen/semplificato 8, initial 16. */
export const TYPED_PIN_LENGTHS: readonly number[] = [PIN_LENGTH, INITIAL_PIN_LENGTH];

export type PinInputError = 'empty' | 'chars' | 'length';
export type PinInput = { ok: true; pin: string } | { ok: false; error: PinInputError };

/**
 * The one reading of a typed PIN (login, current PIN, new PIN): separators dropped, then only
 * ASCII letters and digits allowed (checked before upper-casing, so "ß" does not turn into "SS"),
 * then upper-cased and, when `lengths` is given, of one of those lengths. A malformed PIN is a
 * field error: it is never checked against a hash nor counted toward R9.
 */
export function readPin(raw: string, lengths?: readonly number[]): PinInput {
  if (raw.length > 4 * PIN_FIELD_MAXLENGTH) return { ok: false, error: 'length' };
  const stripped = raw.replace(SEPARATORS, '');
  if (!stripped) return { ok: false, error: 'empty' };
  if (!/^[A-Za-z0-9]+$/.test(stripped)) return { ok: false, error: 'chars' };
  const pin = stripped.toUpperCase();
  if (lengths && !lengths.includes(pin.length)) return { ok: false, error: 'length' };
  return { ok: true, pin };
}

/** R4: the first 8 characters travel by SMS/email, the second 8 by post. */
export function splitInitialPin(pin: string): { first: string; second: string } {
  return { first: pin.slice(0, 8), second: pin.slice(8, 16) };
}
