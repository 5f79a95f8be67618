import { describe, expect, it } from 'vitest';
import { catalogOf, isLocale, negotiateLocale, translator } from './index.js';

// Every module's texts are registered (test/support/setup-modules.ts, as in every process).
const itCatalog = catalogOf('it');
const de = catalogOf('de');
const en = catalogOf('en');

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs (R22: German and English complete)', () => {
  it.each([
    ['de', de],
    ['en', en],
  ] as const)('%s has every key, with the same placeholders, translated', (_name, catalog) => {
    expect(Object.keys(catalog)).toEqual(Object.keys(itCatalog));
    for (const [key, text] of Object.entries(itCatalog)) {
      const other = catalog[key] ?? '';
      expect(placeholders(other), key).toEqual(placeholders(text));
      expect(other.trim(), key).not.toBe('');
    }
    const same = Object.keys(itCatalog).filter((k) => catalog[k] === itCatalog[k] && /[a-z]{4,} [a-z]{4,}/.test(itCatalog[k] ?? ''));
    expect(same.filter((k) => !['lang.deutsch'].includes(k))).toEqual([]);
  });

  it('interpolates and negotiates the language', () => {
    expect(translator('it', { istituto: 'INPS' })('req.alreadyAssigned', { cf: 'X' })).toBe("L'utente X ha già un PIN assegnato");
    expect(negotiateLocale(undefined, 'de-AT,de;q=0.9,en;q=0.8')).toBe('de');
    expect(negotiateLocale('en', 'de')).toBe('en');
    expect(negotiateLocale('xx', 'fr-FR')).toBe('it');
    expect(isLocale('de')).toBe(true);
  });
});
