import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import { type Db, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { CredentialState } from '../src/db/schema.js';
import { computeCf } from '../src/domain/codice-fiscale/index.js';

/** Helpers shared by the benches: progress bar, a bounded pool, percentiles, process CPU and RSS, a cookie-keeping client. */
export function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>, label: string): Promise<number> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
        done++;
        if (done % 20 === 0 || done === items.length) progress(label, done, items.length);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** One answer, read whole. */
export interface Answer {
  status: number;
  location: string | null;
  setCookies: string[];
  body: string;
  cacheControl: string | null;
}

/**
 * The load generator's HTTP: node:http over kept-alive connections, the cheapest client Node
 * has — it shares the two cores with what it measures, so every millisecond it spends is taken
 * from the server. It speaks as the TLS proxy in front of the portal does (F10): the public
 * address is https://…, the listener on the loopback is plain HTTP, and every request says
 * `X-Forwarded-Proto: https` from an address in VARCO_TRUSTED_PROXIES.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function request(base: string, method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const viaProxy = { 'x-forwarded-proto': 'https', ...headers };
    const h =
      body === undefined ? viaProxy : { ...viaProxy, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request(base + url, { method, agent, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location ?? null,
          setCookies: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
          cacheControl: (res.headers['cache-control'] as string | undefined) ?? null,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A citizen's browser: keeps cookies and the last page's CSRF token, behind a trusted proxy (X-Forwarded-For). */
