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
import type { ChildProcess } from 'node:child_process';
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
import { inBatches, varcoDatabase } from './databases.js';
import { loopback, productionEnv, runBench, spawnVarco, stopChildren, waitHealthy } from './processes.js';
import { cpuPerRequest, cpuSample, printMachine, printRow, printTableHead, rssMiB, Timings } from './report.js';
import { ARGON2, Browser, citizens, progress } from './support.js';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 1200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** This bench's own switch for a CPU profile of the portal (the others read BENCH_CPU_PROF_DIR). */
const PROFILE = process.env.BENCH_PROFILE;

async function main(): Promise<void> {
  const cpus = printMachine('request');
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
    const env = productionEnv({
      DATABASE_URL: await varcoDatabase(cluster),
      VARCO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'varco-bench-')),
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      SMS_GATEWAY_URL: `http://127.0.0.1:${(sms.address() as AddressInfo).port}/sms`,
      // Anti-abuse limits above the bench's load (one client address per citizen already): the
      // R1 answers per minute (F13) would otherwise ask every citizen for a Codice di Controllo.
      VARCO_R1_GLOBAL_PER_MINUTE: '1000000',
      PORT: String(3900 + Math.floor(Math.random() * 90)),
    });
    console.log(
      `configuration: VARCO_MODE=production, PostgreSQL 15 (durable defaults), argon2id m=${ARGON2.memoryCost} KiB t=${ARGON2.timeCost} p=${ARGON2.parallelism}, worker in its own process, ${CITIZENS} distinct citizens, ${CONCURRENCY} concurrent clients`,
    );
    const migrate = spawnVarco('migrate', env, { stdio: 'inherit' });
    await new Promise((r) => migrate.on('exit', r));
    console.log(`limits raised for the bench: VARCO_R1_GLOBAL_PER_MINUTE=${env.VARCO_R1_GLOBAL_PER_MINUTE}`);
    const people = citizens(CITIZENS);
    // Issue 12 F1: production sends the letter to the residence registry: every citizen has a row.
    const registry = new pg.Client({ connectionString: env.DATABASE_URL });
    await registry.connect();
    await inBatches(people, 1000, async (rows) => {
      await registry.query(
        `insert into residenze (codice_fiscale, tipo, indirizzo, comune, cap, provincia) select unnest($1::text[]), 'ANPR', unnest($2::text[]), 'G702', '56125', 'PI'`,
        [rows.map((p) => p.cf), rows.map((p) => `Via Roma ${p.form.numeroCivico}`)],
      );
    });
    await registry.end();
    // BENCH_PROFILE=dir: a V8 CPU profile of the portal.
    const server = spawnVarco('serve', env, { profileDir: PROFILE, stdio: ['ignore', 'pipe', 'inherit'] });
    const worker = spawnVarco('worker', env, { stdio: ['ignore', 'ignore', 'ignore'] });
    children.push(server, worker);
    const base = loopback(Number(env.PORT));
    await waitHealthy(base, 100);

    // 1. Bare hashing, same parameters, same concurrency.
    const pins = people.map(() => randomBytes(12).toString('base64url').slice(0, 16));
    const hashes = await new Timings().run(pins, CONCURRENCY, async (pin) => void (await hash(pin, ARGON2)), 'bare argon2id');
    const hashRate = hashes.rate;

    // 2. Complete PIN requests over HTTP.
    const pids = { portal: [server.pid!], worker: [worker.pid!] };
    const cpuBefore = cpuSample(pids);
    const requests = await new Timings().run(
      people,
      CONCURRENCY,
      async (p) => {
        const b = new Browser(base, p.ip);
        await b.get('/pin/richiesta');
        await b.post('/pin/richiesta', { codiceFiscale: p.cf, residenza: 'IT' }, '/pin/richiesta/dati');
        await b.post('/pin/richiesta/dati', p.form, '/pin/richiesta/riepilogo');
        await b.post('/pin/richiesta/riepilogo', { azione: 'conferma' }, '/pin/richiesta/esito');
      },
      'PIN requests (HTTP)',
    );
    const cpu = cpuPerRequest(cpuBefore, cpuSample(pids), people.length);

    // 3. The worker drains the outbox (SMS + email per citizen; letters wait for `varco letters`).
    const drainStart = performance.now();
    const expected = people.length * 2;
    while (smtpCount + smsCount < expected && performance.now() - drainStart < 120_000) {
      progress('outbox drained', smtpCount + smsCount, expected);
      await new Promise((r) => setTimeout(r, 250));
    }
    progress('outbox drained', smtpCount + smsCount, expected);
    const drainSeconds = (performance.now() - drainStart) / 1000;

    printTableHead(['measure', 'value']);
    printRow([`bare argon2id hashes/s (${CONCURRENCY} in flight)`, hashRate.toFixed(1)]);
    printRow(['completed PIN requests/s over HTTP', requests.rate.toFixed(1)]);
    printRow(['**ratio requests / bare hashes**', `**${(requests.rate / hashRate).toFixed(2)}**`]);
    printRow(['request (7 HTTP exchanges) p50 / p99', `${requests.percentile(50).toFixed(0)} ms / ${requests.percentile(99).toFixed(0)} ms`]);
    printRow([`outbox: ${expected} SMS+email delivered after the last request in`, `${drainSeconds.toFixed(1)} s`]);
    printRow(['peak RSS: serve / worker', `${rssMiB(pids.portal)} / ${rssMiB(pids.worker)}`]);
    printRow([
      'CPU per completed request: serve (incl. hashing) / postgres / worker / load generator + SMTP & SMS sinks',
      `${cpu.portal.toFixed(1)} / ${cpu.postgres.toFixed(1)} / ${cpu.worker.toFixed(1)} / ${cpu.client.toFixed(1)} ms`,
    ]);
    printRow([`CPU per bare hash (${cpus.length} cores busy, ${CONCURRENCY} in flight)`, `${((cpus.length * 1000) / hashRate).toFixed(1)} ms`]);
  } finally {
    await stopChildren(children, Boolean(PROFILE));
    smtp.close();
    sms.close();
    cluster.stop();
  }
}

runBench(main);
