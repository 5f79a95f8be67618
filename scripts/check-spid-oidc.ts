/**
 * `npm run check:spid-oidc` (issue 15): AgID's SPID OIDC conformance tool for relying parties,
 * spid-oidc-check-rp (../shared/tools/spid-oidc-check-rp, unmodified: only its config files are
 * written), run on the loopback against `varco serve` behind TLS, every applicable test case
 * driven through its HTTP API and, for the login flows, through Chromium. Prints a table of the
 * test cases and exits 0 only when each applicable one passed. docs/spid-oidc-check.md says more.
 *
 *   1. the tool is built once into .cache/spid-oidc-check-rp/<hash of its files and Node's ABI>/
 *      (its NOTICE.md: `npm_config_nodedir=/usr npm install` in server/); each run copies it to a
 *      temporary folder with a fresh config (its ports, issuer) and fresh keys made with openssl;
 *   2. a test CA and a certificate for 127.0.0.1 (Debian's openssl); Varco serves over TLS with
 *      its own HTTPS listener (VARCO_TLS_CERT / VARCO_TLS_KEY), VARCO_PUBLIC_URL https on that port,
 *      VARCO_AUTHORITY_HINTS the SPID registry, and the tool as its one pinned SPID provider
 *      (VARCO_FEDERATION_FILE, development only, its keys from the tool's /certs);
 *   3. the tool, given the CA by NODE_EXTRA_CA_CERTS, reads Varco's entity configuration (suite
 *      "metadata"), then acts as the provider of a SPID login started at Varco in Chromium: in the
 *      browser's own session with the tool, the test case is chosen (/api/oidc/check/<case>) and
 *      its answer opened in the browser, so Varco exchanges the code and reads the userinfo.
 *
 * Environment: SPID_OIDC_CHECK_RP_DIR (the tool's folder, by default ../shared/tools/spid-oidc-check-rp
 * beside the repository, or beside its main worktree), CHECK_SPID_OIDC_KEEP=1 keeps the work folder.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIRequestContext, APIResponse, Browser } from 'playwright-core';
import { z } from 'zod';
import { openDatabase } from '../src/db/database.js';
import { buildIfStale } from './build.mjs';
import { launchChromium } from '../test/support/chromium.js';
import { createTestCa } from '../test/support/cns-pki.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROVIDER_ID = 'agid-validator';
const SPID_REGISTRY = 'https://registry.spid.gov.it';

/**
 * What does not apply to a public relying party checked on the loopback, by id: whole test cases
 * of the tool's config/test.json, and single tests (files of its test/ folder).
 */
const AA =
  'Attribute Authority: needs an AA named in the request (authorization_details) for its grant tokens and their introspection; Varco is a public relying party, no AA client';
const EXCLUDED_CASES: Record<string, string> = {
  'test-case-oidc-aa-0': `${AA} (3.1.1 grant token, 5.1.0 its introspection)`,
  'test-case-oidc-aa-1': `${AA} (3.1.2 expired grant token, 5.1.1 introspection active=false)`,
  ...Object.fromEntries([0, 1, 2, 3, 4, 5].map((k) => [`test-case-oidc-aa-${k + 2}`, `${AA} (3.1.1, 5.2.${k} an introspection error response)`])),
};
const EXCLUDED_TESTS: Record<string, string> = {
  '1.0.0':
    'deprecated, in no test case of config/test.json: the metadata URL must be the real registry https://registry.spid.gov.it (needs Varco registered there, online)',
  ...Object.fromEntries(
    ['3.1.1', '3.1.2', '5.1.0', '5.1.1', '5.2.0', '5.2.1', '5.2.2', '5.2.3', '5.2.4', '5.2.5'].map((id) => [
      id,
      'Attribute Authority: only in test-case-oidc-aa-*',
    ]),
  ),
};

