import { describe, expect, it } from 'vitest';
import { search, tokens } from './search.js';

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

  it('finds nothing for unrelated words or an empty query', () => {
    expect(search(items, 'pensione di vecchiaia')).toEqual([]);
    expect(search(items, '  ')).toEqual([]);
  });
});
