/**
 * Search for the catalog: words in any form. Lower case, accents dropped, short words of Italian,
 * German and English left out, and each word reduced to a stem (plural and gender endings), so
 * "richieste", "richiesta" and "RICHIEDERE" meet; a query word also matches the start of a word
 * ("prest" finds "prestazioni").
 */
const STOPWORDS = new Set(
  'a ad al alla alle allo ai agli con da dal dalla dei del della delle dello di e ed gli i il in la le lo nel nella o per su tra un una uno the of and or to for in on a an der die das den dem des und oder fur zu zum zur im in ein eine mit von'.split(' '),
);

export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['zioni', 'zione', 'mente', 'ere', 'are', 'ire', 'en', 'ing', 'es', 'i', 'e', 'a', 'o', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

export interface Searchable<T> {
  item: T;
  /** Title text: matches there weigh more. */
  title: string;
  body: string;
}

/** Items ranked by how many query words they contain (title words count three times). */
export function search<T>(items: Searchable<T>[], query: string): T[] {
  const q = [...new Set(tokens(query))];
  if (q.length === 0) return [];
  const scored = items.map((it) => {
    const title = tokens(it.title);
    const body = tokens(it.body);
    let score = 0;
    let matched = 0;
    for (const w of q) {
      const inTitle = title.some((t) => t.startsWith(w) || w.startsWith(t));
      const inBody = body.some((t) => t.startsWith(w) || w.startsWith(t));
      if (inTitle || inBody) matched++;
      score += (inTitle ? 3 : 0) + (inBody ? 1 : 0);
    }
    return { it, score, matched };
  });
  const best = Math.max(...scored.map((s) => s.matched));
  // Keep the items that match the most query words (at least half of them).
  return scored
    .filter((s) => s.matched > 0 && s.matched === best && s.matched >= Math.ceil(q.length / 2))
    .sort((a, b) => b.score - a.score)
    .map((s) => s.it.item);
}
