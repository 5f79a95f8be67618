/**
 * npm run bench:oidc — the OpenID Provider's token endpoint (issue 7): authorization codes of
 * ≥ 1,000 distinct citizens exchanged for tokens (client_secret_basic, PKCE S256, an RS256 ID
 * token with the consented claims, an audit record each) against `varco serve` × 2 on
 * PostgreSQL in the production configuration; then client-credentials grants of an API client.
 * Reported per vCPU next to Keycloak's published 120 client-credential grants/s per vCPU, and
 * next to a bare Fastify route that inserts one row (same run, same database server).
 *
 * The codes are minted by the bench through the provider's own models (as the consent step
 * would, without a browser), in rounds that fit their 60-second life; only the exchanges are
 * timed. Afterwards it checks every answer: one ID token per code, signed by the published key,
 * naming the code's citizen, and no code accepted twice.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import pg from 'pg';
import { addClient } from '../src/clients/clients.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ACR, createOidcProvider } from '../src/oidc/provider.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { createSessionStore } from '../src/sessions/store.js';
import { startPgCluster } from '../scripts/pg-cluster.js';
import { citizens, cpuSeconds, percentile, pool, progress, request, benchDatabases, runBench, spawnNode, stopChildren, waitHealthy } from './support.js';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 6_000);
const ROUND = Number(process.env.BENCH_ROUND ?? 1_500);
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 32);
const KEYCLOAK_PER_VCPU = 120;
const REDIRECT = 'https://servizio.bench.invalid/cb';

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`# bench:oidc — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(
    `configuration: VARCO_MODE=production, PostgreSQL 15 (throwaway cluster, same machine, Unix socket), varco serve × 2, ${CITIZENS} distinct citizens, codes minted ${ROUND} at a time, at most ${IN_FLIGHT} requests in flight, load generator on the same machine`,
  );

  const children: ChildProcess[] = [];
  const cluster = await startPgCluster({ settings: ['-c shared_buffers=256MB', '-c synchronous_commit=on'] });
  try {
    const { url, bareUrl } = await benchDatabases(cluster);
    const secretKey = randomBytes(32).toString('hex');
    const env = {
      ...process.env,
      VARCO_MODE: 'production',
      VARCO_SECRET_KEY: secretKey,
      VARCO_AUDIT_SEAL_KEY: randomBytes(32).toString('hex'),
      VARCO_PUBLIC_URL: 'https://pin.bench.invalid',
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms',
      VARCO_TRUSTED_PROXIES: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      VARCO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'varco-bench-oidc-')),
      VARCO_RATE_LIMIT_REQUESTS: '1000000',
    };
    const config = loadConfig(env);
    const db = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir() });
    await migrateToLatest(db);
    const box = createSecretBox(config.secretKey);

    // Citizens, a relying party and an API client.
    const people = citizens(CITIZENS).map((c) => ({ cf: c.cf, ip: c.ip, id: randomUUID() }));
    for (let k = 0; k < people.length; k += 1000) {
      await db
        .insertInto('citizens')
        .values(
          people.slice(k, k + 1000).map((p, j) => ({
            id: p.id,
            codice_fiscale: p.cf,
            cognome: `COGNOME${k + j}`,
            nome: 'MARIA',
            data_nascita: '1980-01-01',
            sesso: 'F' as const,
            luogo_nascita: 'G702',
            residenza: null,
            telefono_abitazione: null,
            cellulare: null,
            email: `c${k + j}@example.org`,
            pec: null,
            telefono_preferenziale: 'cellulare',
            orario_preferenziale: 'any',
            locale: 'it',
          })),
        )
        .execute();
      progress('seeding citizens', Math.min(k + 1000, people.length), people.length);
    }
    const rp = await addClient(db, box, { id: 'servizio.bench', name: 'Servizio', scopes: ['openid', 'profile', 'email'], redirectUris: [REDIRECT] });
    const api = await addClient(db, box, { id: 'medici.bench', name: 'Medici', scopes: ['certificati:write'] });
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

    const bareDb = new pg.Client({ connectionString: bareUrl });
    await bareDb.connect();
    await bareDb.query(
      'create table bare_applications (id bigserial primary key, citizen text not null, payload jsonb not null, created_at timestamptz not null default now())',
    );

    const port = 4700 + Math.floor(Math.random() * 500);
    const ports = [port, port + 1];
    const serves = ports.map((p) => spawnNode(['src/cli.ts', 'serve'], { ...env, PORT: String(p) }, true));
    const barePorts = [port + 2, port + 3];
    const bares = barePorts.map((p) => spawnNode(['bench/bare-insert.ts'], { ...process.env, DATABASE_URL: bareUrl, PORT: String(p) }));
    children.push(...serves, ...bares);
    for (const p of [...ports, ...barePorts]) await waitHealthy(`http://127.0.0.1:${p}`);

    // The provider's own models, in this process, on the same database: codes as the consent step makes them.
    const provider = await createOidcProvider({ config, db, box, sessions: createSessionStore(db) });
    const client = await provider.Client.find('servizio.bench');
    if (!client) throw new Error('relying party not found');
    const mint = async (p: (typeof people)[number]) => {
      const verifier = randomBytes(32).toString('base64url');
      const grant = new provider.Grant({ accountId: p.id, clientId: 'servizio.bench' });
      grant.addOIDCScope('openid profile email');
      const grantId = await grant.save();
      const code = await new provider.AuthorizationCode({
        accountId: p.id,
        acr: ACR.ordinario,
        authTime: Math.floor(Date.now() / 1000),
        client,
        grantId,
        redirectUri: REDIRECT,
        scope: 'openid profile email',
        codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
        codeChallengeMethod: 'S256',
        gty: 'authorization_code',
      }).save();
      return { p, code, verifier };
    };

    const latencies: number[] = [];
    const idTokens: { token: string; citizenId: string }[] = [];
    const problems: string[] = [];
    let exchangeSeconds = 0;
    const cpu0 = serves.reduce((a, s) => a + cpuSeconds({ pid: s.pid! }), 0);
    const pg0 = cpuSeconds({ comm: 'postgres' });
    let mintPg = 0;
    for (let k = 0; k < people.length; k += ROUND) {
      const slice = people.slice(k, k + ROUND);
      const pgBefore = cpuSeconds({ comm: 'postgres' });
      const minted: Awaited<ReturnType<typeof mint>>[] = [];
      await pool(slice, 16, async (p) => void minted.push(await mint(p)), `minting codes ${k / ROUND + 1}`);
      mintPg += cpuSeconds({ comm: 'postgres' }) - pgBefore;
      exchangeSeconds += await pool(
        minted,
        IN_FLIGHT,
        async (m, i) => {
          const started = performance.now();
          const res = await request(
            `http://127.0.0.1:${ports[i % 2]}`,
            'POST',
            '/oidc/token',
            { authorization: basic('servizio.bench', rp.secret!), 'x-forwarded-for': m.p.ip },
            new URLSearchParams({ grant_type: 'authorization_code', code: m.code, redirect_uri: REDIRECT, code_verifier: m.verifier }).toString(),
          );
          latencies.push(performance.now() - started);
          if (res.status !== 200) problems.push(`code of ${m.p.cf}: ${res.status} ${res.body.slice(0, 100)}`);
          else idTokens.push({ token: (JSON.parse(res.body) as { id_token: string }).id_token, citizenId: m.p.id });
        },
        `exchanging codes ${k / ROUND + 1}`,
      );
    }
    const codeCpu = ((serves.reduce((a, s) => a + cpuSeconds({ pid: s.pid! }), 0) - cpu0) * 1000) / people.length;
    const codePg = ((cpuSeconds({ comm: 'postgres' }) - pg0 - mintPg) * 1000) / people.length;
    latencies.sort((a, b) => a - b);
    const codeRate = people.length / exchangeSeconds;

    // Client credentials: the API client, as often as there were codes.
    const ccLatencies: number[] = [];
    const ccSeconds = await pool(
      people,
      IN_FLIGHT,
      async (p, i) => {
        const started = performance.now();
        const res = await request(
          `http://127.0.0.1:${ports[i % 2]}`,
          'POST',
          '/oidc/token',
          { authorization: basic('medici.bench', api.secret!), 'x-forwarded-for': p.ip },
          'grant_type=client_credentials&scope=certificati%3Awrite',
        );
        ccLatencies.push(performance.now() - started);
        if (res.status !== 200) problems.push(`client credentials: ${res.status} ${res.body.slice(0, 100)}`);
      },
      'client credentials',
    );
    ccLatencies.sort((a, b) => a - b);
    const ccRate = people.length / ccSeconds;

    // The bare route, same number of requests.
    const bareSeconds = await pool(
      people,
      IN_FLIGHT,
      async (p, i) => {
        const res = await request(`http://127.0.0.1:${barePorts[i % 2]}`, 'POST', '/domanda', {}, new URLSearchParams({ citizen: p.cf }).toString());
        if (res.status !== 303) throw new Error(`bare: ${res.status}`);
      },
      'bare route: insert',
    );
    const bareRate = people.length / bareSeconds;

    // Checks: every ID token verifies against the published keys and names its own citizen; a code is accepted once.
    const jwks = createLocalJWKSet((await (await fetch(`http://127.0.0.1:${ports[0]}/oidc/jwks`)).json()) as { keys: never[] });
    let verified = 0;
    for (const { token, citizenId } of idTokens) {
      const { payload } = await jwtVerify(token, jwks, { issuer: 'https://pin.bench.invalid/oidc', audience: 'servizio.bench' });
      if (payload.sub !== citizenId || payload.acr !== ACR.ordinario) problems.push(`ID token for ${citizenId} names ${payload.sub}`);
      else verified++;
    }
    const replay = await mint(people[0]!);
    const first = await request(
      `http://127.0.0.1:${ports[0]}`,
      'POST',
      '/oidc/token',
      { authorization: basic('servizio.bench', rp.secret!) },
      new URLSearchParams({ grant_type: 'authorization_code', code: replay.code, redirect_uri: REDIRECT, code_verifier: replay.verifier }).toString(),
    );
    const second = await request(
      `http://127.0.0.1:${ports[1]}`,
      'POST',
      '/oidc/token',
      { authorization: basic('servizio.bench', rp.secret!) },
      new URLSearchParams({ grant_type: 'authorization_code', code: replay.code, redirect_uri: REDIRECT, code_verifier: replay.verifier }).toString(),
    );
    if (first.status !== 200 || second.status !== 400) problems.push(`replayed code: ${first.status} then ${second.status}`);
    const audited = await db
      .selectFrom('audit_events')
      .select(db.fn.countAll<string>().as('n'))
      .where('event', '=', 'oidc.token_issued')
      .executeTakeFirstOrThrow();
    const expectedAudit = idTokens.length + people.length + 1;
    if (Number(audited.n) !== expectedAudit) problems.push(`${audited.n} token audit records for ${expectedAudit} tokens`);
    await bareDb.end();
    await db.destroy();

    const vcpus = cpus.length;
    console.log('');
    console.log(
      '| run | requests | requests/s | per vCPU | ratio to Keycloak (120/s per vCPU) | ratio to bare route | p50 / p99 | CPU per request: portal / postgres |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    console.log(
      `| bare Fastify route, 1 insert, 2 processes | ${people.length} | ${bareRate.toFixed(0)} | ${(bareRate / vcpus).toFixed(0)} | — | 1.00 | — | — |`,
    );
    console.log(
      `| **varco: authorization code → tokens** (PKCE, ID token RS256, audit) | ${people.length} | **${codeRate.toFixed(0)}** | **${(codeRate / vcpus).toFixed(0)}** | **${(codeRate / vcpus / KEYCLOAK_PER_VCPU).toFixed(2)}** | ${(codeRate / bareRate).toFixed(2)} | ${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 99).toFixed(0)} ms | ${codeCpu.toFixed(2)} / ${codePg.toFixed(2)} ms |`,
    );
    console.log(
      `| varco: client credentials (API client, scoped token, audit) | ${people.length} | ${ccRate.toFixed(0)} | ${(ccRate / vcpus).toFixed(0)} | ${(ccRate / vcpus / KEYCLOAK_PER_VCPU).toFixed(2)} | ${(ccRate / bareRate).toFixed(2)} | ${percentile(ccLatencies, 50).toFixed(0)} / ${percentile(ccLatencies, 99).toFixed(0)} ms | — |`,
    );
    console.log('');
    console.log(
      `checks: ${problems.length === 0 ? `${verified} ID tokens verified against the published keys, each naming its own citizen; a replayed code refused; ${audited.n} token audit records` : `${problems.length} PROBLEMS`}`,
    );
    for (const line of problems.slice(0, 20)) console.log(`  ${line}`);
    if (problems.length) process.exitCode = 1;
  } finally {
    await stopChildren(children);
    cluster.stop();
  }
}

runBench(main);
