import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { audit } from '../audit/events.js';
import type { Config } from '../config/config.js';
import { type Db, isDatabaseUnavailable } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import { createFlowStore } from '../sessions/flow-store.js';
import { type IbanHolderCheck, tableIbanHolderCheck } from '../adapters/iban-holders.js';
import { type ResidenceRegistry, tableResidenceRegistry } from '../adapters/residence.js';
import { createSessionStore } from '../sessions/store.js';
import { contactCenterText, type MessageKey, translator } from '../i18n/index.js';
import type { PinHasher } from '../security/hasher.js';
import type { SecretBox } from '../security/secret-box.js';
import type { AppDeps } from '../ui/deps.js';
import type { VarcoModule } from '../ui/module.js';
import { installModules, MODULES } from './modules.js';
import { html } from '../ui/html.js';
import { type PageContext, page } from '../ui/layout.js';
import { LANG_COOKIE, pageContextFor } from '../ui/page-context.js';
import { createRateLimiter } from '../security/rate-limit.js';
import { completeSecurityHeaders, withoutInlineFonts } from '../security/headers.js';
import { dbSafeDeep } from '../domain/db-safe.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: PageContext;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeList: RegisteredRoute[];
  }
}

export interface BuildOptions {
  config: Config;
  db: Db;
  hasher: PinHasher;
  box: SecretBox;
  logger?: boolean;
  /** Injectable clock for sessions, lockouts and expiry (tests). */
  now?: () => Date;
  /** R21: the IBAN holder check; the `iban_holders` table when not given. */
  ibanHolders?: IbanHolderCheck;
  /** Issue 12 F1: the residence registry (the `residenze` table by default; a remote adapter in production). */
  residences?: ResidenceRegistry;
  /** The modules to serve (src/server/modules.ts by default). */
  modules?: readonly VarcoModule[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
/** Forms are small: a larger body is refused with 413 before it is parsed. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const modules = opts.modules ?? MODULES;
  const secureCookies = config.publicUrl.startsWith('https://');
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
            // Never the query string: it may carry an ID token (logout), a code or a state.
            serializers: { req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: req.url.split('?')[0], ip: req.ip }) },
          },
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: BODY_LIMIT_BYTES,
    // A module's registration (the OpenID Provider's keys, the SPID/CIE clients) takes what it takes on a
    // loaded machine: no start-up deadline per plugin (avvio's default is 10 s).
    pluginTimeout: 0,
    // API bodies are checked strictly against their published schemas: nothing coerced or dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: true } },
  });

  // Every route, for the tests that walk them all (bad input, levels, ids of other citizens).
  const routeList: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routeList.push({ method, url: r.url });
  });
  app.decorate('routeList', routeList);

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  // Uploads (R15): fields and files in the body, each file within the configured limit.
  await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: config.uploadLimitBytes, files: 2, fields: 10, parts: 12 } });
  await app.register(fastifyCsrf, {
    cookieKey: 'varco_csrf',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: secureCookies },
    getToken: (req) => {
      const body: unknown = req.body;
      const token: unknown = body !== null && typeof body === 'object' ? Reflect.get(body, '_csrf') : undefined;
      return typeof token === 'string' ? token : undefined;
    },
  });
  // Bootstrap Italia's stylesheet without the fonts it inlines as data: URLs (the CSP allows fonts from the portal only).
  const bootstrapCss = withoutInlineFonts(await readFile(path.join(root, 'node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css'), 'utf8'));
  app.get('/assets/bootstrap-italia/css/bootstrap-italia.min.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=604800').send(bootstrapCss),
  );
  await app.register(fastifyStatic, { root: path.join(root, 'node_modules/bootstrap-italia/dist'), prefix: '/assets/bootstrap-italia/', maxAge: '7d' });
  await app.register(fastifyStatic, { root: path.join(root, 'src/ui/assets'), prefix: '/assets/', decorateReply: false, maxAge: '1h' });

  const rateLimiter = createRateLimiter(db, config.rateLimit);
  const now = opts.now ?? (() => new Date());
  const deps: AppDeps = {
    config,
    db,
    hasher: opts.hasher,
    box: opts.box,
    flows: createFlowStore(db, config.flowTtlMinutes),
    sessions: createSessionStore(db, now),
    dummyHash: await opts.hasher.hash(randomBytes(16).toString('base64url')),
    now,
    ibanHolders: opts.ibanHolders ?? tableIbanHolderCheck(db),
    residence: { mode: config.residenceRegistry, registry: opts.residences ?? tableResidenceRegistry(db) },
    semplificatoOpen: () => config.pinSemplificato.enabled && (!config.pinSemplificato.until || now() <= config.pinSemplificato.until),
    cookieOptions: (extra) => ({ httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/', ...extra }),
    rateLimitHook:
      (bucket, factor = 1) =>
      async (req, reply) => {
        const result = await rateLimiter.hit(`${bucket}:${req.ip}`, config.rateLimit.requestsPerWindow * factor);
        if (result.allowed) return;
        if (result.hits === result.limit + 1) {
          await audit.rateLimitExceeded(db, { actor: 'anonymous', ip: req.ip }, { key: bucket, limit: result.limit });
        }
        reply.header('retry-after', String(result.retryAfterSeconds));
        // Answered by the error handler of the route's scope: a page, or problem details under /api.
        throw Object.assign(new Error('too many requests'), { statusCode: 429, retryAfterSeconds: result.retryAfterSeconds });
      },
  };

  app.decorateRequest('ctx', null as unknown as PageContext);
  app.addHook('onRequest', async (req, reply) => {
    let token: string | undefined;
    req.ctx = pageContextFor(config, {
      langCookie: req.cookies[LANG_COOKIE],
      acceptLanguage: req.headers['accept-language'],
      path: req.url.split('?')[0] ?? '/',
      csrfToken: () => (token ??= reply.generateCsrf()),
    });
  });
  // A page's form posted as JSON may carry a lone UTF-16 surrogate ("\ud800"), which a form-encoded
  // body cannot: it becomes U+FFFD, as the form decoder makes of bad UTF-8, so every form's field
  // check refuses it with its message and nothing reaches jsonb (outside review, docs/security.md).
  app.addHook('preValidation', async (req) => {
    const json = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
    if (json && req.method === 'POST' && !req.url.startsWith('/api/') && req.body !== null && typeof req.body === 'object') req.body = dbSafeDeep(req.body);
  });
  // CSRF on every form: checked after the body is parsed (STACK-NOTES).
  app.addHook('preValidation', (req, reply, done) => {
    if (req.method === 'POST' && !req.url.startsWith('/api/')) app.csrfProtection(req, reply, done);
    else done();
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    completeSecurityHeaders(
      { hasHeader: (n) => reply.hasHeader(n), getHeader: (n) => reply.getHeader(n), setHeader: (n, v) => reply.header(n, v) },
      secureCookies,
    );
    return payload;
  });

  // Set before any route is added: a route takes the handlers its scope has when it is registered.
  app.setNotFoundHandler((req, reply) => reply.code(404).type('text/html').send(errorPage(req, 404)));
  app.setErrorHandler((error: FastifyError, req, reply) => {
    // A malformed multipart body is reported by busboy without a status: it is the client's error.
    const malformedBody = /^(Multipart: |Malformed part header|Unexpected end of (form|multipart))/.test(error.message);
    /** A 503 the citizen can act on: what failed is no fault of the request, and a retry later mends it. */
    const unavailable = (retrySeconds: number, body: string) =>
      reply.code(503).header('retry-after', String(retrySeconds)).header('cache-control', 'no-store').type('text/html').send(body);
    // Issue 16: the database out of reach (restarted, failing over) is a 503 with a retry, not a failure of the request.
    if (isDatabaseUnavailable(error)) {
      req.log.warn({ err: error.message }, 'database unavailable');
      return unavailable(DATABASE_RETRY_SECONDS, errorPage(req, 503, { seconds: DATABASE_RETRY_SECONDS }));
    }
    // Issue 16: the files folder full or read-only: the upload is not kept (nothing half-written), the citizen told to retry later.
    if (isStorageUnavailable(error)) {
      req.log.error({ code: error.code }, 'file storage unavailable');
      return unavailable(STORAGE_RETRY_SECONDS, errorPage(req, 503, {}, 'http.storage'));
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : malformedBody ? 400 : 500;
    if (status === 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: error.code, status }, 'request refused');
    const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    return reply
      .code(status)
      .type('text/html')
      .send(errorPage(req, status, retryAfter === undefined ? {} : { seconds: retryAfter }));
  });

  app.get<{ Params: { locale: string }; Querystring: Record<string, unknown> }>('/lingua/:locale', async (req, reply) => {
    const { locale } = req.params;
    const next = req.query.next;
    // Same-site paths only, and only characters that are safe in a Location header.
    const target = typeof next === 'string' && /^\/(?!\/)[\w\-./?=&%~+]*$/.test(next) && next.length < 500 ? next : '/';
    if (['it', 'de', 'en'].includes(locale)) reply.setCookie(LANG_COOKIE, locale, { path: '/', maxAge: 365 * 86400, sameSite: 'lax', secure: secureCookies });
    return reply.redirect(target, 303);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Issue 16: ready when the database answers and its schema is this code's (a load balancer's check).
  app.get('/readyz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      const pending = await pendingMigrations(db);
      if (pending.length) return reply.code(503).send({ status: 'not_ready', database: 'ok', pendingMigrations: pending });
      return { status: 'ready', database: 'ok' };
    } catch (error) {
      return reply.code(503).send({ status: 'not_ready', database: isDatabaseUnavailable(error) ? 'unreachable' : 'error' });
    }
  });
  // Browsers ask for /favicon.ico on their own, whatever the page links.
  const favicon = await readFile(path.join(root, 'src/ui/assets', 'favicon.svg'));
  app.get('/favicon.ico', async (_req, reply) => reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(favicon));

  // Every route comes from a module (src/server/modules.ts), each a Fastify plugin with its dependencies.
  installModules(modules);
  for (const m of modules) await app.register(m.plugin, { deps });

  return app;
}

