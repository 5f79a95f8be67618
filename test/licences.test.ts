import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Varco is EUPL-1.2: every package shipped with it must carry a compatible licence (no CC BY-SA, no GPL). */
const COMPATIBLE = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Python-2.0',
  'EUPL-1.2',
]);

/** A package that declares nothing in package.json: read its licence file, else its readme (only the MIT text is recognised). */
function licenceFromFile(dir: string): string {
  const files = readdirSync(dir);
  const file = files.find((f) => /^licen[cs]e/i.test(f)) ?? files.find((f) => /^readme/i.test(f));
  const text = file ? readFileSync(path.join(dir, file), 'utf8') : '';
  return /Permission is hereby granted, free of charge/.test(text) && /WITHOUT WARRANTY OF ANY KIND/.test(text) ? 'MIT' : 'UNKNOWN';
}

describe('licences of the production dependencies', () => {
  it('are all compatible with EUPL-1.2', () => {
    const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' });
    const dirs = [...new Set(out.split('\n').filter((l) => l.includes('node_modules')))];
    expect(dirs.length).toBeGreaterThan(50);
    const bad: string[] = [];
    for (const dir of dirs) {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name: string;
        license?: string | { type: string };
        licenses?: { type: string }[];
      };
      const declared = typeof pkg.license === 'object' ? pkg.license.type : (pkg.license ?? pkg.licenses?.map((l) => l.type).join(' OR '));
      const licence = declared ?? licenceFromFile(dir);
      const ok = licence
        .replace(/[()]/g, '')
        .split(/ OR | AND /)
        .some((l) => COMPATIBLE.has(l.trim()));
      if (!ok) bad.push(`${pkg.name}: ${licence}`);
    }
    expect(bad).toEqual([]);
  });
});
