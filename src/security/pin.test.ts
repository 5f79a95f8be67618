import { describe, expect, it } from 'vitest';
import { CHOSEN_PIN_ALPHABET, INITIAL_PIN_LENGTH, PIN_ALPHABET, TYPED_PIN_LENGTHS, generatePin, normalizePin, readPin, splitInitialPin } from './pin.js';

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

  it('issue 13: reads a PIN as printed or pasted; what cannot be a PIN is an error, not a PIN', () => {
    expect(readPin('X622 XTN7', TYPED_PIN_LENGTHS)).toEqual({ ok: true, pin: 'X622XTN7' });
    expect(readPin('acde-fh23 - x622\u00a0xtn7\u2013', TYPED_PIN_LENGTHS)).toEqual({ ok: true, pin: 'ACDEFH23X622XTN7' });
    expect(readPin(' \t- \u2014 ', TYPED_PIN_LENGTHS)).toEqual({ ok: false, error: 'empty' });
    expect(readPin('X622XTN!', TYPED_PIN_LENGTHS)).toEqual({ ok: false, error: 'chars' });
    expect(readPin('X622XTNß', TYPED_PIN_LENGTHS)).toEqual({ ok: false, error: 'chars' });
    expect(readPin('X622XTN', TYPED_PIN_LENGTHS)).toEqual({ ok: false, error: 'length' });
    expect(readPin('X'.repeat(1000))).toEqual({ ok: false, error: 'length' });
    expect(normalizePin('x622\u2010xtn7')).toBe('X622XTN7');
  });

  it('issue 13 item 8: a chosen PIN may use every letter and digit; generated PINs keep the look-alike-free alphabet', () => {
    expect(CHOSEN_PIN_ALPHABET).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect([...PIN_ALPHABET].every((c) => CHOSEN_PIN_ALPHABET.includes(c))).toBe(true);
    expect(readPin('0o1iL5sZ', [8])).toEqual({ ok: true, pin: '0O1IL5SZ' });
  });
});
