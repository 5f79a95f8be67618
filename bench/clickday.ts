/**
 * npm run bench:clickday — the click day of April 2020, replayed: ≥ 20,000 distinct citizens,
 * already logged in with the application form open, submit their COVID-19 indemnity
 * applications at once over HTTP against `varco serve` with 2 processes (and a worker) on
 * PostgreSQL, production configuration. Reported next to the same requests against a bare
 * Fastify route that only inserts one row (2 processes, same database, same run).
 *
 * Afterwards it checks: every accepted application is in the database exactly once, no request
 * was lost, a second art. 31 application of the same person (sent concurrently) was refused,
 * and no page carried another citizen's name, codice fiscale or IBAN.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ibanWithCheckDigits } from '../src/domain/iban.js';
import { startPgCluster } from '../scripts/pg-cluster.js';
import { benchDatabases, citizenRow, countRows, credentialRow, inBatches, openMigrated, startBareRoutes } from './databases.js';
import { loopback, productionEnv, PROFILE_DIR, runBench, spawnServes, spawnVarco, stopChildren, waitPorts } from './processes.js';
import { cpuPerRequest, cpuSample, printMachine, printRow, printTableHead, rssMiB, Timings } from './report.js';
import { citizens, pool, request } from './support.js';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 20_000);
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 64);
/** Every 50th citizen also sends a second art. 31 application at the same moment. */
const DOUBLE_EVERY = 50;

const CATEGORIES: Record<string, Record<string, string>> = {
  art27: {
    rapporto: 'partita_iva',
    partitaIva: '07643520567',
    decl_attivo23febbraio: 'si',
    decl_gestioneSeparata: 'si',
    decl_nonPensionato: 'si',
    decl_nonAltraPrevidenza: 'si',
  },
  art28: { gestione: 'commercianti', decl_iscrittoAgo: 'si', decl_nonPensionato: 'si', decl_nonAltraPrevidenza: 'si' },
  art29: {
    settore: 'turismo',
    datoreLavoro: 'Hotel Miramare',
    dataCessazione: '31/10/2019',
    decl_cessazioneInvolontaria: 'si',
    decl_nonPensionato: 'si',
    decl_nonDipendente17marzo: 'si',
  },
  art30: { giornate2019: '120', decl_operaioAgricoloOtd: 'si', decl_nonPensionato: 'si' },
  art38: { contributi2019: '45', reddito2019: '18000', decl_iscrittoFpls: 'si', decl_nonPensionato: 'si', decl_nonDipendente17marzo: 'si' },
};
const ART31 = Object.keys(CATEGORIES);

/** Unique letters for each citizen's surname, so a leak of one name into another's page is visible. */
const tag = (i: number) => Array.from({ length: 4 }, (_, k) => String.fromCharCode(65 + (Math.floor(i / 26 ** k) % 26))).join('');

interface Citizen {
  i: number;
  cf: string;
  cognome: string;
  ip: string;
  iban: string;
  citizenId: string;
  sessionId: string;
  categoria: string;
  cookies: string;
  csrf: string;
}

async function seed(url: string, people: Citizen[]): Promise<void> {
  const db = await openMigrated(url);
  const now = new Date();
  await inBatches(
    people,
    1000,
    async (slice) => {
      const credentials = slice.map(() => randomUUID());
      await db
        .insertInto('citizens')
        .values(slice.map((p) => citizenRow({ id: p.citizenId, cf: p.cf, cognome: p.cognome, i: p.i })))
        .execute();
      await db
        .insertInto('credentials')
        .values(slice.map((p, j) => credentialRow({ id: credentials[j]!, citizenId: p.citizenId, state: 'initial', pinHash: 'unused' })))
        .execute();
      // Already logged in: a third each with PIN semplificato, ordinario and dispositivo.
      await db
        .insertInto('sessions')
        .values(
          slice.map((p, j) => ({
            id_hash: createHash('sha256').update(p.sessionId).digest('base64url'),
            citizen_id: p.citizenId,
            credential_id: credentials[j]!,
            level: (['semplificato', 'ordinario', 'dispositivo'] as const)[p.i % 3]!,
            must_change_pin: null,
            initial_fingerprints: null,
            created_at: now,
            last_seen_at: now,
            expires_at: new Date(now.getTime() + 12 * 3_600_000),
            ip: p.ip,
            user_agent: 'bench',
          })),
        )
        .execute();
      // One in ten IBANs is already known to the holder registry as the applicant's.
      const known = slice.filter((p) => p.i % 10 === 0).map((p) => ({ iban: p.iban, codice_fiscale: p.cf }));
      if (known.length)
        await db
          .insertInto('iban_holders')
          .values(known)
          .onConflict((oc) => oc.doNothing())
          .execute();
    },
    'seeding citizens',
  );
  await db.destroy();
}

