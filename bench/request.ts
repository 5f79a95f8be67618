/**
 * npm run bench:request — completed PIN requests per second over HTTP, in the production
 * configuration, against bare argon2id hashing with the same parameters measured in the same run.
 *
 * Setup: a throwaway PostgreSQL cluster (durable defaults), `varco serve` and `varco worker` as
 * their own processes in VARCO_MODE=production, a real SMTP server and an SMS gateway on
 * loopback, ≥ 1,000 distinct citizens. Each virtual citizen walks the request like a browser:
 * GET step 1, POST step 1 → GET form, POST form → GET summary, POST CONFERMA → GET confirmation.
 * Clients sit behind a trusted proxy (X-Forwarded-For), so the production rate limit applies
 * per citizen as it would behind a load balancer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { startPgCluster } from '../scripts/pg-cluster.js';
import { ARGON2, Browser, citizens, cpuSeconds, percentile, pool, progress, rssPeakKib } from './support.js';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 1200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`# bench:request — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  const cluster = await startPgCluster();
  const children: ChildProcess[] = [];
  let smtpCount = 0;
  let smsCount = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        smtpCount++;
        cb();
      });
    },
  });
  smtp.on('error', () => undefined);
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const sms = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      smsCount++;
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((r) => sms.listen(0, '127.0.0.1', r));
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database varco');
    await admin.end();
    const env = {
      ...process.env,
      VARCO_MODE: 'production',
      DATABASE_URL: cluster.url.replace(/\/postgres$/, '/varco'),
      VARCO_SECRET_KEY: randomBytes(32).toString('hex'),
      VARCO_AUDIT_SEAL_KEY: randomBytes(32).toString('hex'),
      VARCO_PUBLIC_URL: 'https://pin.bench.invalid',
      VARCO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'varco-bench-')),
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      SMS_GATEWAY_URL: `http://127.0.0.1:${(sms.address() as AddressInfo).port}/sms`,
      VARCO_TRUSTED_PROXIES: '127.0.0.1',
      // Anti-abuse limits above the bench's load (one client address per citizen already): the
      // R1 answers per minute (F13) would otherwise ask every citizen for a Codice di Controllo.
      VARCO_R1_GLOBAL_PER_MINUTE: '1000000',
      PORT: String(3900 + Math.floor(Math.random() * 90)),
      LOG_LEVEL: 'warn',
    };
    console.log(
      `configuration: VARCO_MODE=production, PostgreSQL 15 (durable defaults), argon2id m=${ARGON2.memoryCost} KiB t=${ARGON2.timeCost} p=${ARGON2.parallelism}, worker in its own process, ${CITIZENS} distinct citizens, ${CONCURRENCY} concurrent clients`,
    );
    const migrate = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], { env, stdio: 'inherit' });
    await new Promise((r) => migrate.on('exit', r));
    console.log(`limits raised for the bench: VARCO_R1_GLOBAL_PER_MINUTE=${env.VARCO_R1_GLOBAL_PER_MINUTE}`);
    const people = citizens(CITIZENS);
    // Issue 12 F1: production sends the letter to the residence registry: every citizen has a row.
    const registry = new pg.Client({ connectionString: env.DATABASE_URL });
    await registry.connect();
    for (let k = 0; k < people.length; k += 1000) {
      const rows = people.slice(k, k + 1000);
      await registry.query(
        `insert into residenze (codice_fiscale, tipo, indirizzo, comune, cap, provincia) select unnest($1::text[]), 'ANPR', unnest($2::text[]), 'G702', '56125', 'PI'`,
        [rows.map((p) => p.cf), rows.map((p) => `Via Roma ${p.form.numeroCivico}`)],
      );
    }
    await registry.end();
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const server = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/cli.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const worker = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    children.push(server, worker);
    const base = `http://127.0.0.1:${env.PORT}`;
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // 1. Bare hashing, same parameters, same concurrency.
    const pins = people.map(() => randomBytes(12).toString('base64url').slice(0, 16));
    const hashSeconds = await pool(pins, CONCURRENCY, async (pin) => void (await hash(pin, ARGON2)), 'bare argon2id');
    const hashRate = pins.length / hashSeconds;

    // 2. Complete PIN requests over HTTP.
    const cpu = () => ({
      serve: cpuSeconds({ pid: server.pid }),
      worker: cpuSeconds({ pid: worker.pid }),
      postgres: cpuSeconds({ comm: 'postgres' }),
      client: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    });
    const cpuBefore = cpu();
    const latencies: number[] = [];
    const reqSeconds = await pool(
      people,
      CONCURRENCY,
      async (p) => {
        const started = performance.now();
        const b = new Browser(base, p.ip);
        await b.get('/pin/richiesta');
        await b.post('/pin/richiesta', { codiceFiscale: p.cf, residenza: 'IT' }, '/pin/richiesta/dati');
        await b.post('/pin/richiesta/dati', p.form, '/pin/richiesta/riepilogo');
        await b.post('/pin/richiesta/riepilogo', { azione: 'conferma' }, '/pin/richiesta/esito');
        latencies.push(performance.now() - started);
      },
      'PIN requests (HTTP)',
    );
    const reqRate = people.length / reqSeconds;
    const cpuAfter = cpu();

    // 3. The worker drains the outbox (SMS + email per citizen; letters wait for `varco letters`).
    const drainStart = performance.now();
    const expected = people.length * 2;
    while (smtpCount + smsCount < expected && performance.now() - drainStart < 120_000) {
      progress('outbox drained', smtpCount + smsCount, expected);
      await new Promise((r) => setTimeout(r, 250));
    }
    progress('outbox drained', smtpCount + smsCount, expected);
    const drainSeconds = (performance.now() - drainStart) / 1000;

    latencies.sort((a, b) => a - b);
    const serverRss = rssPeakKib(server.pid);
    const workerRss = rssPeakKib(worker.pid);
    console.log('');
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| bare argon2id hashes/s (${CONCURRENCY} in flight) | ${hashRate.toFixed(1)} |`);
    console.log(`| completed PIN requests/s over HTTP | ${reqRate.toFixed(1)} |`);
    console.log(`| **ratio requests / bare hashes** | **${(reqRate / hashRate).toFixed(2)}** |`);
    console.log(`| request (7 HTTP exchanges) p50 / p99 | ${percentile(latencies, 50).toFixed(0)} ms / ${percentile(latencies, 99).toFixed(0)} ms |`);
    console.log(`| outbox: ${expected} SMS+email delivered after the last request in | ${drainSeconds.toFixed(1)} s |`);
    console.log(`| peak RSS: serve / worker | ${(serverRss / 1024).toFixed(0)} MiB / ${(workerRss / 1024).toFixed(0)} MiB |`);
    const perRequest = (k: keyof typeof cpuBefore) => ((cpuAfter[k] - cpuBefore[k]) * 1000) / people.length;
    console.log(
      `| CPU per completed request: serve (incl. hashing) / postgres / worker / load generator + SMTP & SMS sinks | ${perRequest('serve').toFixed(1)} / ${perRequest('postgres').toFixed(1)} / ${perRequest('worker').toFixed(1)} / ${perRequest('client').toFixed(1)} ms |`,
    );
    console.log(`| CPU per bare hash (${cpus.length} cores busy, ${CONCURRENCY} in flight) | ${((cpus.length * 1000) / hashRate).toFixed(1)} ms |`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, process.env.BENCH_PROFILE ? 3000 : 500));
    smtp.close();
    sms.close();
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
