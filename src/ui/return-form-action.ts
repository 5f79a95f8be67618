import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { safeReturnPath } from './guard.js';
import type { AppDeps } from './deps.js';
import { contentSecurityPolicy } from '../security/headers.js';

/**
 * For a page whose form goes on to `ritorno` (login, the PIN change due at login): when that is
 * a relying party's pending request, the form's answer ends at the relying party through
 * same-site redirects, so the page's form-action names the origins registered for that client.
 * The origins come from the interaction store and the client registry, never from the request.
 */
export function returnFormAction(deps: AppDeps): preHandlerAsyncHookHandler {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!deps.returnTargets) return;
    const source: unknown = req.method === 'POST' ? req.body : req.query;
    const ritorno = safeReturnPath(source !== null && typeof source === 'object' ? Reflect.get(source, 'ritorno') : undefined);
    if (!ritorno) return;
    const origins = await deps.returnTargets(ritorno);
    if (origins.length) reply.header('content-security-policy', contentSecurityPolicy({ formAction: origins }));
  };
}
