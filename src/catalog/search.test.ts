import { describe, expect, it } from 'vitest';
import { editDistance, search, tokens, wordMatch } from './search.js';

const items = [
  { item: 'richiesta', title: 'Richiesta PIN', body: 'Richiedi il PIN per accedere ai servizi online' },
  { item: 'ripristino', title: 'Ripristino del PIN', body: 'Se hai smarrito il PIN ricevi un nuovo PIN. PIN wiederherstellen. Restore your PIN' },
  { item: 'indennita', title: 'Indennità COVID-19', body: 'Domande per prestazioni a sostegno del reddito' },
];

describe('catalog search (R19)', () => {
  it('normalises case, accents, short words and endings', () => {
    expect(tokens('Indennità per i Lavoratori')).toEqual(['indennit', 'lavorator']);
    expect(tokens('richiesta')).toEqual(tokens('RICHIESTE'));
  });

  it.each([
    ['richiesta pin', 'richiesta'],
    ['Richieste PIN', 'richiesta'],
    ['pin smarrito', 'ripristino'],
    ['ripris', 'ripristino'],
    ['restore', 'ripristino'],
    ['domande per prestazioni a sostegno del reddito', 'indennita'],
    ['indennita covid', 'indennita'],
  ])('"%s" finds %s first', (q, expected) => {
    expect(search(items, q)[0]).toBe(expected);
  });

  it('typos, compounds and other languages find the title; title matches weigh far above body matches', () => {
    const catalog = [
      {
        item: 'revoca',
        title: ['Revoca del PIN', 'PIN widerrufen', 'Revoke your PIN'],
        body: 'Richiesta di revoca del PIN. Antrag auf Widerruf. Request to revoke the PIN',
      },
      {
        item: 'ripristino',
        title: ['Ripristino del PIN', 'PIN wiederherstellen', 'Restore your PIN'],
        body: 'Richiesta di un nuovo PIN, Antrag, request a new PIN',
      },
      { item: 'richiesta', title: ['Richiesta PIN', 'PIN beantragen', 'PIN request'], body: 'Come ottenere il PIN' },
    ];
    for (const q of ['richesta pin', 'PIN-Antrag', 'PIN request', 'pin reqest', 'beantrag']) expect(search(catalog, q)[0]).toBe('richiesta');
    expect(search(catalog, 'widerufen')[0]).toBe('revoca');
  });

  it('a typo is a small edit distance, not any word', () => {
    expect(wordMatch('richest', 'richiest')).toBeGreaterThan(0);
    expect(wordMatch('pin', 'pec')).toBe(0);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3);
  });

  it('finds nothing for unrelated words or an empty query', () => {
    expect(search(items, 'pensione di vecchiaia')).toEqual([]);
    expect(search(items, '  ')).toEqual([]);
  });
});
