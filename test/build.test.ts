import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { staleness } from '../scripts/build.mjs';

/**
 * Issue 16, a compiled build: `varco` runs dist/ (tsc's JavaScript, built by `npm ci` and before
 * the suite by test/support/global-setup.ts) with plain node, and its commands load what they use
 * when they run. The modules a process loaded are read by a resolve hook
 * (test/support/record-imports.mjs); nothing here measures time.
 */
const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const recorder = pathToFileURL(path.join(root, 'test/support/record-imports.mjs')).href;

/** `node <entry> --help` with the recorder: what it printed and the URLs of every module it loaded. */
async function helpOf(entry: string): Promise<{ stdout: string; loaded: string[] }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'varco-imports-')), 'loaded.txt');
  const { NODE_OPTIONS: _inherited, ...env } = process.env;
  const { stdout } = await run(process.execPath, ['--import', recorder, entry, '--help'], { cwd: root, env: { ...env, VARCO_RECORD_IMPORTS: file } });
  return { stdout, loaded: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

/** The packages the server, the database, the hasher and the OpenID Provider need: none for `--help`. */
const HEAVY = ['fastify', 'pg', 'kysely', '@electric-sql/pglite', '@node-rs/argon2', 'jose', 'oidc-provider', 'openid-client', 'nodemailer', 'pdfkit', 'zod'];

/** The files of src/ that the build compiles (or copies: the JSON the modules import), relative to src/. */
function sources(dir = path.join(root, 'src'), rel = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name), path.join(rel, e.name)) : [path.join(rel, e.name)],
  );
}

describe('the compiled build', () => {
  it('dist/ is current, and holds a module for every source of src/ and the JSON catalogs they import', () => {
    expect(staleness()).toBeNull();
    const missing = sources()
      .filter((f) => (f.endsWith('.ts') && !f.endsWith('.test.ts')) || f.endsWith('.json'))
      .map((f) => f.replace(/\.ts$/, '.js'))
      .filter((f) => !existsSync(path.join(root, 'dist', f)));
    expect(missing).toEqual([]);
  });

  it('bin/varco.js runs dist/cli.js with plain node: the usage, exit 0, no TypeScript loader and no source file loaded', async () => {
    const { stdout, loaded } = await helpOf('bin/varco.js');
    expect(stdout).toMatch(/^Usage: varco <command>\n {2}serve /);
    expect(loaded).toContain(pathToFileURL(path.join(root, 'dist/cli.js')).href);
    expect(loaded.filter((url) => url.includes('/node_modules/tsx/') || url.endsWith('.ts'))).toEqual([]);
  });

  it('`varco --help` loads neither the server, nor the database, the hasher or the OpenID Provider', async () => {
    const { stdout, loaded } = await helpOf('dist/cli.js');
    expect(stdout).toContain('Usage: varco <command>');
    const heavy = loaded.filter(
      (url) => HEAVY.some((pkg) => url.includes(`/node_modules/${pkg}/`)) || url.includes('/dist/server/') || url.includes('/dist/db/database'),
    );
    expect(heavy).toEqual([]);
    // The recorder works: the light modules the CLI does import are in the list.
    expect(loaded).toContain(pathToFileURL(path.join(root, 'dist/audit/events.js')).href);
  });
});
