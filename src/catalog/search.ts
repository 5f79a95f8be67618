/**
 * Search for the catalog: words in any form. Lower case, accents dropped, short words of Italian,
 * German and English left out, and each word reduced to a stem (plural and gender endings), so
 * "richieste", "richiesta" and "RICHIEDERE" meet; a query word also matches the start of a word
 * ("prest" finds "prestazioni"), a word one or two letters off ("richesta") and, for longer words,
 * a word inside a compound ("Antrag" in "beantragen").
 *
 * Ranking: a title is what a citizen names the service by, so a query word found in a title
 * (exactly, as a prefix, with a typo) weighs far above the same word in the body; among titles
 * the one the query covers best (all of its words typed, "near-exact") comes first.
 */
const STOPWORDS = new Set(
  'a ad al alla alle allo ai agli con da dal dalla dei del della delle dello di e ed gli i il in la le lo nel nella o per su tra un una uno the of and or to for in on a an your my der die das den dem des und oder fur zu zum zur im in ein eine mit von ihre ihren'.split(
    ' ',
  ),
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

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      // Every index is within the rows (0..b.length): the fallbacks are never taken.
      const v = Math.min((prev[j] ?? Infinity) + 1, (cur[j - 1] ?? Infinity) + 1, (prev[j - 1] ?? Infinity) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/** Typos allowed for a word: none for short ones (too many false friends), one from 4 letters, two from 8. */
const allowedTypos = (w: string) => (w.length >= 8 ? 2 : w.length >= 4 ? 1 : 0);

/** How well query word `w` matches text word `t`: 1 exact, less for prefix, typo or compound part, 0 not at all. */
export function wordMatch(w: string, t: string): number {
  if (w === t) return 1;
  if (t.startsWith(w) || (w.startsWith(t) && t.length >= 3)) return 0.8;
  const max = allowedTypos(w);
  if (max > 0 && editDistance(w, t, max) <= max) return 0.7;
  // The prefix of a longer word, typed with a typo ("richiest" for "richiesta").
  if (max > 0 && t.length > w.length && editDistance(w, t.slice(0, w.length), max) <= max) return 0.6;
  if (w.length >= 5 && t.includes(w)) return 0.5;
  return 0;
}

const best = (w: string, words: string[]) => words.reduce((m, t) => Math.max(m, wordMatch(w, t)), 0);

export interface Searchable<T> {
  item: T;
  /** Titles (one per language, and the names citizens give the service): matches there weigh far more. */
  title: string | string[];
  body: string;
}

const TITLE_WEIGHT = 10;
const BODY_WEIGHT = 1;

/** Items ranked by title matches first (the best-covered title), then body matches. */
export function search<T>(items: Searchable<T>[], query: string): T[] {
  const q = [...new Set(tokens(query))];
  if (q.length === 0) return [];
  const scored = items.map((it, order) => {
    const titles = (Array.isArray(it.title) ? it.title : [it.title]).map(tokens).filter((t) => t.length > 0);
    const body = tokens(it.body);
    let titleScore = 0;
    let titleMatched = 0;
    let coverage = 0;
    for (const title of titles) {
      const per = q.map((w) => best(w, title));
      const sum = per.reduce((a, b) => a + b, 0);
      const matchedHere = per.filter((x) => x > 0).length;
      // Share of the title's words the query typed: "richiesta pin" covers all of "Richiesta PIN".
      const covered = title.filter((t) => q.some((w) => wordMatch(w, t) > 0)).length / title.length;
      if (sum > titleScore || (sum === titleScore && covered > coverage)) {
        titleScore = sum;
        titleMatched = matchedHere;
        coverage = covered;
      }
    }
    const bodyPer = q.map((w) => best(w, body));
    const bodyScore = bodyPer.reduce((a, b) => a + b, 0);
    const allTitleWords = titles.flat();
    const matched = q.filter((w, i) => (bodyPer[i] ?? 0) > 0 || best(w, allTitleWords) > 0).length;
    const score = TITLE_WEIGHT * (titleScore + coverage) + (titleMatched === q.length ? TITLE_WEIGHT : 0) + BODY_WEIGHT * bodyScore;
    return { it, score, matched, order };
  });
  const most = Math.max(...scored.map((s) => s.matched));
  // Keep the items that match the most query words (at least half of them).
  return scored
    .filter((s) => s.matched > 0 && s.matched === most && s.matched >= Math.ceil(q.length / 2))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((s) => s.it.item);
}
