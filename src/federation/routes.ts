import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit } from '../audit/events.js';
import { type PendingLogin, type FederationRp, printable } from './rp.js';
import { safeReturnPath } from '../ui/guard.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { definePersistedFlow } from '../ui/flow.js';
import { paramValue, queryValue } from '../ui/route.js';
import { openFederatedSession } from './session.js';
import { federatedErrorPage } from './views.js';
import { TrustError } from './trust/statements.js';

/** What the callback must find again: the provider asked, and the state, nonce and PKCE verifier sent to it. */
const pendingLoginSchema = z.object({
  kind: z.enum(['spid', 'cie']),
  issuer: z.string(),
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  ritorno: z.string().optional(),
}) satisfies z.ZodType<PendingLogin>;

/**
 * The SPID and CIE entrances of /accedi (R17): the chosen provider's authorization request,
 * and its answer. The state, nonce and PKCE verifier wait in a server-side flow whose id is in
 * a cookie of this browser: an answer that does not match the browser that asked is refused.
 */
export function federationRoutes(app: FastifyInstance, deps: AppDeps, rp: FederationRp): void {
  const limited = { preHandler: deps.rateLimitHook('federata') };
  const pendingFlow = definePersistedFlow(deps, {
    kind: 'federata',
    cookie: 'varco_federata',
    cookiePath: '/accedi/federata',
    states: ['started', 'used'],
    data: pendingLoginSchema,
  });

  const start = async (req: FastifyRequest, reply: FastifyReply, providerId: string | undefined, kind: 'spid' | 'cie') => {
    const p = providerId ? await rp.directory.find(providerId) : (await rp.directory.entries()).find((x) => x.kind === kind);
    if (!p || p.kind !== kind) return reply.callNotFound();
    const ritorno = safeReturnPath(queryValue(req, 'ritorno'));
    let started: { url: string; pending: PendingLogin };
    try {
      started = await rp.start(p, req.ctx.locale, ritorno);
    } catch (e) {
      // A provider whose trust chain fails now (expired, revoked, its trust mark withdrawn) is refused, and the refusal audited.
      if (e instanceof TrustError) {
        req.log.warn({ provider: p.issuer, reason: e.reason, err: printable(e.message) }, 'identity provider refused: trust chain');
        await audit.federatedLoginRefused(deps.db, auditContextOf(req), null, {
          method: p.kind,
          provider: p.id,
          issuer: p.issuer,
          reason: printable(`trust_chain: ${e.reason}: ${e.message}`),
        });
        return reply
          .code(e.reason === 'unreachable' ? 502 : 403)
          .type('text/html')
          .send(federatedErrorPage(req.ctx, kind, 'trust'));
      }
      req.log.warn({ provider: p.id, err: messageOf(e) }, 'identity provider unreachable');
      return reply
        .code(502)
        .type('text/html')
        .send(federatedErrorPage(req.ctx, kind, 'unreachable'));
    }
    // SameSite=Lax (the default of deps.cookieOptions): the provider's answer is a cross-site navigation.
    await pendingFlow.start(reply, 'started', started.pending);
    return reply.header('cache-control', 'no-store').redirect(started.url, 303);
  };

  app.get('/accedi/spid/:idp', limited, async (req, reply) => start(req, reply, paramValue(req, 'idp'), 'spid'));
  app.get('/accedi/cie', limited, async (req, reply) => start(req, reply, undefined, 'cie'));

  app.get('/accedi/federata/ritorno', limited, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const loaded = await pendingFlow.load(req, ['started']);
    pendingFlow.clear(reply);
    if (loaded.status !== 'ok')
      return reply
        .code(400)
        .type('text/html')
        .send(federatedErrorPage(req.ctx, 'spid', 'expired'));
    // One answer per request: the flow is spent before the code is exchanged, by one request only.
    if (!(await pendingFlow.advance(loaded.flow, 'used')))
      return reply
        .code(400)
        .type('text/html')
        .send(federatedErrorPage(req.ctx, 'spid', 'expired'));
    const pending = loaded.flow.data;
    const p = await rp.directory.findByIssuer(pending.kind, pending.issuer);
    if (!p)
      return reply
        .code(400)
        .type('text/html')
        .send(federatedErrorPage(req.ctx, 'spid', 'expired'));
    const result = await rp.callback(p, pending, new URL(req.url, `${deps.config.publicUrl}/`));
    if (!result.ok) {
      await audit.federatedLoginRefused(deps.db, auditContextOf(req), null, {
        method: p.kind,
        provider: p.id,
        issuer: p.issuer,
        reason: result.detail ? `${result.reason}: ${result.detail}` : result.reason,
      });
      return reply
        .code(result.reason === 'unreachable' ? 502 : result.reason === 'trust' ? 403 : 401)
        .type('text/html')
        .send(federatedErrorPage(req.ctx, p.kind, result.reason));
    }
    try {
      return await openFederatedSession(deps, req, reply, {
        method: p.kind,
        provider: p.id,
        issuer: p.issuer,
        subject: result.subject,
        identity: result.identity,
        ritorno: pending.ritorno,
      });
    } catch (e) {
      // What the provider stated could not be stored (a name the registry refuses): a refusal, not a 500.
      req.log.warn({ provider: p.id, err: messageOf(e) }, 'federated identity refused');
      await audit.federatedLoginRefused(deps.db, auditContextOf(req), null, {
        method: p.kind,
        provider: p.id,
        issuer: p.issuer,
        reason: 'invalid: identity not storable',
      });
      return reply
        .code(401)
        .type('text/html')
        .send(federatedErrorPage(req.ctx, p.kind, 'invalid'));
    }
  });

  // Varco's relying-party keys, and its entity configuration (OpenID Federation): what a SPID/CIE
  // provider reads to register Varco.
  app.get('/federazione/jwks.json', async (_req, reply) => reply.header('cache-control', 'max-age=300').send(await rp.publishedJwks()));
  app.get('/.well-known/openid-federation', async (_req, reply) =>
    reply
      .type('application/entity-statement+jwt')
      .header('cache-control', 'max-age=300')
      .send(await rp.entityConfiguration()),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