/**
 * The tool's "self" tests always answer "warning" ("REQUIRES SELF ASSESSMENT"): what Varco must
 * have done for each flow case, checked here from its answer page and its audit trail. A login
 * refused for the tool's dummy attributes ("TEST - <claim>", no codice fiscale) is what a correct
 * relying party does once the ID token and the encrypted userinfo were accepted.
 */
const EXPECTED_OUTCOME: Record<string, { accepts: (o: VarcoOutcome) => boolean; wanted: string }> = {
  'test-case-oidc-core-0': {
    accepts: (o) => o.loggedIn || o.reason === 'no_fiscal_number',
    wanted: 'code exchanged, ID token and encrypted userinfo accepted (logged in, or refused only for the dummy fiscal number)',
  },
  'test-case-oidc-error-invalid-request': {
    accepts: (o) => !o.loggedIn && o.errorPage && o.reason?.startsWith('invalid: invalid_request') === true,
    wanted: 'error page for error=invalid_request, no login',
  },
  'test-case-oidc-error-invalid-userinfo-response': {
    accepts: (o) => !o.loggedIn && o.errorPage && /405/.test(o.reason ?? ''),
    wanted: 'error page after the userinfo answered 405, no login',
  },
};

/** One test's result as the tool reports it (lib/test/Test.js). */
const testResult = z.object({
  num: z.string(),
  description: z.string().default(''),
  validation: z.string().default(''),
  result: z.string(),
  message: z.string().default(''),
  notes: z.unknown().optional(),
});
type TestResult = z.infer<typeof testResult>;
/** The tool's config/test.json: suites, their test cases, each hook's tests. */
const testSuites = z.record(z.object({ cases: z.record(z.object({ hook: z.record(z.array(z.string())) })) }));
const metadataReport = z.object({ report: z.array(testResult).default([]) });
const oidcReport = z.object({ cases: z.record(z.object({ hook: z.record(z.record(testResult)).default({}) })).default({}) });
const authResponse = z.object({ url: z.string().url() });
const apikey = z.object({ apikey: z.string().min(1) });
interface VarcoOutcome {
  status: number;
  loggedIn: boolean;
  errorPage: boolean;
  /** The audit record's reason of a refused login. */
  reason?: string;
  /** When the case ran (its audit record is in it). */
  window: [Date, Date];
}
interface Row {
  suite: string;
  testCase: string;
  num: string;
  description: string;
  result: 'passed' | 'passed (self)' | 'FAILED' | 'NOT RUN';
  note: string;
}

// ---------------------------------------------------------------- the tool, built once

function toolDir(): string {
  const given = process.env.SPID_OIDC_CHECK_RP_DIR;
  if (given) return path.resolve(given);
  // Beside the repository, beside its main worktree (a git worktree elsewhere), or beside the
  // repository it was cloned from on this machine (a clone in a temporary folder).
  const candidates = [path.resolve(root, '../shared/tools/spid-oidc-check-rp')];
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }).trim();
  try {
    candidates.push(path.resolve(path.dirname(path.resolve(root, git('rev-parse', '--git-common-dir'))), '../shared/tools/spid-oidc-check-rp'));
    const origin = git('remote', 'get-url', 'origin');
    if (path.isAbsolute(origin)) candidates.push(path.resolve(origin, '../shared/tools/spid-oidc-check-rp'));
  } catch {
    // not a git checkout, or no local origin: the folders found so far
  }
  const found = candidates.find((d) => existsSync(path.join(d, 'src/server/package.json')));
  if (!found) throw new Error(`AgID's spid-oidc-check-rp not found in ${candidates.join(' or ')} (set SPID_OIDC_CHECK_RP_DIR)`);
  return found;
}