function send(base: string, p: Citizen, method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  return request(base, method, url, { cookie: p.cookies, 'x-forwarded-for': p.ip }, form ? new URLSearchParams(form).toString() : undefined);
}

function formOf(p: Citizen, categoria: string, azione?: 'riepilogo' | 'conferma'): Record<string, string> {
  return { _csrf: p.csrf, categoria, iban: p.iban, intestatario: 'si', ...CATEGORIES[categoria], ...(azione ? { azione } : {}) };
}

async function main(): Promise<void> {
  printMachine('clickday');
  console.log(
    `configuration: VARCO_MODE=production, PostgreSQL 15 (throwaway cluster, same machine), varco serve × 2 + varco worker, ${CITIZENS} distinct citizens already logged in (⅓ semplificato, ⅓ ordinario, ⅓ dispositivo), at most ${IN_FLIGHT} requests in flight, load generator on the same machine`,
  );

  const base = citizens(CITIZENS);
  const people: Citizen[] = base.map((c, i) => ({
    i,
    cf: c.cf,
    cognome: `BENCH${tag(i)}`,
    ip: c.ip,
    // Citizens 100k and 100k+1 share the IBAN of 100k−1: three applicants on one IBAN, flagged (the default allows 2).
    iban: ibanWithCheckDigits('IT', `X0542811101${String(i > 100 && i % 100 < 2 ? i - (i % 100) - 1 : i).padStart(12, '0')}`),
    citizenId: randomUUID(),
    sessionId: randomBytes(32).toString('base64url'),
    categoria: ART31[i % ART31.length]!,
    cookies: '',
    csrf: '',
  }));

  const children: ChildProcess[] = [];
  // BENCH_PG_STATS=1 prints the statements that cost PostgreSQL most (pg_stat_statements).
  const pgStats = process.env.BENCH_PG_STATS === '1';
  const cluster = await startPgCluster({
    settings: [
      '-c shared_buffers=256MB',
      '-c synchronous_commit=on',
      ...(pgStats ? ['-c shared_preload_libraries=pg_stat_statements', '-c pg_stat_statements.track_planning=on'] : []),
    ],
  });
  try {
    // Database, portal and load generator share this machine: every process reaches PostgreSQL
    // through its Unix socket (BENCH_PG_TCP=1 for loopback TCP), the bare route as well.
    const { url, bareUrl } = await benchDatabases(cluster);
    await seed(url, people);

    const port = 4200 + Math.floor(Math.random() * 500);
    const env = productionEnv({
      VARCO_PIN_SEMPLIFICATO: 'true',
      DATABASE_URL: url,
      VARCO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'varco-bench-clickday-')),
    });
    const ports = [port, port + 1];
    const serves = spawnServes(env, ports, { profileDir: PROFILE_DIR });
    const worker = spawnVarco('worker', env);
    children.push(...serves, worker);
    const barePorts = [port + 2, port + 3];
    const bare = await startBareRoutes(bareUrl, barePorts);
    children.push(...bare.children);
    await waitPorts([...ports, ...barePorts]);
    const baseOf = (p: Citizen) => loopback(ports[p.i % 2]!);

    // Before the click: each citizen has the form of their category open (session cookie + CSRF token).
    await pool(
      people,
      IN_FLIGHT,
      async (p) => {
        p.cookies = `varco_session=${p.sessionId}`;
        const res = await send(baseOf(p), p, 'GET', `/prestazioni/covid-19/domanda?categoria=${p.categoria}`);
        if (res.status !== 200) throw new Error(`form for ${p.i}: ${res.status} ${res.location}`);
        const csrfCookie = res.setCookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('varco_csrf='));
        p.cookies = `varco_session=${p.sessionId}; ${csrfCookie}`;
        p.csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
        // Each has filled the form in and sits on the review ("Riepilogo"); the click is its "Invia domanda".
        const review = await send(baseOf(p), p, 'POST', '/prestazioni/covid-19/domanda', formOf(p, p.categoria, 'riepilogo'));
        if (review.status !== 200 || !review.body.includes('id="review-confirm"'))
          throw new Error(`review for ${p.i}: ${review.status} ${review.body.slice(0, 80)}`);
      },
      'opening the forms',
    );

    // The click: every citizen submits; every 50th also submits a second art. 31 category at once.
    const jobs = people.flatMap((p) =>
      p.i % DOUBLE_EVERY === 0
        ? [
            { p, categoria: p.categoria },
            { p, categoria: ART31[(p.i + 1) % ART31.length]! },
          ]
        : [{ p, categoria: p.categoria }],
    );
    const outcome = new Map<number, { accepted: string[]; refused: number; other: string[] }>();
    const portals = { portal: serves.map((s) => s.pid!) };
    const cpu0 = cpuSample(portals);
    const submit = await new Timings().run(
      jobs,
      IN_FLIGHT,
      async ({ p, categoria }) => {
        const res = await send(baseOf(p), p, 'POST', '/prestazioni/covid-19/domanda', formOf(p, categoria, 'conferma'));
        const o = outcome.get(p.i) ?? { accepted: [], refused: 0, other: [] };
        if (res.status === 303 && res.location?.includes('/domande/')) o.accepted.push(res.location);
        else if (res.status === 409) o.refused++;
        else o.other.push(`${res.status} ${res.location ?? res.body.slice(0, 80)}`);
        outcome.set(p.i, o);
      },
      'click day: submit',
    );
    const cpu = cpuPerRequest(cpu0, cpuSample(portals), jobs.length);

    // The same number of requests against the bare route.
    const bareRun = await new Timings().run(
      jobs,
      IN_FLIGHT,
      async ({ p, categoria }, i) => {
        const res = await request(
          loopback(barePorts[i % 2]!),
          'POST',
          '/domanda',
          { 'x-forwarded-for': p.ip },
          new URLSearchParams({ citizen: p.cf, ...formOf(p, categoria) }).toString(),
        );
        if (res.status !== 303) throw new Error(`bare: ${res.status}`);
      },
      'bare route: insert',
    );

    // After the run: each citizen reads their application and Le mie domande, still under load.
    const leaks: string[] = [];
    const pagesSeconds = await pool(
      people,
      IN_FLIGHT,
      async (p) => {
        const accepted = outcome.get(p.i)?.accepted[0];
        if (!accepted) return;
        for (const url of [accepted.replace(/^https?:\/\/[^/]+/, ''), '/prestazioni/covid-19/domande']) {
          const res = await send(baseOf(p), p, 'GET', url);
          if (res.status !== 200) leaks.push(`${p.i} ${url}: ${res.status}`);
          if (res.cacheControl !== 'no-store') leaks.push(`${p.i} ${url}: cache-control ${res.cacheControl}`);
          const names = new Set(res.body.match(/BENCH[A-Z]{4}/g) ?? []);
          const cfs = new Set(res.body.match(/[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]/g) ?? []);
          const ibans = new Set(res.body.match(/IT\d\d \*\*\*\* \d{4}/g) ?? []);
          if ([...names].some((n) => n !== p.cognome)) leaks.push(`${p.i} ${url}: names ${[...names].join(',')}`);
          if ([...cfs].some((c) => c !== p.cf)) leaks.push(`${p.i} ${url}: CF ${[...cfs].join(',')}`);
          if ([...ibans].some((b) => b !== `${p.iban.slice(0, 4)} **** ${p.iban.slice(-4)}`)) leaks.push(`${p.i} ${url}: IBAN ${[...ibans].join(',')}`);
          if (!names.has(p.cognome)) leaks.push(`${p.i} ${url}: own name missing`);
        }
      },
      'reading back (leak check)',
    );

    const rssServe = rssMiB(serves.map((s) => s.pid));
    const rssBare = rssMiB(bare.children.map((s) => s.pid));

    // Checks against the database.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ citizen_id: string; n: string }>(
      "select citizen_id, count(*)::text as n from covid_applications where gruppo = 'art31' group by citizen_id",
    );
    const byCitizen = new Map(rows.map((r) => [r.citizen_id, r]));
    const problems: string[] = [];
    let accepted = 0;
    let refused = 0;
    for (const p of people) {
      const o = outcome.get(p.i);
      if (!o) {
        problems.push(`${p.i}: no answer`);
        continue;
      }
      if (o.other.length) problems.push(`${p.i}: ${o.other.join('; ')}`);
      if (o.accepted.length !== 1) problems.push(`${p.i}: ${o.accepted.length} accepted`);
      accepted += o.accepted.length;
      refused += o.refused;
      if (p.i % DOUBLE_EVERY === 0 && o.refused !== 1) problems.push(`${p.i}: second application not refused`);
      const row = byCitizen.get(p.citizenId);
      if (!row || row.n !== '1') problems.push(`${p.i}: ${row?.n ?? 0} rows in the database`);
    }
    const total = await countRows(db, 'select count(*)::text as n from covid_applications');
    if (total !== accepted) problems.push(`${total} rows for ${accepted} accepted applications`);
    const flagged = await countRows(db, 'select count(*)::text as n from covid_applications a join iban_usage u on u.iban = a.iban where u.applicants > 2');
    const verified = await countRows(db, "select count(*)::text as n from covid_applications where stato = 'in_istruttoria'");
    const audited = await countRows(db, "select count(*)::text as n from audit_events where event in ('covid.domanda_inviata', 'covid.domanda_rifiutata')");
    if (audited !== accepted + refused) problems.push(`${audited} audit records for ${accepted + refused} decisions`);
    if (pgStats) {
      await db.query('create extension if not exists pg_stat_statements');
      const top = await db.query<{ calls: string; ms: string; query: string }>(
        "select calls::text, round(total_exec_time::numeric, 0)::text || ' + plan ' || round(total_plan_time::numeric, 0)::text as ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) as query from pg_stat_statements order by total_exec_time desc limit 12",
      );
      for (const r of top.rows) console.log(`pg: ${r.ms.padStart(7)} ms ${r.calls.padStart(7)} calls  ${r.query}`);
    }
    await db.end();
    const bareRows = await countRows(bare.db, 'select count(*)::text as n from bare_applications');
    await bare.db.end();

    printTableHead(['run', 'requests', 'requests/s', 'ratio to bare', 'p50 / p99', 'peak RSS', 'CPU per request: portal / postgres / load generator']);
    printRow(['bare Fastify route, 1 insert, 2 processes', jobs.length, bareRun.rate.toFixed(0), '1.00', bareRun.p50p99, rssBare, '—']);
    printRow([
      '**varco: submit the application**, 2 processes',
      jobs.length,
      `**${submit.rate.toFixed(0)}**`,
      `**${(submit.rate / bareRun.rate).toFixed(2)}**`,
      submit.p50p99,
      rssServe,
      `${cpu.portal.toFixed(2)} / ${cpu.postgres.toFixed(2)} / ${cpu.client.toFixed(2)} ms`,
    ]);
    console.log('');
    console.log(
      `read-back: ${people.length * 2} pages (detail + Le mie domande) in ${pagesSeconds.toFixed(1)} s (${((people.length * 2) / pagesSeconds).toFixed(0)} pages/s)`,
    );
    console.log(
      `accepted ${accepted}, refused by art. 31 ${refused} (of ${Math.ceil(CITIZENS / DOUBLE_EVERY)} second applications), rows ${total}, bare rows ${bareRows}, IBAN verified at submit ${verified}, flagged ${flagged}, audit records ${audited}`,
    );
    console.log(
      `checks: ${problems.length === 0 ? 'every accepted application stored exactly once, no request lost, every second art. 31 application refused' : `${problems.length} PROBLEMS`}; ${leaks.length === 0 ? "no page carried another citizen's name, CF or IBAN; every page no-store" : `${leaks.length} LEAKS`}`,
    );
    for (const line of [...problems, ...leaks].slice(0, 20)) console.log(`  ${line}`);
    if (problems.length || leaks.length) process.exitCode = 1;
  } finally {
    await stopChildren(children);
    cluster.stop();
  }
}

runBench(main);
