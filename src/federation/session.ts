import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../audit/events.js';
import { startSession } from '../ui/guard.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { citizenForIdentity, type FederatedIdentity } from './citizens.js';

/**
 * A login with SPID, CIE (level 2 or higher) or CNS: the citizen found or registered by codice
 * fiscale gets a new session of level dispositivo (R17, R18), with no PIN behind it. Any session
 * the browser had is ended, as at every login (R10).
 */
export async function openFederatedSession(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  o: {
    method: 'spid' | 'cie' | 'cns';
    /** The provider's id (SPID/CIE) or the card issuer's name (CNS). */
    provider: string;
    /** SPID/CIE: the provider's issuer and the subject it gave: the session and the audit record name them. */
    issuer?: string;
    subject?: string;
    identity: FederatedIdentity;
    ritorno: string | undefined;
  },
): Promise<FastifyReply> {
  const { citizenId, created } = await citizenForIdentity(deps.db, o.identity, o.method);
  await startSession(deps, req, reply, {
    citizenId,
    credentialId: null,
    authMethod: o.method,
    authProvider: o.issuer ?? o.provider,
    level: 'dispositivo',
    mustChangePin: null,
  });
  const cf = o.identity.codiceFiscale;
  await audit.federatedLoginSucceeded(deps.db, auditContextOf(req, `citizen:${cf}`), cf, {
    level: 'dispositivo',
    method: o.method,
    provider: o.provider,
    ...(o.issuer ? { issuer: o.issuer } : {}),
    ...(o.subject ? { subject: o.subject } : {}),
    newCitizen: created,
  });
  return reply.redirect(o.ritorno ?? '/bacheca', 303);
}
