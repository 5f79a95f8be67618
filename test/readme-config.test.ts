import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { environmentVariables } from '../src/config/config.js';

/**
 * Issue 14 part 4: README.md's configuration table lists exactly the environment variables
 * Varco reads — the keys of the config schema (`environmentVariables` of src/config/config.ts) and any variable
 * the configuration or the CLI reads from the environment directly.
 */
const root = path.resolve(import.meta.dirname, '..');
const DIRECT_READERS = ['src/config/config.ts', 'src/config/identity-providers.ts', 'src/cli.ts'].map((f) => path.join(root, f));

const ENV_NAME = /^(?:VARCO_[A-Z0-9_]+|HOST|PORT|DATABASE_URL|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/;

function parse(file: string, text = readFileSync(file, 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Variables read straight from an environment object: `env.X`, `process.env.X`, `env['X']`. */
function directReads(source: ts.SourceFile): string[] {
  const names: string[] = [];
  const isEnv = (e: ts.Expression) => (ts.isIdentifier(e) && e.text === 'env') || (ts.isPropertyAccessExpression(e) && e.name.text === 'env');
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isEnv(node.expression)) names.push(node.name.text);
    if (ts.isElementAccessExpression(node) && isEnv(node.expression) && ts.isStringLiteral(node.argumentExpression)) names.push(node.argumentExpression.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names.filter((n) => ENV_NAME.test(n));
}

/** The variables in the first column of the table under "## Configuration" (`A`, `A` / `B`, `A`, `B`). */
function readmeVariables(readme: string): string[] {
  const start = readme.search(/^## Configuration\s*$/m);
  if (start < 0) throw new Error('README.md has no "## Configuration" section');
  const rest = readme.slice(start).split('\n').slice(1);
  const end = rest.findIndex((l) => l.startsWith('## '));
  const section = end < 0 ? rest : rest.slice(0, end);
  const names: string[] = [];
  for (const line of section) {
    if (!line.startsWith('|')) continue;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([^`]+)`/g)) if (m[1] && ENV_NAME.test(m[1])) names.push(m[1]);
  }
  return names;
}

function configVariables(): string[] {
  const schema = environmentVariables;
  const direct = DIRECT_READERS.flatMap((f) => directReads(parse(f)));
  return [...new Set([...schema, ...direct])].sort();
}

describe('README.md configuration table against the config schema', () => {
  const read = configVariables();
  const listed = readmeVariables(readFileSync(path.join(root, 'README.md'), 'utf8'));

  it('reads the schema (the comparison is not vacuous)', () => {
    expect(read.length).toBeGreaterThan(50);
    expect(read).toEqual(expect.arrayContaining(['VARCO_MODE', 'HOST', 'PORT', 'DATABASE_URL', 'SMTP_URL', 'LOG_LEVEL']));
    expect(listed).toEqual(expect.arrayContaining(['VARCO_MODE', 'VARCO_MAIL_FROM', 'VARCO_PEC_FROM', 'VARCO_TLS_CERT', 'VARCO_TLS_KEY']));
  });

  it('lists every variable the configuration reads', () => {
    const missing = read.filter((v) => !listed.includes(v));
    expect(missing, `missing from README.md's configuration table: ${missing.join(', ')}`).toEqual([]);
  });

  it('lists no variable the configuration does not read', () => {
    const unknown = [...new Set(listed)].filter((v) => !read.includes(v));
    expect(unknown, `in README.md's configuration table but not read by src/config/config.ts: ${unknown.join(', ')}`).toEqual([]);
  });

  it('lists each variable once', () => {
    const twice = listed.filter((v, i) => listed.indexOf(v) !== i);
    expect(twice, `listed twice in README.md's configuration table: ${twice.join(', ')}`).toEqual([]);
  });
});

describe('the readers fail on a difference', () => {
  it('finds the direct reads of a config source', () => {
    const source = parse(
      'x.ts',
      `export function load(env = process.env) { return env.VARCO_C ?? process.env.HOST ?? env['DATABASE_URL'] ?? env.toString(); }`,
    );
    expect(directReads(source)).toEqual(['VARCO_C', 'HOST', 'DATABASE_URL']);
  });

  it('reads only the configuration table, with several variables in one row', () => {
    const readme = [
      '## Quick start',
      '| `VARCO_NOT_THIS` | x | y |',
      '## Configuration',
      'Prose naming `VARCO_PROSE`.',
      '| variable | default | meaning |',
      '|---|---|---|',
      '| `VARCO_MODE` | `development` | `VARCO_IN_MEANING` |',
      '| `VARCO_MAIL_FROM` / `VARCO_PEC_FROM` | a | b |',
      '| `VARCO_TLS_CERT`, `VARCO_TLS_KEY` | — | c |',
      '## Deployment',
      '| `VARCO_NOR_THIS` | x | y |',
    ].join('\n');
    expect(readmeVariables(readme)).toEqual(['VARCO_MODE', 'VARCO_MAIL_FROM', 'VARCO_PEC_FROM', 'VARCO_TLS_CERT', 'VARCO_TLS_KEY']);
  });
});
