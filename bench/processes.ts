/** The benches' child processes: spawning portals and workers, waiting for them, stopping them; their environment. */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildIfStale } from '../scripts/build.mjs';

/** The address of a child listening on the loopback. */
export const loopback = (port: number): string => `http://127.0.0.1:${port}`;

/** BENCH_CPU_PROF_DIR=dir: the benches write V8 CPU profiles of their portals there (open them in Chrome DevTools). */
export const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR;

export interface SpawnOptions {
  /** Writes a V8 CPU profile of the child into that folder. */
  profileDir?: string | undefined;
  /** stdin, stdout, stderr: by default only stderr is shown. */
  stdio?: StdioOptions;
}

/** A `node --import tsx` child running a bench's own TypeScript (the bare route). */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv, options: SpawnOptions = {}): ChildProcess {
  return spawnChild(args, env, options, ['--import', 'tsx']);
}

/** A `node` child running `args` with plain node (the compiled CLI), or with `--import tsx` (a bench's own TypeScript). */
function spawnChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  { profileDir, stdio = ['ignore', 'ignore', 'inherit'] }: SpawnOptions,
  loader: string[],
): ChildProcess {
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawn(process.execPath, [...prof, ...loader, ...args], { env, stdio });
}

let built = false;

/** `varco <command>` (serve, worker, migrate) as a child: the compiled CLI, as production runs it (dist/ built first if a source changed). */
export function spawnVarco(command: string, env: NodeJS.ProcessEnv, options: SpawnOptions = {}): ChildProcess {
  if (!built) buildIfStale();
  built = true;
  return spawnChild(['bin/varco.js', command], env, options, []);
}

/** One `varco serve` on each port. */
export function spawnServes(env: NodeJS.ProcessEnv, ports: number[], options?: SpawnOptions): ChildProcess[] {
  return ports.map((p) => spawnVarco('serve', { ...env, PORT: String(p) }, options));
}

/** Waits until the server answers /healthz (200 ms between attempts: a minute at most by default). */
export async function waitHealthy(base: string, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} did not start`);
}

/** Waits for every child listening on the loopback at `ports`. */
export async function waitPorts(ports: number[], attempts?: number): Promise<void> {
  for (const p of ports) await waitHealthy(loopback(p), attempts);
}

/** Stops the bench's child processes, leaving time for their CPU profiles, if `profiled`, to be written. */
export async function stopChildren(children: ChildProcess[], profiled = Boolean(PROFILE_DIR)): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, profiled ? 3000 : 500));
}

/** Runs a bench's main: exit code 1 on a failed check or an error. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/**
 * The environment of a portal in the production configuration behind the bench's TLS proxy
 * (fresh keys each run; mail and SMS to a closed port unless `extra` says otherwise), plus `extra`.
 */
export function productionEnv<T extends NodeJS.ProcessEnv>(extra: T) {
  return {
    ...process.env,
    VARCO_MODE: 'production',
    VARCO_SECRET_KEY: randomBytes(32).toString('hex'),
    VARCO_AUDIT_SEAL_KEY: randomBytes(32).toString('hex'),
    VARCO_PUBLIC_URL: 'https://pin.bench.invalid',
    SMTP_URL: 'smtp://127.0.0.1:9',
    SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms',
    VARCO_TRUSTED_PROXIES: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}
