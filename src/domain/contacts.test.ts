import { describe, expect, it } from 'vitest';
import { formatItalianDate, normalizeEmail, normalizePhone, parseItalianDate } from './contacts.js';

describe('phones (R2: with prefix, international from abroad)', () => {
  it.each([
    ['333 1234567', '+393331234567', true],
    ['+39 333-123.4567', '+393331234567', true],
    ['0039 3331234567', '+393331234567', true],
    ['06 1234567', '+39061234567', false],
    ['+41 79 123 45 67', '+41791234567', false],
  ])('%s → %s', (input, e164, mobile) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164, italianMobile: mobile });
  });

  it.each(['abc', '12', '+39 12345', '+0 123456789', '933 1234567', '+3933312345678901'])('refuses %s', (input) => {
    expect(normalizePhone(input).ok).toBe(false);
  });
});

describe('email', () => {
  it('accepts and lower-cases the domain', () => {
    expect(normalizeEmail(' Mario.Rossi@Example.IT ')).toBe('Mario.Rossi@example.it');
  });
  it.each(['mario', 'mario@', '@x.it', 'a b@x.it', 'a@x', `${'a'.repeat(65)}@x.it`, 'a@-x.it'])('refuses %s', (input) => {
    expect(normalizeEmail(input)).toBeUndefined();
  });
});

describe('dates GG/MM/AAAA', () => {
  it('parses real dates only', () => {
    expect(parseItalianDate('10/12/1985')).toBe('1985-12-10');
    expect(parseItalianDate('1-2-2000')).toBe('2000-02-01');
    expect(parseItalianDate('29/02/2001')).toBeUndefined();
    expect(parseItalianDate('1985-12-10')).toBeUndefined();
    expect(parseItalianDate('32/01/2000')).toBeUndefined();
  });
  it('formats back', () => {
    expect(formatItalianDate('1985-12-10')).toBe('10/12/1985');
  });
});
