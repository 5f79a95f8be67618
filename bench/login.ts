/**
 * npm run bench:login — successful logins per second over HTTP against the bare argon2id verify
 * rate with the same parameters, measured in the same run; on PGlite (one process) and on
 * PostgreSQL (two portal processes and a worker). Production configuration, ≥ 1,000 citizens
 * holding an active PIN. A login is what a browser does: GET /accedi, POST /accedi → 303.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { startPgCluster } from '../scripts/pg-cluster.js';
import { citizenRow, credentialRow, inBatches, openMigrated, varcoDatabase } from './databases.js';
import { loopback, productionEnv, runBench, spawnServes, spawnVarco, stopChildren, waitPorts } from './processes.js';
import { cpuPerRequest, cpuSample, printMachine, printRow, printTableHead, rssMiB, Timings } from './report.js';
import { ARGON2, Browser, citizens, pool } from './support.js';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 1200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

interface Person {
  cf: string;
  ip: string;
  pin: string;
  hash: string;
}

async function seed(databaseUrl: string | undefined, dataDir: string, people: Person[]): Promise<void> {
  const db = await openMigrated(databaseUrl, dataDir);
  const rows = people.map((p, i) => ({ p, i, citizenId: randomUUID() }));
  await inBatches(rows, 500, async (slice) => {
    await db
      .insertInto('citizens')
      .values(slice.map(({ p, i, citizenId }) => citizenRow({ id: citizenId, cf: p.cf, cognome: 'ROSSI', i })))
      .execute();
    await db
      .insertInto('credentials')
      .values(slice.map(({ p, citizenId }) => credentialRow({ id: randomUUID(), citizenId, state: 'active', pinHash: p.hash })))
      .execute();
  });
  await db.destroy();
}

async function measure(label: string, people: Person[], ports: number[], serves: ChildProcess[]) {
  // Bare verify, same hashes, same concurrency, same run.
  const verifies = await new Timings().run(
    people,
    CONCURRENCY,
    async (p) => {
      if (!(await verify(p.hash, p.pin))) throw new Error('bad fixture');
    },
    `${label}: bare verify`,
  );
  const pids = { portal: serves.map((s) => s.pid!) };
  const cpuBefore = cpuSample(pids);
  const logins = await new Timings().run(
    people,
    CONCURRENCY,
    async (p, i) => {
      const b = new Browser(loopback(ports[i % ports.length]!), p.ip);
      await b.get('/accedi');
      await b.post('/accedi', { codiceFiscale: p.cf, pin: p.pin }, '/bacheca', false);
    },
    `${label}: logins`,
  );
  const cpu = cpuPerRequest(cpuBefore, cpuSample(pids), people.length);
  printRow([
    label,
    verifies.rate.toFixed(1),
    logins.rate.toFixed(1),
    `**${(logins.rate / verifies.rate).toFixed(2)}**`,
    logins.p50p99,
    rssMiB(pids.portal),
    `${cpu.portal.toFixed(1)} / ${cpu.postgres.toFixed(1)} / ${cpu.client.toFixed(1)} ms`,
  ]);
}

async function main(): Promise<void> {
  printMachine('login');
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
  const common = productionEnv({});
  printTableHead([
    'setup',
    'bare verifies/s',
    'logins/s',
    'ratio',
    'login p50 / p99',
    'peak RSS (portal)',
    'CPU per login: portal / postgres / load generator',
  ]);
  const children: ChildProcess[] = [];
  const cluster = await startPgCluster();
  try {
    // 1. PGlite: one process, worker inside.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'varco-bench-login-'));
    await seed(undefined, dataDir, people);
    const port = 3800 + Math.floor(Math.random() * 90);
    const single = spawnServes({ ...common, VARCO_DATA_DIR: dataDir, VARCO_WORKER_IN_PROCESS: 'true', VARCO_ALLOW_EMBEDDED_DB: 'true' }, [port]);
    children.push(...single);
    await waitPorts([port], 150);
    await measure('PGlite, 1 process', people, [port], single);
    for (const s of single) s.kill('SIGTERM');

    // 2. PostgreSQL: two portal processes and a worker.
    const url = await varcoDatabase(cluster);
    await seed(url, dataDir, people);
    const env = { ...common, DATABASE_URL: url, VARCO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'varco-bench-login-pg-')) };
    const ports = [port + 100, port + 101];
    const serves = spawnServes(env, ports);
    const worker = spawnVarco('worker', env);
    children.push(...serves, worker);
    await waitPorts(ports, 150);
    await measure('PostgreSQL, 2 processes', people, ports, serves);
  } finally {
    await stopChildren(children, false); // nothing profiled
    cluster.stop();
  }
}

runBench(main);