export class Browser {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private readonly base: string,
    private readonly ip: string,
  ) {}
  private async send(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Answer> {
    const res = await request(
      this.base,
      method,
      url,
      { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': this.ip },
      form ? new URLSearchParams({ ...form, _csrf: this.csrf }).toString() : undefined,
    );
    for (const c of res.setCookies) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      this.cookies.set(k!, v!);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }
  get = (url: string) => this.send('GET', url);
  /** Posts a form, expects a 303 to `expect`, and follows it like a browser unless told not to. */
  async post(url: string, form: Record<string, string>, expect: string, follow = true): Promise<void> {
    const res = await this.send('POST', url, form);
    if (res.status !== 303 || res.location !== expect) throw new Error(`${url}: ${res.status} ${res.location}`);
    if (follow) await this.get(res.location);
  }
}

/** CPU seconds (user + system) used so far by a process, or by every process with that command name. */
export function cpuSeconds(match: { pid?: number; comm?: string }): number {
  const tick = 100;
  const pids = match.pid ? [String(match.pid)] : readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = /\((.*)\)/.exec(stat)?.[1];
      if (match.comm && comm !== match.comm) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

export function rssPeakKib(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Distinct, coherent citizens: names × birth dates × comuni of birth. */
export function citizens(n: number) {
  const surnames = ['ROSSI', 'FERRARI', 'ESPOSITO', 'BIANCHI', 'ROMANO', 'COLOMBO', 'RICCI', 'MARINO', 'GRECO', 'BRUNO', 'GALLO', 'CONTI'];
  const names = [
    ['MARIO', 'M'],
    ['GIULIA', 'F'],
    ['LUCA', 'M'],
    ['FRANCESCA', 'F'],
    ['MARCO', 'M'],
    ['CHIARA', 'F'],
  ] as const;
  const births = [
    ['PI', 'G702'],
    ['MI', 'F205'],
    ['RM', 'H501'],
    ['NA', 'F839'],
    ['TO', 'L219'],
  ] as const;
  return Array.from({ length: n }, (_, i) => {
    const cognome = surnames[i % surnames.length]!;
    const [nome, sesso] = names[Math.floor(i / surnames.length) % names.length]!;
    const [prov, belfiore] = births[i % births.length]!;
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    const year = 1940 + (Math.floor(i / 336) % 60);
    const cf = computeCf({ cognome, nome, dataNascita: new Date(Date.UTC(year, month - 1, day)), sesso, belfioreNascita: belfiore });
    return {
      cf,
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      form: {
        cognome,
        nome,
        sesso,
        dataNascita: `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`,
        provinciaNascita: prov,
        comuneNascita: belfiore,
        indirizzo: 'Via Roma',
        numeroCivico: String(1 + (i % 200)),
        provinciaResidenza: 'PI',
        comuneResidenza: 'G702',
        cap: '56125',
        cellulare: `+39333${String(1_000_000 + i).slice(-7)}`,
        email: `citizen${i}@example.org`,
        telefonoPreferenziale: 'cellulare',
        orarioPreferenziale: 'any',
        azione: 'avanti',
      },
    };
  });
}

/** The production defaults unless VARCO_ARGON2_* say otherwise (the server reads the same variables). */
export const ARGON2 = {
  memoryCost: Number(process.env.VARCO_ARGON2_MEMORY_KIB ?? 19_456),
  timeCost: Number(process.env.VARCO_ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.VARCO_ARGON2_PARALLELISM ?? 1),
  algorithm: 2 as const,
};

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

/** A `node --import tsx` child (a portal, a worker, a bare route). */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv, { profileDir, stdio = ['ignore', 'ignore', 'inherit'] }: SpawnOptions = {}): ChildProcess {
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawn(process.execPath, [...prof, '--import', 'tsx', ...args], { env, stdio });
}

/** `varco <command>` (serve, worker, migrate) as a child. */
export function spawnVarco(command: string, env: NodeJS.ProcessEnv, options?: SpawnOptions): ChildProcess {
  return spawnNode(['src/cli.ts', command], env, options);
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

/** The URL of database `name` on the server of `serverUrl` (a cluster's TCP or socket URL). */
function databaseUrl(serverUrl: string, name: string): string {
  return serverUrl.replace('/postgres?', `/${name}?`).replace(/\/postgres$/, `/${name}`);
}

async function createDatabases(adminUrl: string, names: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of names) await admin.query(`create database ${name}`);
  await admin.end();
}

/** The database `varco` of a bench without a bare route, in the throwaway cluster, over loopback TCP. */
export async function varcoDatabase(cluster: { url: string }): Promise<string> {
  await createDatabases(cluster.url, ['varco']);
  return databaseUrl(cluster.url, 'varco');
}

/**
 * The two databases of a bench, `varco` and `bare` (the reference route's), in the throwaway
 * cluster; their URLs go through PostgreSQL's Unix socket, or loopback TCP with BENCH_PG_TCP=1.
 */
export async function benchDatabases(cluster: { url: string; socketUrl: string }): Promise<{ url: string; bareUrl: string }> {
  await createDatabases(cluster.url, ['varco', 'bare']);
  const server = process.env.BENCH_PG_TCP === '1' ? cluster.url : cluster.socketUrl;
  return { url: databaseUrl(server, 'varco'), bareUrl: databaseUrl(server, 'bare') };
}

/**
 * The reference route (bench/bare-insert.ts), one process on each port, over the `bare` database
 * and its one table; `db` is connected to that database, for counting its rows afterwards.
 */
export async function startBareRoutes(bareUrl: string, ports: number[]): Promise<{ db: pg.Client; children: ChildProcess[] }> {
  const db = new pg.Client({ connectionString: bareUrl });
  await db.connect();
  await db.query(
    'create table bare_applications (id bigserial primary key, citizen text not null, payload jsonb not null, created_at timestamptz not null default now())',
  );
  const children = ports.map((p) => spawnNode(['bench/bare-insert.ts'], { ...process.env, DATABASE_URL: bareUrl, PORT: String(p) }));
  return { db, children };
}

/** The number a `select count(*)::text as n …` answers. */
export async function countRows(db: pg.Client, sql: string): Promise<number> {
  return Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
}

/** The portal's database, migrated, for seeding. */
export async function openMigrated(databaseUrl: string | undefined, dataDir = os.tmpdir()): Promise<Db> {
  const db = await openDatabase({ databaseUrl, dataDir });
  await migrateToLatest(db);
  return db;
}

/** Calls `fn` on slices of `size` items, one after the other; with a label, a progress bar after each. */
export async function inBatches<T>(items: T[], size: number, fn: (slice: T[], k: number) => Promise<void>, label?: string): Promise<void> {
  for (let k = 0; k < items.length; k += size) {
    await fn(items.slice(k, k + size), k);
    if (label) progress(label, Math.min(k + size, items.length), items.length);
  }
}

/** A seeded citizen `i` (MARIO, born 1980 in Pisa, living in Via Roma `i`), its `citizens` row. */
export function citizenRow(c: { id: string; cf: string; cognome: string; i: number }) {
  return {
    id: c.id,
    codice_fiscale: c.cf,
    cognome: c.cognome,
    nome: 'MARIO',
    data_nascita: '1980-01-01',
    sesso: 'M' as const,
    luogo_nascita: 'G702',
    residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: String(c.i), provincia: 'PI', comune: 'G702', cap: '56125' }),
    telefono_abitazione: null,
    cellulare: `+39333${String(1_000_000 + c.i).slice(-7)}`,
    email: `c${c.i}@example.org`,
    pec: null,
    telefono_preferenziale: 'cellulare',
    orario_preferenziale: 'any',
    locale: 'it',
  };
}

