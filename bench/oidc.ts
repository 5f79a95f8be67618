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
import { addClient } from '../src/clients/clients.js';
import { loadConfig } from '../src/config/config.js';
import { ACR, createOidcProvider } from '../src/oidc/provider.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { createSessionStore } from '../src/sessions/store.js';
import { startPgCluster } from '../scripts/pg-cluster.js';
import { benchDatabases, inBatches, openMigrated, startBareRoutes } from './databases.js';
import { loopback, productionEnv, PROFILE_DIR, runBench, spawnServes, stopChildren, waitPorts } from './processes.js';
import { cpuPerRequest, cpuSample, cpuSeconds, printMachine, printRow, printTableHead, Timings } from './report.js';
import { citizens, pool, request } from './support.js';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 6_000);
const ROUND = Number(process.env.BENCH_ROUND ?? 1_500);
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 32);
const KEYCLOAK_PER_VCPU = 120;
const REDIRECT = 'https://servizio.bench.invalid/cb';

async function main(): Promise<void> {
  const cpus = printMachine('oidc');
  console.log(
    `configuration: VARCO_MODE=production, PostgreSQL 15 (throwaway cluster, same machine, Unix socket), varco serve × 2, ${CITIZENS} distinct citizens, codes minted ${ROUND} at a time, at most ${IN_FLIGHT} requests in flight, load generator on the same machine`,
  );

  const children: ChildProcess[] = [];
  const cluster = await startPgCluster({ settings: ['-c shared_buffers=256MB', '-c synchronous_commit=on'] });
  try {
    const { url, bareUrl } = await benchDatabases(cluster);
    const env = productionEnv({
      DATABASE_URL: url,
      VARCO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'varco-bench-oidc-')),
      VARCO_RATE_LIMIT_REQUESTS: '1000000',
    });
    const config = loadConfig(env);
    const db = await openMigrated(url);
    const box = createSecretBox(config.secretKey);

    // Citizens, a relying party and an API client.
    const people = citizens(CITIZENS).map((c) => ({ cf: c.cf, ip: c.ip, id: randomUUID() }));
    await inBatches(
      people,
      1000,
      async (slice, k) => {
        await db
          .insertInto('citizens')
          .values(
            slice.map((p, j) => ({
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
      },
      'seeding citizens',
    );
    const rp = await addClient(db, box, { id: 'servizio.bench', name: 'Servizio', scopes: ['openid', 'profile', 'email'], redirectUris: [REDIRECT] });
    const api = await addClient(db, box, { id: 'medici.bench', name: 'Medici', scopes: ['certificati:write'] });
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

    const port = 4700 + Math.floor(Math.random() * 500);
    const ports = [port, port + 1];
    const serves = spawnServes(env, ports, { profileDir: PROFILE_DIR });
    children.push(...serves);
    const barePorts = [port + 2, port + 3];
    const bare = await startBareRoutes(bareUrl, barePorts);
    children.push(...bare.children);
    await waitPorts([...ports, ...barePorts]);

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
    /** The relying party exchanges a code at portal `port` (from the citizen's address, if given). */
    const exchange = (port: number, m: { code: string; verifier: string }, headers: Record<string, string> = {}) =>
      request(
        loopback(port),
        'POST',
        '/oidc/token',
        { authorization: basic('servizio.bench', rp.secret!), ...headers },
        new URLSearchParams({ grant_type: 'authorization_code', code: m.code, redirect_uri: REDIRECT, code_verifier: m.verifier }).toString(),
      );

    const codes = new Timings();
    const idTokens: { token: string; citizenId: string }[] = [];
    const problems: string[] = [];
    const portals = { portal: serves.map((s) => s.pid!) };
    const cpu0 = cpuSample(portals);
    let mintPg = 0;
    for (let k = 0; k < people.length; k += ROUND) {
      const slice = people.slice(k, k + ROUND);
      const pgBefore = cpuSeconds({ comm: 'postgres' });
      const minted: Awaited<ReturnType<typeof mint>>[] = [];
      await pool(slice, 16, async (p) => void minted.push(await mint(p)), `minting codes ${k / ROUND + 1}`);
      mintPg += cpuSeconds({ comm: 'postgres' }) - pgBefore;
      await codes.run(
        minted,
        IN_FLIGHT,
        async (m, i) => {
          const res = await exchange(ports[i % 2]!, m, { 'x-forwarded-for': m.p.ip });
          if (res.status !== 200) problems.push(`code of ${m.p.cf}: ${res.status} ${res.body.slice(0, 100)}`);
          else idTokens.push({ token: (JSON.parse(res.body) as { id_token: string }).id_token, citizenId: m.p.id });
        },
        `exchanging codes ${k / ROUND + 1}`,
      );
    }
    const codeCpu = cpuPerRequest(cpu0, cpuSample(portals), people.length);
    const codePg = codeCpu.postgres - (mintPg * 1000) / people.length;

    // Client credentials: the API client, as often as there were codes.
    const cc = await new Timings().run(
      people,
      IN_FLIGHT,
      async (p, i) => {
        const res = await request(
          loopback(ports[i % 2]!),
          'POST',
          '/oidc/token',
          { authorization: basic('medici.bench', api.secret!), 'x-forwarded-for': p.ip },
          'grant_type=client_credentials&scope=certificati%3Awrite',
        );
        if (res.status !== 200) problems.push(`client credentials: ${res.status} ${res.body.slice(0, 100)}`);
      },
      'client credentials',
    );

    // The bare route, same number of requests.
    const bareRun = await new Timings().run(
      people,
      IN_FLIGHT,
      async (p, i) => {
        const res = await request(loopback(barePorts[i % 2]!), 'POST', '/domanda', {}, new URLSearchParams({ citizen: p.cf }).toString());
        if (res.status !== 303) throw new Error(`bare: ${res.status}`);
      },
      'bare route: insert',
    );

    // Checks: every ID token verifies against the published keys and names its own citizen; a code is accepted once.
    const jwks = createLocalJWKSet((await (await fetch(`${loopback(ports[0]!)}/oidc/jwks`)).json()) as { keys: never[] });
    let verified = 0;
    for (const { token, citizenId } of idTokens) {
      const { payload } = await jwtVerify(token, jwks, { issuer: 'https://pin.bench.invalid/oidc', audience: 'servizio.bench' });
      if (payload.sub !== citizenId || payload.acr !== ACR.ordinario) problems.push(`ID token for ${citizenId} names ${payload.sub}`);
      else verified++;
    }
    const replay = await mint(people[0]!);
    const first = await exchange(ports[0]!, replay);
    const second = await exchange(ports[1]!, replay);
    if (first.status !== 200 || second.status !== 400) problems.push(`replayed code: ${first.status} then ${second.status}`);
    const audited = await db
      .selectFrom('audit_events')
      .select(db.fn.countAll<string>().as('n'))
      .where('event', '=', 'oidc.token_issued')
      .executeTakeFirstOrThrow();
    const expectedAudit = idTokens.length + people.length + 1;
    if (Number(audited.n) !== expectedAudit) problems.push(`${audited.n} token audit records for ${expectedAudit} tokens`);
    await bare.db.end();
    await db.destroy();

    const vcpus = cpus.length;
    /** requests/s, per vCPU, ratio to Keycloak. */
    const vs = (rate: number, bold = false) => {
      const cells = [rate.toFixed(0), (rate / vcpus).toFixed(0), (rate / vcpus / KEYCLOAK_PER_VCPU).toFixed(2)];
      return bold ? cells.map((c) => `**${c}**`) : cells;
    };
    printTableHead([
      'run',
      'requests',
      'requests/s',
      'per vCPU',
      'ratio to Keycloak (120/s per vCPU)',
      'ratio to bare route',
      'p50 / p99',
      'CPU per request: portal / postgres',
    ]);
    printRow(['bare Fastify route, 1 insert, 2 processes', people.length, ...vs(bareRun.rate).slice(0, 2), '—', '1.00', '—', '—']);
    printRow([
      '**varco: authorization code → tokens** (PKCE, ID token RS256, audit)',
      people.length,
      ...vs(codes.rate, true),
      (codes.rate / bareRun.rate).toFixed(2),
      codes.p50p99,
      `${codeCpu.portal.toFixed(2)} / ${codePg.toFixed(2)} ms`,
    ]);
    printRow([
      'varco: client credentials (API client, scoped token, audit)',
      people.length,
      ...vs(cc.rate),
      (cc.rate / bareRun.rate).toFixed(2),
      cc.p50p99,
      '—',
    ]);
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
