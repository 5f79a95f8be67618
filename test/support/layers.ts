import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The layers of src/ (docs/architecture.md), lowest first. A file may import its own layer or a
 * lower one, never a higher one. The first matching prefix names a file's layer.
 */
export const LAYERS: { name: string; paths: string[] }[] = [
  { name: 'domain', paths: ['domain/'] },
  {
    name: 'platform',
    paths: ['config/', 'db/', 'i18n/', 'security/', 'audit/', 'outbox/', 'sessions/', 'letters/', 'clients/', 'adapters/'],
  },
  { name: 'ui', paths: ['ui/'] },
  { name: 'features', paths: ['flows/', 'oidc/', 'federation/', 'cns/', 'catalog/', 'dev/'] },
  { name: 'backoffice', paths: ['backoffice/'] },
  { name: 'server', paths: ['server/', 'cli.ts'] },
];

export interface Violation {
  file: string;
  imports: string;
  fromLayer: string;
  toLayer: string;
}

/** The layer index of a path relative to src/ (`flows/richiesta/routes.ts`), or -1 when none matches. */
export function layerOf(rel: string): number {
  return LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith('/') ? rel.startsWith(p) : rel === p)));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g;

/** The relative imports of one source text, resolved against its path (both relative to src/). */
export function importsOf(rel: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec?.startsWith('.')) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** Every import from a lower layer to a higher one, and every file no layer claims. */
export function checkLayers(files: Map<string, string>): { violations: Violation[]; unlayered: string[] } {
  const violations: Violation[] = [];
  const unlayered: string[] = [];
  for (const [rel, text] of files) {
    const from = layerOf(rel);
    if (from < 0) {
      unlayered.push(rel);
      continue;
    }
    for (const target of importsOf(rel, text)) {
      if (target.startsWith('..')) continue; // outside src/ (package.json): not a layer
      const to = layerOf(target);
      if (to > from) violations.push({ file: rel, imports: target, fromLayer: LAYERS[from]?.name ?? '?', toLayer: LAYERS[to]?.name ?? '?' });
    }
  }
  return { violations, unlayered };
}

/** The TypeScript sources of src/ (tests included: a test sits in its layer too). */
export function readSources(srcDir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|mts)$/.test(entry)) files.set(path.relative(srcDir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(srcDir);
  return files;
}