/** A seeded citizen's web credential (not dispositivo), its `credentials` row. */
export function credentialRow(c: { id: string; citizenId: string; state: CredentialState; pinHash: string }) {
  return { id: c.id, citizen_id: c.citizenId, state: c.state, pin_hash: c.pinHash, dispositivo: false, channel: 'web' as const };
}

/** Prints the bench's title and the machine it runs on; the machine's CPUs. */
export function printMachine(bench: string): os.CpuInfo[] {
  const cpus = os.cpus();
  console.log(`# bench:${bench} — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  return cpus;
}

/** Prints the head of a Markdown table of results, after a blank line. */
export function printTableHead(columns: string[]): void {
  console.log('');
  console.log(`| ${columns.join(' | ')} |`);
  console.log(`|${'---|'.repeat(columns.length)}`);
}

/** Prints a row of a Markdown table of results. */
export function printRow(cells: (string | number)[]): void {
  console.log(`| ${cells.join(' | ')} |`);
}

/** A timed pool's runs: wall-clock seconds, how many calls, and each call's latency (ms). */
export class Timings {
  seconds = 0;
  count = 0;
  private readonly latencies: number[] = [];

  /** Runs `fn` over `items` in a pool of `concurrency` (see `pool`), timing each call; adds to the totals. */
  async run<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>, label: string): Promise<this> {
    this.seconds += await pool(
      items,
      concurrency,
      async (item, i) => {
        const started = performance.now();
        await fn(item, i);
        this.latencies.push(performance.now() - started);
      },
      label,
    );
    this.count += items.length;
    return this;
  }

  /** Calls per second. */
  get rate(): number {
    return this.count / this.seconds;
  }

  /** The p-th percentile of the latencies, in ms. */
  percentile(p: number): number {
    this.latencies.sort((a, b) => a - b);
    return percentile(this.latencies, p);
  }

  /** "p50 / p99 ms", rounded to the millisecond. */
  get p50p99(): string {
    return `${this.percentile(50).toFixed(0)} / ${this.percentile(99).toFixed(0)} ms`;
  }
}

/** CPU seconds used so far by the portal processes, the worker processes, every PostgreSQL process and this load generator. */
export interface CpuSample {
  portal: number;
  worker: number;
  postgres: number;
  client: number;
}

export function cpuSample(pids: { portal: number[]; worker?: number[] }): CpuSample {
  const sum = (list: number[]) => list.reduce((a, pid) => a + cpuSeconds({ pid }), 0);
  const own = process.cpuUsage();
  return { portal: sum(pids.portal), worker: sum(pids.worker ?? []), postgres: cpuSeconds({ comm: 'postgres' }), client: (own.user + own.system) / 1e6 };
}

/** The CPU milliseconds per request between two samples. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample {
  const per = (k: keyof CpuSample) => ((after[k] - before[k]) * 1000) / requests;
  return { portal: per('portal'), worker: per('worker'), postgres: per('postgres'), client: per('client') };
}

/** The peak RSS of each process, "N MiB + M MiB". */
export function rssMiB(pids: (number | undefined)[]): string {
  return pids.map((pid) => `${(rssPeakKib(pid) / 1024).toFixed(0)} MiB`).join(' + ');
}
