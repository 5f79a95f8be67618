/**
 * `npm run bench:startup` (issue 16): how long the command line takes to answer `--help` next to a
 * bare `node -e 0`, and how long `varco serve` takes until `/readyz` answers 200 — on the embedded
 * database (a fresh data folder: migrations and demo data; then the same folder again) and on
 * PostgreSQL (a fresh database, then the same one again). Medians of BENCH_RUNS runs (10 for the
 * commands, 3 for serve by default).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPgBin, startPgCluster } from '../scripts/pg-cluster.js';
import { freePort } from '../test/support/serve.js';
import { varcoDatabase } from './databases.js';
import { loopback, runBench } from './processes.js';
import { printMachine, printRow, printTableHead } from './report.js';
import { percentile } from './support.js';

const root = path.resolve(import.meta.dirname, '..');
const commandRuns = Number(process.env.BENCH_RUNS ?? 10);
const serveRuns = Number(process.env.BENCH_SERVE_RUNS ?? 3);

const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/** Wall-clock milliseconds of a command run to its end (it must succeed). */
function timed(cmd: string, args: string[], cwd = root): number {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/**
 * A package whose one command does nothing, for what `npx` itself costs: the run of a project's own
 * command (as `npx varco` is) reads the project and links it into npm's npx cache before it starts.
 */
function emptyCommandPackage(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'varco-npx-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'npx-floor', version: '1.0.0', bin: { 'npx-floor': 'noop.js' } }));
  writeFileSync(path.join(dir, 'noop.js'), '#!/usr/bin/env node\n', { mode: 0o755 });
  return dir;
}

/** Milliseconds from spawning `cmd args` (a `varco serve`) until its /readyz answers 200; then it is stopped. */
async function untilReady(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const base = loopback(port);
  const started = performance.now();
  let out = '';
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), VARCO_PUBLIC_URL: base, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // `npm start` runs node under a shell: the whole group is stopped.
    detached: true,
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited ${child.exitCode}: ${out}`);
      const status = await fetch(`${base}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return performance.now() - started;
      if (performance.now() - started > 180_000) throw new Error(`${cmd} ${args.join(' ')} not ready after 3 minutes: ${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

/** A serve's first start on fresh storage and its start again on the same storage, `serveRuns` times each. */
async function serveTwice(label: string, args: [string, string[]], fresh: () => Promise<NodeJS.ProcessEnv>, cleanup: (env: NodeJS.ProcessEnv) => void) {
  const first: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < serveRuns; i++) {
    const env = await fresh();
    first.push(await untilReady(...args, env));
    again.push(await untilReady(...args, env));
    cleanup(env);
  }
  printRow([`${label}, first start (migrations, demo data)`, seconds(median(first)), first.map(seconds).join(', ')]);
  printRow([`${label}, again`, seconds(median(again)), again.map(seconds).join(', ')]);
}

async function main(): Promise<void> {
  printMachine('startup');
  console.log(`commands: median of ${commandRuns} runs; serve until /readyz answers 200: median of ${serveRuns} runs`);
  const bare = Array.from({ length: commandRuns }, () => timed(process.execPath, ['-e', '0']));
  const floorDir = emptyCommandPackage();
  const floor = Array.from({ length: commandRuns }, () => timed('npx', ['npx-floor'], floorDir));
  rmSync(floorDir, { recursive: true, force: true });
  const npx = Array.from({ length: commandRuns }, () => timed('npx', ['varco', '--help']));
  const bin = Array.from({ length: commandRuns }, () => timed(process.execPath, ['bin/varco.js', '--help']));
  const target = 8 * median(bare) + 300;

  printTableHead(['measure', 'median', 'runs']);
  printRow(['`node -e 0`', seconds(median(bare)), bare.map(seconds).join(', ')]);
  printRow(['`npx` of a package whose command does nothing', seconds(median(floor)), floor.map(seconds).join(', ')]);
  printRow(['`npx varco --help`', seconds(median(npx)), npx.map(seconds).join(', ')]);
  printRow(['`node bin/varco.js --help`', seconds(median(bin)), bin.map(seconds).join(', ')]);

  const serve: [string, string[]] = [process.execPath, ['bin/varco.js', 'serve']];
  const dataDir = () => mkdtempSync(path.join(tmpdir(), 'varco-startup-'));
  const removeDir = (env: NodeJS.ProcessEnv) => rmSync(env.VARCO_DATA_DIR ?? '', { recursive: true, force: true });
  await serveTwice('`varco serve` → /readyz, PGlite', serve, async () => ({ VARCO_DATA_DIR: dataDir() }), removeDir);
  await serveTwice('`npm start` → /readyz, PGlite', ['npm', ['start', '--silent']], async () => ({ VARCO_DATA_DIR: dataDir() }), removeDir);

  let pgBin: string | undefined;
  try {
    pgBin = findPgBin();
  } catch {
    console.log('\n(no PostgreSQL binaries: the PostgreSQL rows are left out)');
  }
  if (pgBin) {
    const cluster = await startPgCluster();
    try {
      let n = 0;
      await serveTwice(
        '`varco serve` → /readyz, PostgreSQL',
        serve,
        async () => ({ VARCO_DATA_DIR: dataDir(), DATABASE_URL: await varcoDatabase(cluster, `varco_${n++}`) }),
        removeDir,
      );
    } finally {
      cluster.stop();
    }
  }
  const ok = median(npx) <= target;
  console.log(`\ntarget: \`npx varco --help\` within 8 × \`node -e 0\` + 0.3 s = ${seconds(target)}: ${ok ? 'met' : 'NOT met'}`);
}

runBench(main);
