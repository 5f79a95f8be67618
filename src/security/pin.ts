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

/** PINs are case-insensitive on input: spaces and dashes dropped, upper-cased. */
export function normalizePin(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/** R4: the first 8 characters travel by SMS/email, the second 8 by post. */
export function splitInitialPin(pin: string): { first: string; second: string } {
  return { first: pin.slice(0, 8), second: pin.slice(8, 16) };
}
