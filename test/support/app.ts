import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { type Config, loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/database.js';
import { createPinHasher, type PinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { buildApp } from '../../src/server/app.js';
import { type Engine, freshDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  url: string | undefined;
  close(): Promise<void>;
}

/** Message quotas (issue 12 F6) out of the way of tests about something else. */
export const RELAXED_MESSAGE_QUOTAS: Record<string, string> = {
  VARCO_SMS_PER_CF_DAY: '1000',
  VARCO_SMS_PER_NUMBER_DAY: '1000',
  VARCO_SMS_COOLDOWN_SECONDS: '0',
  VARCO_LETTERS_PER_CF: '100',
};

/** The whole app on a fresh database of the given engine, in development mode unless told otherwise. */
export async function buildTestApp(
  engine: Engine,
  env: Record<string, string> = {},
  opts: { now?: () => Date; hasher?: PinHasher; db?: { db: Db; url: string | undefined } } = {},
): Promise<TestApp> {
  const { db, url } = opts.db ?? (await freshDatabase(engine));
  const config = loadConfig({
    VARCO_MODE: 'development',
    VARCO_SECRET_KEY: env.VARCO_SECRET_KEY ?? randomBytes(32).toString('hex'),
    VARCO_AUDIT_SEAL_KEY: env.VARCO_AUDIT_SEAL_KEY ?? randomBytes(32).toString('hex'),
    VARCO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'varco-test-')),
    VARCO_RATE_LIMIT_REQUESTS: '10000',
    // Tests answer many first request steps from one address; test/identity-binding.test.ts sets its own (F13).
    VARCO_R1_PER_IP_HOUR: '100000',
    // Like the rate limit: the fixtures reuse a few numbers and codici fiscali across a file's
    // tests; test/sms-quotas.test.ts sets the real defaults back.
    ...RELAXED_MESSAGE_QUOTAS,
    LOG_LEVEL: 'silent',
    // The engine the test opened: production mode refuses the embedded one unless told (F11).
    ...(url ? { DATABASE_URL: url } : { VARCO_ALLOW_EMBEDDED_DB: 'true' }),
    ...env,
  });
  const app = await buildApp({
    config,
    db,
    hasher: opts.hasher ?? createPinHasher(config.argon2),
    box: createSecretBox(config.secretKey),
    logger: false,
    now: opts.now,
  });
  await app.ready();
  return {
    app,
    db,
    config,
    url,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

/** A browser-like client over app.inject: keeps cookies, fills in the CSRF token of the last page. */
export class Client {
  private cookies = new Map<string, string>();
  lastHtml = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** A cookie the server set elsewhere (e.g. a session created by the test). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (c.value === '' || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader() } });
    this.remember(res);
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) this.lastHtml = res.body;
    return res;
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m?.[1]) throw new Error('no CSRF token on the last page');
    return m[1];
  }

  /** `json`: the same fields as a JSON body, as a script may post a page's form (Fastify parses both). */
  async post(url: string, form: Record<string, string>, opts: { csrf?: string | false; json?: boolean } = {}): Promise<LightMyRequestResponse> {
    const fields = { ...form, ...(opts.csrf === false ? {} : { _csrf: opts.csrf ?? this.csrf() }) };
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: opts.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) this.lastHtml = res.body;
    return res;
  }

  /** Follows a 303 like a browser. */
  async follow(res: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const location = res.headers.location;
    if (res.statusCode !== 303 || typeof location !== 'string') return res;
    return this.get(location);
  }
}

/**
 * The app of a test file (or of one `describe`): built before its tests, closed after. The object
 * is filled in by `beforeAll`, so read its fields inside tests only.
 */
export function useTestApp(engine: Engine, env: Record<string, string> = {}, opts: Parameters<typeof buildTestApp>[2] = {}): TestApp {
  const t = {} as TestApp;
  beforeAll(async () => {
    Object.assign(t, await buildTestApp(engine, env, opts));
  });
  afterAll(async () => {
    await t.close?.();
  });
  return t;
}