function filesOf(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules')
    .flatMap((e) => (e.isDirectory() ? filesOf(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

/** The tool's src/ with its server's dependencies installed, in the cache (built when its files or Node's ABI changed). */
function builtTool(src: string): string {
  const hash = createHash('sha256');
  hash.update(`node-abi ${process.versions.modules}\n`);
  for (const f of filesOf(src)) hash.update(`${f}\n`).update(readFileSync(path.join(src, f)));
  const cacheRoot = path.join(root, '.cache/spid-oidc-check-rp');
  // Builds of the tool's earlier versions, and a build that failed half-way, are not kept.
  const built = path.join(cacheRoot, hash.digest('hex').slice(0, 16));
  const nativeModule = 'server/node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  if (existsSync(path.join(built, nativeModule))) return built;
  console.log(`Building AgID's spid-oidc-check-rp into ${path.relative(root, built)} (npm install, better-sqlite3 from source: a few minutes)`);
  rmSync(cacheRoot, { recursive: true, force: true });
  mkdirSync(cacheRoot, { recursive: true });
  const building = mkdtempSync(path.join(cacheRoot, 'building-'));
  cpSync(src, building, { recursive: true });
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev'], {
      cwd: path.join(building, 'server'),
      stdio: 'inherit',
      env: { ...process.env, npm_config_nodedir: '/usr' },
    });
    // npm may skip install scripts: without its compiled module the tool cannot start.
    if (!existsSync(path.join(building, nativeModule))) throw new Error(`npm install did not compile better-sqlite3 (${nativeModule} missing)`);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
  renameSync(building, built);
  return built;
}

/** A copy of the built tool for this run (its node_modules linked), with config for these ports and fresh keys. */
function toolWorkCopy(built: string, work: string, port: number): string {
  const dir = path.join(work, 'spid-oidc-check-rp');
  cpSync(built, dir, { recursive: true, filter: (s) => !s.startsWith(path.join(built, 'server/node_modules')) });
  symlinkSync(path.join(built, 'server/node_modules'), path.join(dir, 'server/node_modules'));
  const config = path.join(dir, 'config');
  cpSync(path.join(dir, 'config_sample'), config, { recursive: true });
  const base = `http://127.0.0.1:${port}`;
  // `host` carries the port: /authorization redirects to it as it is.
  writeJson(path.join(config, 'server.json'), { host: base, port, basepath: '', useProxy: false, useHttps: false });
  const op = JSON.parse(readFileSync(path.join(config, 'op.json'), 'utf8'));
  writeJson(path.join(config, 'op.json'), {
    ...op,
    issuer: base,
    authorization_endpoint: `${base}/authorization`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    introspection_endpoint: `${base}/introspection`,
    revocation_endpoint: `${base}/revocation`,
    op_uri: base,
    agidloginAuthentication: false,
    autoLogin: true,
  });
  // No HTTP Basic users: the API is used in session mode (GET /login/assert gives the apikey).
  writeJson(path.join(config, 'api.json'), {});
  // Fresh keys: the sample ones are public.
  for (const use of ['sig', 'enc']) selfSigned(`/CN=spid-oidc-check-rp-${use}`, path.join(config, `spid-oidc-check-rp-${use}`));
  mkdirSync(path.join(dir, 'data'));
  return dir;
}

// ---------------------------------------------------------------- the tool's keys (openssl)

/** A new RSA key and a self-signed certificate for it, valid two days: `<base>.key` and `<base>.crt`. */
function selfSigned(subject: string, base: string): void {
  openssl(['req', '-x509', '-sha256', '-days', '2', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${base}.key`, '-out', `${base}.crt`]);
}

function openssl(args: string[]): void {
  execFileSync('/usr/bin/openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

// ---------------------------------------------------------------- processes

interface Started {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

function start(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; log: string }): Started {
  let out = '';
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    out += d;
    writeFileSync(opts.log, d, { flag: 'a' });
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor(what: Started, name: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (what.child.exitCode !== null) throw new Error(`${name} exited:\n${what.output().slice(-3000)}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${name} did not start:\n${what.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

// ---------------------------------------------------------------- driving the tool

/** The tool's session API: the apikey of this cookie jar's session (autoLogin as "validator"). */
async function toolSession(request: APIRequestContext, base: string): Promise<(p: string) => string> {
  const { apikey: key } = await json(await request.get(`${base}/login/assert`), apikey);
  return (p: string) => `${base}${p}${p.includes('?') ? '&' : '?'}apikey=${encodeURIComponent(key)}`;
}

/** A JSON answer of the tool, as the schema wants it. */
async function json<T>(res: APIResponse, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T> {
  const text = await res.text();
  if (!res.ok()) throw new Error(`${res.url()} answered ${res.status()}: ${text.slice(0, 500)}`);
  return schema.parse(JSON.parse(text));
}

/** What the tool says of a test that did not succeed (with its notes, when they are text: e.g. the Content-Type it saw), or of one that does not apply (N/A). */
function messageOf(t: TestResult): string {
  const notes = typeof t.notes === 'string' ? t.notes : '';
  if (t.result === 'success') return notes.startsWith('N/A') ? notes : '';
  return notes ? `${t.message} (${notes})` : t.message;
}

function judged(t: TestResult): Row['result'] {
  if (t.result === 'success') return 'passed';
  if (t.result === 'warning' && t.validation === 'self') return 'passed (self)';
  return 'FAILED';
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const src = path.join(toolDir(), 'src');
  const built = builtTool(src);
  const testJson = testSuites.parse(JSON.parse(readFileSync(path.join(built, 'config_sample/test.json'), 'utf8')));
  const rows: Row[] = [];
  // Every test of the tool is run by an applicable case or excluded by id: one that is neither (a
  // newer version of the tool) fails the check until it is driven or excluded here.
  const applicable = Object.entries(testJson).flatMap(([suite, { cases }]) =>
    Object.entries(cases).flatMap(([id, c]) => (suite === 'oidc-core' && id in EXCLUDED_CASES ? [] : Object.values(c.hook).flat())),
  );
  const misplaced = applicable.filter((id) => id in EXCLUDED_TESTS);
  if (misplaced.length) throw new Error(`excluded tests that an applicable case runs: ${misplaced.join(', ')}`);
  for (const file of readdirSync(path.join(built, 'test')).filter((f) => f.endsWith('.js'))) {
    const id = file.replace(/\.js$/, '');
    if (!applicable.includes(id) && !(id in EXCLUDED_TESTS))
      rows.push({ suite: '-', testCase: '-', num: id, description: '', result: 'NOT RUN', note: 'in no applicable test case, and not excluded' });
  }
  const work = mkdtempSync(path.join(tmpdir(), 'varco-spid-oidc-check-'));
  const [toolPort, httpPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const toolBase = `http://127.0.0.1:${toolPort}`;
  const varcoBase = `https://127.0.0.1:${tlsPort}`;
  // A test CA and a certificate for 127.0.0.1 it issued: the CNS tests' own (Debian's openssl).
  const ca = createTestCa('Varco check-spid-oidc');
  const server = ca.server();
  const pki = { ca: ca.caPath, cert: server.certPath, key: server.keyPath };
  const toolCopy = toolWorkCopy(built, work, toolPort);
  const stops: (() => Promise<void>)[] = [];
  const outcomes: Record<string, VarcoOutcome> = {};
  const problems: Record<string, string> = {};
  let browser: Browser | undefined;
  try {
    // The tool, trusting the test CA for its calls to Varco.
    const tool = start(process.execPath, ['server/spid-oidc-check-rp.js'], {
      cwd: toolCopy,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: pki.ca, NODE_ENV: 'production' },
      log: path.join(work, 'spid-oidc-check-rp.log'),
    });
    stops.push(() => tool.stop());
    await waitFor(tool, 'spid-oidc-check-rp', async () => (await fetch(`${toolBase}/.well-known/openid-configuration`)).ok);

    // Varco, with the tool as its one (pinned, development-only) SPID provider, keys from its /certs.
    const jwks = await (await fetch(`${toolBase}/certs`)).json();
    const federationFile = path.join(work, 'federation.json');
    writeJson(federationFile, {
      providers: [{ id: PROVIDER_ID, kind: 'spid', name: "AgID's validator (spid-oidc-check-rp)", issuer: toolBase, allowHttp: true, jwks }],
    });
    const varcoData = path.join(work, 'varco-data');
    // The compiled `varco serve`, as production runs it (dist/ built first if a source changed).
    buildIfStale();
    const varco = start(process.execPath, ['bin/varco.js', 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        VARCO_MODE: 'development',
        HOST: '127.0.0.1',
        PORT: String(httpPort),
        VARCO_PUBLIC_URL: varcoBase,
        VARCO_DATA_DIR: varcoData,
        VARCO_DEMO_DATA: 'false',
        VARCO_WORKER_IN_PROCESS: 'false',
        VARCO_RATE_LIMIT_REQUESTS: '10000',
        // Varco's own HTTPS listener (the one CNS logins use) serves every page.
        VARCO_TLS_CERT: pki.cert,
        VARCO_TLS_KEY: pki.key,
        VARCO_CNS_CA_BUNDLE: pki.ca,
        VARCO_TLS_PORT: String(tlsPort),
        VARCO_AUTHORITY_HINTS: SPID_REGISTRY,
        VARCO_FEDERATION_CONTACTS: 'federazione@varco.invalid',
        VARCO_FEDERATION_FILE: federationFile,
        LOG_LEVEL: 'warn',
        NODE_EXTRA_CA_CERTS: pki.ca,
      },
      log: path.join(work, 'varco.log'),
    });
    stops.push(() => varco.stop());
    await waitFor(varco, 'varco serve', async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).ok);

    const launched = await launchChromium();
    browser = launched;
    // Chromium does not know the test CA (the tool does, through NODE_EXTRA_CA_CERTS).
    const newContext = () => launched.newContext({ locale: 'en-GB', ignoreHTTPSErrors: true });

    // Suite "metadata": the tool reads Varco's entity configuration and checks it.
    {
      const context = await newContext();
      const api = await toolSession(context.request, toolBase);
      const url = `${varcoBase}/.well-known/openid-federation`;
      await json(await context.request.post(api('/api/metadata/federation/download'), { data: { url } }), z.object({ url: z.literal(url) }));
      for (const testCase of Object.keys(testJson.metadata?.cases ?? {})) {
        const { report } = await json(await context.request.get(api(`/api/metadata/check/${testCase}`)), metadataReport);
        for (const t of report) rows.push({ suite: 'metadata', testCase, num: t.num, description: t.description, result: judged(t), note: messageOf(t) });
      }
      await context.close();
    }

    // Suite "oidc-core": one SPID login at Varco per test case, answered by the tool as that case says.
    const flowCases = Object.keys(testJson['oidc-core']?.cases ?? {}).filter((c) => !(c in EXCLUDED_CASES));
    let lastReport: z.infer<typeof oidcReport> = { cases: {} };
    for (const testCase of flowCases) {
      const context = await newContext();
      const started = new Date();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        await page.goto(`${varcoBase}/accedi?metodo=spid`);
        // Varco redirects to the tool's /authorization, which keeps the request in this browser's session with it.
        await Promise.all([page.waitForURL(`${toolBase}/**`), page.click(`#spid-${PROVIDER_ID}`)]);
        const api = await toolSession(context.request, toolBase);
        await json(await context.request.get(api('/api/store')), z.unknown());
        const answer = await json(await context.request.get(api(`/api/oidc/check/${testCase}`)), authResponse);
        // The tool's answer for this case, back to Varco in the browser: Varco calls /token and /userinfo.
        const res = await page.goto(answer.url);
        const url = new URL(page.url());
        outcomes[testCase] = {
          status: res?.status() ?? 0,
          loggedIn: url.origin === varcoBase && url.pathname === '/bacheca',
          errorPage: (await page.locator('#federated-error').count()) > 0,
          window: [started, new Date()],
        };
        lastReport = await json(await context.request.get(api('/api/oidc/report')), oidcReport);
      } catch (error) {
        problems[testCase] = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      } finally {
        await context.close();
      }
    }
    await launched.close();
    browser = undefined;

    // Why Varco refused each login: its audit record, written while that case ran (read once Varco
    // stopped: the embedded database is one process's).
    await varco.stop();
    const db = await openDatabase({ databaseUrl: undefined, dataDir: varcoData });
    try {
      const refusals = await db
        .selectFrom('audit_events')
        .select(['occurred_at', 'details'])
        .where('event', '=', 'login.federated_refused')
        .orderBy('id')
        .execute();
      for (const o of Object.values(outcomes)) {
        const [from, to] = o.window;
        const record = refusals.find((r) => new Date(r.occurred_at) >= from && new Date(r.occurred_at) <= to);
        const reason = record?.details.reason;
        if (typeof reason === 'string') o.reason = reason;
      }
    } finally {
      await db.destroy();
    }

    for (const testCase of flowCases) {
      const hooks = lastReport.cases[testCase]?.hook ?? {};
      const recorded = new Map(Object.values(hooks).flatMap((hook) => Object.values(hook).map((t) => [t.num, t] as const)));
      const o = outcomes[testCase];
      const expected = EXPECTED_OUTCOME[testCase];
      const varcoNote = o
        ? `Varco: ${o.loggedIn ? 'logged in' : `refused (${o.reason ?? `HTTP ${o.status}`})`}`
        : `not driven to its end: ${problems[testCase] ?? 'no answer'}`;
      const selfOk = !expected || (o !== undefined && expected.accepts(o));
      for (const num of Object.values(testJson['oidc-core']?.cases[testCase]?.hook ?? {}).flat()) {
        const t = recorded.get(num);
        if (!t) {
          rows.push({ suite: 'oidc-core', testCase, num, description: '', result: 'NOT RUN', note: `the tool recorded no result (${varcoNote})` });
          continue;
        }
        let result = judged(t);
        let note = messageOf(t);
        if (result === 'passed (self)') {
          note = `${varcoNote}; wanted: ${expected?.wanted ?? '(no self-assessment defined)'}`;
          if (!selfOk || !expected) result = 'FAILED';
        }
        rows.push({ suite: 'oidc-core', testCase, num, description: t.description, result, note });
      }
    }
  } finally {
    await browser?.close().catch(() => undefined);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }

  printTable(rows);
  const failed = rows.filter((r) => r.result === 'FAILED' || r.result === 'NOT RUN');
  const self = rows.filter((r) => r.result === 'passed (self)').length;
  console.log(
    `\n${rows.length - failed.length} of ${rows.length} applicable tests passed (${self} of them self-assessed "warning" cases); ${failed.length} failed.`,
  );
  console.log('\nExcluded (do not apply to a public relying party on the loopback):');
  for (const [id, why] of [...Object.entries(EXCLUDED_CASES), ...Object.entries(EXCLUDED_TESTS)]) console.log(`  ${id}: ${why}`);
  if (process.env.CHECK_SPID_OIDC_KEEP === '1') console.log(`\nWork folder kept: ${work} (logs of the tool and of Varco)`);
  else rmSync(work, { recursive: true, force: true });
  return failed.length ? 1 : 0;
}

function printTable(rows: Row[]): void {
  const cols: [keyof Row, string][] = [
    ['testCase', 'test case'],
    ['num', 'test'],
    ['description', 'description'],
    ['result', 'result'],
    ['note', 'note'],
  ];
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const limits: Partial<Record<keyof Row, number>> = { description: 70, note: 120 };
  const cell = (r: Row, k: keyof Row) => cut(String(r[k]).replace(/\s+/g, ' '), limits[k] ?? 60);
  const widths = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => cell(r, k).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ');
  console.log(`\n${line(cols.map(([, h]) => h))}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(cols.map(([k]) => cell(r, k))));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
