/**
 * npm run bench:login — successful logins per second over HTTP against the bare argon2id verify
 * rate with the same parameters, measured in the same run; on PGlite (one process) and on
 * PostgreSQL (two portal processes and a worker). Production configuration, ≥ 1,000 citizens
 * holding an active PIN. A login is what a browser does: GET /accedi, POST /accedi → 303.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { startPgCluster } from '../scripts/pg-cluster.js';
import { ARGON2, Browser, citizens, cpuSeconds, percentile, pool, rssPeakKib } from './support.js';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 1200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

interface Person {
  cf: string;
  ip: string;
  pin: string;
  hash: string;
}

async function seed(databaseUrl: string | undefined, dataDir: string, people: Person[]): Promise<void> {
  const db = await openDatabase({ databaseUrl, dataDir });
  await migrateToLatest(db);
  const rows = people.map((p, i) => ({ p, i, citizenId: randomUUID() }));
  for (let k = 0; k < rows.length; k += 500) {
    const slice = rows.slice(k, k + 500);
    await db
      .insertInto('citizens')
      .values(
        slice.map(({ p, i, citizenId }) => ({
          id: citizenId,
          codice_fiscale: p.cf,
          cognome: 'ROSSI',
          nome: 'MARIO',
          data_nascita: '1980-01-01',
          sesso: 'M' as const,
          luogo_nascita: 'G702',
          residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: String(i), provincia: 'PI', comune: 'G702', cap: '56125' }),
          telefono_abitazione: null,
          cellulare: `+39333${String(1_000_000 + i).slice(-7)}`,
          email: `c${i}@example.org`,
          pec: null,
          telefono_preferenziale: 'cellulare',
          orario_preferenziale: 'any',
          locale: 'it',
        })),
      )
      .execute();
    await db
      .insertInto('credentials')
      .values(
        slice.map(({ p, citizenId }) => ({
          id: randomUUID(),
          citizen_id: citizenId,
          state: 'active' as const,
          pin_hash: p.hash,
          dispositivo: false,
          channel: 'web' as const,
        })),
      )
      .execute();
  }
  await db.destroy();
}

function spawnVarco(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitHealthy(base: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
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

async function measure(label: string, people: Person[], bases: string[], pids: { serve: number[]; worker?: number }) {
  // Bare verify, same hashes, same concurrency, same run.
  const verifySeconds = await pool(
    people,
    CONCURRENCY,
    async (p) => {
      if (!(await verify(p.hash, p.pin))) throw new Error('bad fixture');
    },
    `${label}: bare verify`,
  );
  const verifyRate = people.length / verifySeconds;
  const cpuBefore = {
    serve: pids.serve.reduce((a, pid) => a + cpuSeconds({ pid }), 0),
    postgres: cpuSeconds({ comm: 'postgres' }),
    client: process.cpuUsage(),
  };
  const latencies: number[] = [];
  const seconds = await pool(
    people,
    CONCURRENCY,
    async (p, i) => {
      const started = performance.now();
      const b = new Browser(bases[i % bases.length]!, p.ip);
      await b.get('/accedi');
      await b.post('/accedi', { codiceFiscale: p.cf, pin: p.pin }, '/bacheca', false);
      latencies.push(performance.now() - started);
    },
    `${label}: logins`,
  );
  const rate = people.length / seconds;
  const client = process.cpuUsage(cpuBefore.client);
  const serveCpu = ((pids.serve.reduce((a, pid) => a + cpuSeconds({ pid }), 0) - cpuBefore.serve) * 1000) / people.length;
  const pgCpu = ((cpuSeconds({ comm: 'postgres' }) - cpuBefore.postgres) * 1000) / people.length;
  latencies.sort((a, b) => a - b);
  const rss = pids.serve.map((pid) => `${(rssPeakKib(pid) / 1024).toFixed(0)} MiB`).join(' + ');
  console.log(
    `| ${label} | ${verifyRate.toFixed(1)} | ${rate.toFixed(1)} | **${(rate / verifyRate).toFixed(2)}** | ${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 99).toFixed(0)} ms | ${rss} | ${serveCpu.toFixed(1)} / ${pgCpu.toFixed(1)} / ${((client.user + client.system) / 1000 / people.length).toFixed(1)} ms |`,
  );
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`# bench:login — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(
    `configuration: VARCO_MODE=production, argon2id m=${ARGON2.memoryCost} KiB t=${ARGON2.timeCost} p=${ARGON2.parallelism}, ${CITIZENS} distinct citizens with an active PIN, ${CONCURRENCY} concurrent clients behind a trusted proxy`,
  );
  const people: Person[] = [];
  const base = citizens(CITIZENS);
  await pool(
    base,
    CONCURRENCY,
    async (c) => {
      const pin = randomBytes(6)
        .toString('hex')
        .toUpperCase()
        .replace(/[^2346789ACDEF]/g, '7')
        .slice(0, 8);
      people.push({ cf: c.cf, ip: c.ip, pin, hash: await hash(pin, ARGON2) });
    },
    'hashing fixtures',
  );
  const common = {
    ...process.env,
    VARCO_MODE: 'production',
    VARCO_SECRET_KEY: randomBytes(32).toString('hex'),
    VARCO_AUDIT_SEAL_KEY: randomBytes(32).toString('hex'),
    VARCO_PUBLIC_URL: 'https://pin.bench.invalid',
    SMTP_URL: 'smtp://127.0.0.1:9',
    SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms',
    VARCO_TRUSTED_PROXIES: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  console.log('');
  console.log('| setup | bare verifies/s | logins/s | ratio | login p50 / p99 | peak RSS (portal) | CPU per login: portal / postgres / load generator |');
  console.log('|---|---|---|---|---|---|---|');
  const children: ChildProcess[] = [];
  const cluster = await startPgCluster();
  try {
    // 1. PGlite: one process, worker inside.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'varco-bench-login-'));
    await seed(undefined, dataDir, people);
    const port = 3800 + Math.floor(Math.random() * 90);
    const single = spawnVarco(['serve'], {
      ...common,
      VARCO_DATA_DIR: dataDir,
      PORT: String(port),
      VARCO_WORKER_IN_PROCESS: 'true',
      VARCO_ALLOW_EMBEDDED_DB: 'true',
    });
    children.push(single);
    await waitHealthy(`http://127.0.0.1:${port}`);
    await measure('PGlite, 1 process', people, [`http://127.0.0.1:${port}`], { serve: [single.pid!] });
    single.kill('SIGTERM');

    // 2. PostgreSQL: two portal processes and a worker.
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database varco');
    await admin.end();
    const url = cluster.url.replace(/\/postgres$/, '/varco');
    await seed(url, dataDir, people);
    const env = { ...common, DATABASE_URL: url, VARCO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'varco-bench-login-pg-')) };
    const ports = [port + 100, port + 101];
    const serves = ports.map((p) => spawnVarco(['serve'], { ...env, PORT: String(p) }));
    const worker = spawnVarco(['worker'], env);
    children.push(...serves, worker);
    for (const p of ports) await waitHealthy(`http://127.0.0.1:${p}`);
    await measure(
      'PostgreSQL, 2 processes',
      people,
      ports.map((p) => `http://127.0.0.1:${p}`),
      { serve: serves.map((s) => s.pid!), worker: worker.pid },
    );
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
