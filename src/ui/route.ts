import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import type { AuditContext } from '../audit/events.js';
import type { Session, SessionCitizen } from '../sessions/store.js';
import { auditContextOf } from './audit-context.js';
import { titledPage } from './fragments.js';
import type { SafeHtml } from './html.js';
import type { PageContext, PageOptions } from './layout.js';

/** What a handler behind `requireSession` is given: never null. */
export interface CitizenRequest {
  session: Session;
  citizen: SessionCitizen;
  /** The audit context of the citizen (R11), with the CF the services audit under. */
  audit: AuditContext & { cf: string };
}

/** A programming error: a route wrapped for a citizen without the guard that sets one. */
export class MissingGuardError extends Error {
  constructor(what: string, url: string) {
    super(`${what} route ${url} has no guard: add its preHandler`);
  }
}

/**
 * The handler of a route guarded by `requireSession` (src/ui/guard.ts), given the session and the
 * citizen it set: `app.get('/x', { preHandler: requireSession(deps) }, citizenHandler(async (req, reply, { citizen }) => …))`.
 */
export function citizenHandler<R extends RouteGenericInterface = RouteGenericInterface>(
  handler: (req: FastifyRequest<R>, reply: FastifyReply, who: CitizenRequest) => Promise<unknown>,
): (req: FastifyRequest<R>, reply: FastifyReply) => Promise<unknown> {
  return async (req, reply) => handler(req, reply, citizenOf(req));
}

/** The session and citizen `requireSession` set on this request. */
export function citizenOf(req: FastifyRequest<RouteGenericInterface>): CitizenRequest {
  const { session, citizen } = req;
  if (!session || !citizen) throw new MissingGuardError('citizen', req.url);
  const cf = citizen.codiceFiscale;
  return { session, citizen, audit: { ...auditContextOf(req, `citizen:${cf}`), cf } };
}

/** Answers with a page whose body opens with its h1 (`titledPage`). */
export function sendTitledPage(reply: FastifyReply, ctx: PageContext, o: PageOptions & { heading?: string }, body: SafeHtml): FastifyReply {
  return reply.type('text/html').send(titledPage(ctx, o, body));
}

/** One query-string value as a string (the first when repeated), or undefined. */
export function queryValue(req: FastifyRequest<RouteGenericInterface>, name: string): string | undefined {
  return firstString(fieldOf(req.query, name));
}

/** One field of a posted form as a string (the first when repeated), or undefined. */
export function bodyValue(req: FastifyRequest<RouteGenericInterface>, name: string): string | undefined {
  return firstString(fieldOf(req.body, name));
}

/** Every value of a posted form field given as strings (checkboxes of one name), in order; [] when absent. */
export function bodyValues(req: FastifyRequest<RouteGenericInterface>, name: string): string[] {
  return [fieldOf(req.body, name)].flat().filter((v): v is string => typeof v === 'string');
}

/** A path parameter (always a string in Fastify's router; '' when the route has none of that name). */
export function paramValue(req: FastifyRequest<RouteGenericInterface>, name: string): string {
  return firstString(fieldOf(req.params, name)) ?? '';
}

function fieldOf(source: unknown, name: string): unknown {
  return source !== null && typeof source === 'object' && Object.hasOwn(source, name) ? Reflect.get(source, name) : undefined;
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}
