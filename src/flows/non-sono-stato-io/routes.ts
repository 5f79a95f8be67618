import type { FastifyInstance } from 'fastify';
import { auditContextOf } from '../../ui/audit-context.js';
import type { AppDeps } from '../../ui/deps.js';
import { queryValue } from '../../ui/route.js';
import { pickFields } from '../../ui/validators.js';
import { NOT_ME_PATH, findNotMeToken, reportNotMe } from './service.js';
import { notMePage } from './views.js';

/** Issue 12 F2: the "Non sono stato io" link sent to a replaced contact or with a ripristino. */
export function notMeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const limited = { preHandler: deps.rateLimitHook('non-sono-stato-io') };
  const svc = { db: deps.db, box: deps.box, now: deps.now, publicUrl: deps.config.publicUrl, notMeLinkDays: deps.config.contactSecurity.notMeLinkDays };

  app.get(NOT_ME_PATH, limited, async (req, reply) => {
    const token = queryValue(req, 't') ?? '';
    const found = await findNotMeToken(svc, token);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return reply.type('text/html').send(notMePage(req.ctx, found ? { token } : { invalid: true }));
  });

  app.post(NOT_ME_PATH, limited, async (req, reply) => {
    const token = pickFields(req.body, ['t']).t ?? '';
    const done = await reportNotMe(svc, token, auditContextOf(req));
    return reply
      .code(done.ok ? 200 : 422)
      .type('text/html')
      .send(notMePage(req.ctx, done.ok ? { done: true } : { invalid: true }));
  });
}
