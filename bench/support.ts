import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
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

/** A `node --import tsx` child (a portal, a worker, a bare route); BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of it there when `profile` (open it in Chrome DevTools). */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv, profile = false): ChildProcess {
  const prof = profile && process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  return spawn(process.execPath, [...prof, '--import', 'tsx', ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Waits until the server answers /healthz (a minute at most). */
export async function waitHealthy(base: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
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

/** Stops the bench's child processes, leaving time for CPU profiles to be written. */
export async function stopChildren(children: ChildProcess[]): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, process.env.BENCH_CPU_PROF_DIR ? 3000 : 500));
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
 * The two databases of a bench, `varco` and `bare` (the reference route's), in the throwaway
 * cluster; their URLs go through PostgreSQL's Unix socket, or loopback TCP with BENCH_PG_TCP=1.
 */
export async function benchDatabases(cluster: { url: string; socketUrl: string }): Promise<{ url: string; bareUrl: string }> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database varco');
  await admin.query('create database bare');
  await admin.end();
  const server = process.env.BENCH_PG_TCP === '1' ? cluster.url : cluster.socketUrl;
  const named = (name: string) => server.replace('/postgres?', `/${name}?`).replace(/\/postgres$/, `/${name}`);
  return { url: named('varco'), bareUrl: named('bare') };
}
