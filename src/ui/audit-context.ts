import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/events.js';

/** Who did it, from where, with what: the audit context of an HTTP request (R11). */
export function auditContextOf(req: FastifyRequest, actor = 'anonymous', channel = 'web'): AuditContext {
  return { actor, ip: req.ip, channel, userAgent: req.headers['user-agent'] ?? null };
}
