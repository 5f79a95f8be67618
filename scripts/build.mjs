#!/usr/bin/env node
// The compiled build (issue 16): src/ → dist/ with tsc (tsconfig.build.json), the JavaScript that
// bin/varco.js, `npm start` and the tests' child processes run with plain node.
//   node scripts/build.mjs             a clean build (`npm run build`; `prepare`, so `npm ci` runs it)
//   node scripts/build.mjs --if-stale  an incremental build, only when a source is newer than the
//                                      last build (`npm start`, the tests): a few milliseconds otherwise
// Plain JavaScript with no dependency: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
/** Written at the end of a successful build, with the time the build started. */
const STAMP = path.join(DIST, '.built');
/** What the build reads besides src/: a change here rebuilds too. */
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => path.join(ROOT, f));

/** The newest modification time (ms) under `dir`, its folders' own included (a deleted file changes its folder). */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Why dist/ must be built again, or null when it is current. */
export function staleness() {
  if (!existsSync(STAMP)) return 'dist/ has not been built';
  const built = statSync(STAMP).mtimeMs;
  const changed = [SRC, ...CONFIGS].find((p) => existsSync(p) && (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs) > built);
  return changed ? `${path.relative(ROOT, changed)} changed since the last build` : null;
}

/** The source a file of dist/ was compiled or copied from (`x.js` ← `x.ts`, `x.json` ← `x.json`). */
function sourceOf(distFile) {
  const rel = path.relative(DIST, distFile);
  return path.join(SRC, rel.endsWith('.js') ? rel.replace(/\.js$/, '.ts') : rel);
}

/** Removes what an incremental build leaves of deleted sources (a removed flow's catalog.js would still be found). */
function prune(dir = DIST) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(full);
      if (readdirSync(full).length === 0) rmSync(full, { recursive: true });
    } else if (dir !== DIST || !entry.name.startsWith('.')) {
      if (!existsSync(sourceOf(full))) rmSync(full);
    }
  }
}

/** Compiles src/ into dist/ (incrementally unless `clean`); false when tsc reported errors. */
export function build({ clean = false } = {}) {
  const started = Date.now();
  if (clean) rmSync(DIST, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) return false;
  prune();
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  // A source saved while tsc ran is newer than the stamp: the next check builds again.
  utimesSync(STAMP, new Date(started), new Date(started));
  return true;
}

/** Builds dist/ when it is stale; throws when the build fails. For the tests and the benches before they spawn `varco`. */
export function buildIfStale() {
  const why = staleness();
  if (!why) return;
  process.stderr.write(`Building dist/ (${why}) …\n`);
  if (!build()) throw new Error('The build of dist/ failed (tsc -p tsconfig.build.json): see the errors above.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--if-stale')) {
    try {
      buildIfStale();
    } catch (error) {
      console.error(error.message);
      process.exit(1);
    }
  } else if (!build({ clean: true })) {
    process.exit(1);
  }
}
