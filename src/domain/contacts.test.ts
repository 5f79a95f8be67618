import { describe, expect, it } from 'vitest';
import { checkCellulare, formatItalianDate, normalizeEmail, normalizePhone, parseItalianDate, smsAllowed } from './contacts.js';

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

describe('cellulare (issue 12 F6: the SMS allow-list)', () => {
  it('accepts an Italian mobile by default, and another calling code only when listed', () => {
    expect(checkCellulare('333 1234567')).toEqual({ ok: true, e164: '+393331234567' });
    expect(checkCellulare('+41 79 123 45 67')).toEqual({ ok: false, error: 'country' });
    expect(checkCellulare('+41 79 123 45 67', ['39', '41'])).toEqual({ ok: true, e164: '+41791234567' });
  });
  it.each([
    ['+882 1234 56789', 'country'],
    ['+883 510 000000', 'country'],
    ['06 1234567', 'notMobile'],
    ['12', 'format'],
  ])('refuses %s (%s)', (input, error) => {
    expect(checkCellulare(input)).toEqual({ ok: false, error });
  });
  it('matches whole calling codes (prefix-free)', () => {
    expect(smsAllowed('+378123456', ['39'])).toBe(false);
    expect(smsAllowed('+378123456', ['378'])).toBe(true);
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
