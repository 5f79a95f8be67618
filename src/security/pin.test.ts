import { describe, expect, it } from 'vitest';
import { INITIAL_PIN_LENGTH, PIN_ALPHABET, generatePin, normalizePin, splitInitialPin } from './pin.js';

describe('PIN generation (R4)', () => {
  it('makes 16 characters from the alphabet without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const pin = generatePin();
      expect(pin).toHaveLength(INITIAL_PIN_LENGTH);
      expect([...pin].every((c) => PIN_ALPHABET.includes(c))).toBe(true);
    }
    expect(PIN_ALPHABET).not.toMatch(/[0O1IL5SZBGVQ]/);
  });

  it('uses every symbol of the alphabet, roughly evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) for (const c of generatePin()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(PIN_ALPHABET.length);
    const expected = (3000 * 16) / PIN_ALPHABET.length;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.15);
  });

  it('never repeats in practice', () => {
    const pins = new Set(Array.from({ length: 5000 }, () => generatePin()));
    expect(pins.size).toBe(5000);
  });

  it('splits into the SMS/email half and the letter half', () => {
    expect(splitInitialPin('ABCDEFGHJKMNPRTU')).toEqual({ first: 'ABCDEFGH', second: 'JKMNPRTU' });
  });

  it('is case-insensitive on input', () => {
    expect(normalizePin(' acde fh-jk ')).toBe('ACDEFHJK');
  });
});
