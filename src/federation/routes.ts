import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../audit/events.js';
import { type PendingLogin, type FederationRp } from './rp.js';
import { safeReturnPath } from '../ui/guard.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { openFederatedSession } from './session.js';
import { federatedErrorPage } from './views.js';

const PENDING_COOKIE = 'varco_federata';
const FLOW_KIND = 'federata';

/**
 * The SPID and CIE entrances of /accedi (R17): the chosen provider's authorization request,
 * and its answer. The state, nonce and PKCE verifier wait in a server-side flow whose id is in
 * a cookie of this browser: an answer that does not match the browser that asked is refused.
 */
export function federationRoutes(app: FastifyInstance, deps: AppDeps, rp: FederationRp): void {
  const limited = { preHandler: deps.rateLimitHook('federata') };

  const start = async (req: FastifyRequest, reply: FastifyReply, providerId: string | undefined, kind: 'spid' | 'cie') => {
    const p = providerId ? rp.find(providerId) : rp.providers.find((x) => x.kind === kind);
    if (!p || p.kind !== kind) return reply.callNotFound();
    const ritorno = safeReturnPath((req.query as Record<string, unknown>).ritorno);
    let started: { url: string; pending: PendingLogin };
    try {
      started = await rp.start(p, req.ctx.locale, ritorno);
    } catch (e) {
      req.log.warn({ provider: p.id, err: (e as Error).message }, 'identity provider unreachable');
      return reply.code(502).type('text/html').send(federatedErrorPage(req.ctx, kind, 'unreachable'));
    }
    const { id } = await deps.flows.create(FLOW_KIND, 'started', started.pending);
    reply.setCookie(PENDING_COOKIE, id, deps.cookieOptions({ sameSite: 'lax', path: '/accedi/federata' }));
    return reply.header('cache-control', 'no-store').redirect(started.url, 303);
  };

  app.get('/accedi/spid/:idp', limited, async (req, reply) => start(req, reply, (req.params as { idp: string }).idp, 'spid'));
  app.get('/accedi/cie', limited, async (req, reply) => start(req, reply, undefined, 'cie'));

  app.get('/accedi/federata/ritorno', limited, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const loaded = await deps.flows.load<'started' | 'used', PendingLogin>(FLOW_KIND, req.cookies[PENDING_COOKIE]);
    reply.clearCookie(PENDING_COOKIE, { path: '/accedi/federata' });
    if (loaded.status !== 'ok' || loaded.flow.state !== 'started') return reply.code(400).type('text/html').send(federatedErrorPage(req.ctx, 'spid', 'expired'));
    // One answer per request: the flow is spent before the code is exchanged, by one request only.
    if (!(await deps.flows.advance(loaded.flow, 'used'))) return reply.code(400).type('text/html').send(federatedErrorPage(req.ctx, 'spid', 'expired'));
    const pending = loaded.flow.data;
    const p = rp.find(pending.provider);
    if (!p) return reply.code(400).type('text/html').send(federatedErrorPage(req.ctx, 'spid', 'expired'));
    const result = await rp.callback(p, pending, new URL(req.url, `${deps.config.publicUrl}/`));
    if (!result.ok) {
      await audit.federatedLoginRefused(deps.db, auditContextOf(req), null, { method: p.kind, provider: p.id, reason: result.detail ? `${result.reason}: ${result.detail}` : result.reason });
      return reply.code(result.reason === 'unreachable' ? 502 : 401).type('text/html').send(federatedErrorPage(req.ctx, p.kind, result.reason));
    }
    try {
      return await openFederatedSession(deps, req, reply, { method: p.kind, provider: p.id, identity: result.identity, ritorno: pending.ritorno });
    } catch (e) {
      // What the provider stated could not be stored (a name the registry refuses): a refusal, not a 500.
      req.log.warn({ provider: p.id, err: (e as Error).message }, 'federated identity refused');
      await audit.federatedLoginRefused(deps.db, auditContextOf(req), null, { method: p.kind, provider: p.id, reason: 'invalid: identity not storable' });
      return reply.code(401).type('text/html').send(federatedErrorPage(req.ctx, p.kind, 'invalid'));
    }
  });

  // Varco's relying-party keys, and its entity configuration (OpenID Federation): what a SPID/CIE
  // provider reads to register Varco.
  app.get('/federazione/jwks.json', async (_req, reply) => reply.header('cache-control', 'max-age=300').send(await rp.publicJwks()));
  app.get('/.well-known/openid-federation', async (_req, reply) =>
    reply.type('application/entity-statement+jwt').header('cache-control', 'max-age=300').send(await rp.entityConfiguration(deps.config.istituto.name)));
}
