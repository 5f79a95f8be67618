import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/events.js';

/** Who did it, from where, with what: the audit context of an HTTP request (R11). */
export function auditContextOf(req: FastifyRequest, actor = 'anonymous', channel = 'web'): AuditContext {
  return { actor, ip: req.ip, channel, userAgent: req.headers['user-agent'] ?? null };
}

/** The same for the logged-in citizen of the request, with the CF the services audit under. */
export function citizenAuditContextOf(req: FastifyRequest): AuditContext & { cf: string } {
  // Set by requireSession (src/ui/guard.ts); route handlers get the same from citizenHandler (src/ui/route.ts).
  const cf = req.citizen?.codiceFiscale;
  if (cf === undefined) throw new Error(`citizen route ${req.url} has no guard: add its preHandler`);
  return { ...auditContextOf(req, `citizen:${cf}`), cf };
}
