import { isLoopbackUrl } from '../../config/identity-providers.js';
import { TrustError, type TrustFailure } from './statements.js';

const MAX_BODY_BYTES = 100_000;

/**
 * A GET to a federation endpoint (an entity configuration, a fetch or a list endpoint): over
 * https only (plain http to the loopback when allowed), no redirects, bounded in time and size.
 * A failure is a TrustError 'unreachable' (or 'malformed' for a body too large).
 */
export async function federationGet(url: string, o: { accept: string; allowHttp?: boolean; timeoutMs?: number; notFound?: TrustFailure }): Promise<string> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && !(o.allowHttp && target.protocol === 'http:' && isLoopbackUrl(target)))
    throw new TrustError('unreachable', `${url}: federation entities are reached over https only`);
  let res: Response;
  try {
    res = await fetch(target, { headers: { accept: o.accept }, redirect: 'error', signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
  } catch (error) {
    throw new TrustError('unreachable', `${url}: ${error instanceof Error ? error.message : 'no answer'}`);
  }
  const body = await res.text();
  // A fetch endpoint answers 404 for an entity that is not (or no longer) its subordinate.
  if (res.status === 404 && o.notFound) throw new TrustError(o.notFound, `${url}: not found`);
  if (res.status !== 200) throw new TrustError('unreachable', `${url} answered ${res.status}`);
  if (body.length > MAX_BODY_BYTES) throw new TrustError('malformed', `${url}: answer too large`);
  return body.trim();
}

/** Where an entity publishes its configuration (OpenID Federation 1.0, section 9). */
export const configurationUrl = (entityId: string): string => `${entityId.replace(/\/$/, '')}/.well-known/openid-federation`;
