import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, entry);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|mjs|js|css)$/.test(entry)) out.push(rel);
  }
  return out;
}

/** What the code cites: rules, seeds, STYLE notes and docs files, each with where it is cited. */
function citations(texts: Map<string, string>): { rules: Set<string>; seeds: Set<string>; style: Set<string>; docs: Set<string> } {
  const rules = new Set<string>();
  const seeds = new Set<string>();
  const style = new Set<string>();
  const docs = new Set<string>();
  for (const text of texts.values()) {
    for (const m of text.matchAll(/\bR(\d{1,2})\b/g)) rules.add(`R${m[1]}`);
    for (const m of text.matchAll(/\bseeds? (\d{3})\b/g)) seeds.add(m[1] ?? '');
    for (const m of text.matchAll(/STYLE: ([a-z][a-z ]+[a-z])/g)) style.add(m[1] ?? '');
    for (const m of text.matchAll(/\bdocs\/[\w/.-]+\.md\b/g)) docs.add(m[0]);
  }
  return { rules, seeds, style, docs };
}

describe('every reference of the code resolves inside the repository (docs/conventions)', () => {
  // This file names wrong citations on purpose (the last case).
  const files = [...sources('src'), ...sources('test'), ...sources('bench'), ...sources('scripts')].filter(
    (f) => f !== path.join('test', 'references.test.ts'),
  );
  const texts = new Map(files.map((f) => [f, read(f)]));
  const cited = citations(texts);
  const design = read('docs/conventions/DESIGN.md');
  const styleDoc = read('docs/conventions/STYLE.md').toLowerCase();
  const seedsDoc = read('docs/seeds.md');

  it('each rule cited is a rule of DESIGN.md', () => {
    expect(cited.rules.size).toBeGreaterThan(20);
    expect([...cited.rules].filter((r) => !design.includes(`| ${r} |`))).toEqual([]);
  });

  it('each seed cited is described in docs/seeds.md', () => {
    expect([...cited.seeds].filter((s) => !seedsDoc.includes(`| ${s} |`))).toEqual([]);
  });

  it('each STYLE note cited is in STYLE.md', () => {
    expect(cited.style.size).toBeGreaterThan(0);
    expect([...cited.style].filter((s) => !styleDoc.includes(s))).toEqual([]);
  });

  it('each docs file named exists', () => {
    expect([...cited.docs].filter((d) => !existsSync(path.join(ROOT, d)))).toEqual([]);
  });

  it('the check finds what a wrong citation names', () => {
    const wrong = citations(new Map([['x.ts', '// R99 (seed 007, STYLE: never written, docs/nowhere.md)']]));
    expect([...wrong.rules].filter((r) => !design.includes(`| ${r} |`))).toEqual(['R99']);
    expect([...wrong.seeds]).toEqual(['007']);
    expect([...wrong.style].filter((s) => !styleDoc.includes(s))).toEqual(['never written']);
    expect([...wrong.docs].filter((d) => !existsSync(path.join(ROOT, d)))).toEqual(['docs/nowhere.md']);
  });
});