/** How long a page asks the browser to wait when the database is out of reach (Retry-After). */
const DATABASE_RETRY_SECONDS = 10;

const ERROR_KEYS: Record<number, 'http.400' | 'http.403' | 'http.404' | 'http.413' | 'http.429' | 'http.500' | 'http.503'> = {
  403: 'http.403',
  404: 'http.404',
  413: 'http.413',
  429: 'http.429',
  500: 'http.500',
  503: 'http.503',
};

/** A disk full, over quota or read-only: no fault of the request, and no fault a retry in seconds mends. */
const STORAGE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);
const STORAGE_RETRY_SECONDS = 600;
const isStorageUnavailable = (error: FastifyError) => error.code !== undefined && STORAGE_ERRORS.has(error.code);

function errorPage(req: FastifyRequest, status: number, params: Record<string, number> = {}, messageKey?: string): string {
  const key = messageKey ?? ERROR_KEYS[status] ?? (status >= 500 ? 'http.500' : 'http.400');
  const ctx = req.ctx ?? fallbackCtx(req);
  const t = ctx.t;
  return page(
    ctx,
    { title: t(`${key}.title` as MessageKey) },
    html`
<h1>${t(`${key}.title` as MessageKey)}</h1>
<p>${t(`${key}.body` as MessageKey, params)}</p>
<p><a href="/">${t('http.backHome')}</a></p>`,
  );
}

function fallbackCtx(req: FastifyRequest): PageContext {
  return {
    locale: 'it',
    t: translator('it', { istituto: 'INPS', contactCenter: contactCenterText('it') }),
    path: req.url,
    istituto: 'INPS',
    logoUrl: undefined,
    devMailbox: false,
    csrfToken: () => '',
  };
}

export type { FastifyReply };
