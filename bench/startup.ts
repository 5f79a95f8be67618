/**
 * `npm run bench:startup` (issue 16): how long the command line takes to answer `--help` next to a
 * bare `node -e 0` (and next to `npx` of a package whose command does nothing: npx's own cost), and
 * how long `varco serve` takes until `/readyz` answers 200 — on the embedded database (a fresh data
 * folder: migrations and demo data; then the same folder again) and on PostgreSQL (a fresh
 * database, then the same one again). Medians of BENCH_RUNS runs (10 for the commands) and
 * BENCH_SERVE_RUNS (3 for serve).
 *
 * BENCH_BASELINE=dir: the same measures of another checkout (with its node_modules), each run of
 * this tree followed by one of the baseline, so that both meet the same load on a shared machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type PgCluster, findPgBin, startPgCluster } from '../scripts/pg-cluster.js';
import { freePort } from '../test/support/serve.js';
import { varcoDatabase } from './databases.js';
import { loopback, runBench } from './processes.js';
import { printMachine, printRow, printTableHead } from './report.js';
import { percentile } from './support.js';

const commandRuns = Number(process.env.BENCH_RUNS ?? 10);
const serveRuns = Number(process.env.BENCH_SERVE_RUNS ?? 3);

/** The checkouts measured: this one, and the baseline when given. */
const trees = [
  { label: 'this tree', root: path.resolve(import.meta.dirname, '..') },
  ...(process.env.BENCH_BASELINE ? [{ label: 'baseline', root: path.resolve(process.env.BENCH_BASELINE) }] : []),
];
type Tree = (typeof trees)[number];

const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/** Wall-clock milliseconds of a command run to its end (it must succeed). */
function timed(cmd: string, args: string[], cwd: string): number {
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

/** Milliseconds from spawning `cmd args` (a `varco serve`) in `cwd` until its /readyz answers 200; then it is stopped. */
async function untilReady(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const base = loopback(port);
  const started = performance.now();
  let out = '';
  const child = spawn(cmd, args, {
    cwd,
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

/** `runs` rounds of `measure` over every tree in turn; each round gives one time per label, printed a row per label and tree. */
async function rows(labels: string[], runs: number, measure: (tree: Tree) => Promise<number[]> | number[]): Promise<Map<Tree, number[][]>> {
  const results = new Map(trees.map((t) => [t, labels.map(() => [] as number[])]));
  for (let i = 0; i < runs; i++) {
    for (const tree of trees) {
      const times = await measure(tree);
      times.forEach((ms, k) => results.get(tree)?.[k]?.push(ms));
    }
  }
  for (const [k, label] of labels.entries()) {
    for (const [tree, byLabel] of results) {
      const ms = byLabel[k] ?? [];
      printRow([label, tree.label, seconds(median(ms)), ms.map(seconds).join(', ')]);
    }
  }
  return results;
}

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'varco-startup-'));

/** A serve's first start on fresh storage then its start again on the same storage: both times. */
async function firstAndAgain(tree: Tree, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number[]> {
  const first = await untilReady(tree.root, cmd, args, env);
  const again = await untilReady(tree.root, cmd, args, env);
  rmSync(env.VARCO_DATA_DIR ?? '', { recursive: true, force: true });
  return [first, again];
}

async function main(): Promise<void> {
  printMachine('startup');
  console.log(`commands: median of ${commandRuns} runs; serve until /readyz answers 200: median of ${serveRuns} runs`);
  if (trees.length > 1) console.log(`baseline: ${trees[1]?.root} (its runs alternate with this tree's)`);
  printTableHead(['measure', 'tree', 'median', 'runs']);

  const bare = Array.from({ length: commandRuns }, () => timed(process.execPath, ['-e', '0'], tmpdir()));
  printRow(['`node -e 0`', '—', seconds(median(bare)), bare.map(seconds).join(', ')]);
  const floorDir = emptyCommandPackage();
  const floor = Array.from({ length: commandRuns }, () => timed('npx', ['npx-floor'], floorDir));
  rmSync(floorDir, { recursive: true, force: true });
  printRow(['`npx` of a package whose command does nothing', '—', seconds(median(floor)), floor.map(seconds).join(', ')]);

  const npx = await rows(['`npx varco --help`'], commandRuns, (t) => [timed('npx', ['varco', '--help'], t.root)]);
  await rows(['`node bin/varco.js --help`'], commandRuns, (t) => [timed(process.execPath, ['bin/varco.js', '--help'], t.root)]);

  const serve = [process.execPath, 'bin/varco.js', 'serve'] as const;
  const pglite = ['`varco serve` → /readyz, PGlite, first start (migrations, demo data)', '`varco serve` → /readyz, PGlite, again'];
  await rows(pglite, serveRuns, (t) => firstAndAgain(t, serve[0], serve.slice(1), { VARCO_DATA_DIR: dataDir() }));
  const npmStart = ['`npm start` → /readyz, PGlite, first start', '`npm start` → /readyz, PGlite, again'];
  await rows(npmStart, serveRuns, (t) => firstAndAgain(t, 'npm', ['start', '--silent'], { VARCO_DATA_DIR: dataDir() }));

  let cluster: PgCluster | undefined;
  try {
    findPgBin();
    cluster = await startPgCluster();
  } catch (error) {
    console.log(`\n(no PostgreSQL: the PostgreSQL rows are left out: ${(error as Error).message})`);
  }
  if (cluster) {
    const pgCluster = cluster;
    try {
      let n = 0;
      const postgres = ['`varco serve` → /readyz, PostgreSQL, first start (migrations, demo data)', '`varco serve` → /readyz, PostgreSQL, again'];
      await rows(postgres, serveRuns, async (t) =>
        firstAndAgain(t, serve[0], serve.slice(1), { VARCO_DATA_DIR: dataDir(), DATABASE_URL: await varcoDatabase(pgCluster, `varco_${n++}`) }),
      );
    } finally {
      pgCluster.stop();
    }
  }
  const target = 8 * median(bare) + 300;
  const ours = median(npx.get(trees[0] as Tree)?.[0] ?? []);
  console.log(`\ntarget: \`npx varco --help\` within 8 × \`node -e 0\` + 0.3 s = ${seconds(target)}: ${seconds(ours)}, ${ours <= target ? 'met' : 'NOT met'}`);
}

runBench(main);
