import type { FastifyReply, FastifyRequest, RouteGenericInterface, preHandlerAsyncHookHandler } from 'fastify';
import type { AuditContext } from '../../audit/events.js';
import type { OperatorRole } from '../../db/schema.js';
import { auditContextOf } from '../../ui/audit-context.js';
import type { AppDeps } from '../../ui/deps.js';
import { html } from '../../ui/html.js';
import { page } from '../../ui/layout.js';
import { MissingGuardError } from '../../ui/route.js';
import { approvalDepsOf, issueDueRemoteIssues } from '../approvazioni/service.js';
import { type Operator, loadOperatorSession } from './service.js';

export const OPERATOR_COOKIE = 'varco_operator';
/** Who may review online conversions (R15) and COVID-19 applications (R21). */
export const REVIEWERS: readonly OperatorRole[] = ['sede', 'supervisore'];

export type SessionOperator = Operator & { sessionHash: string };

declare module 'fastify' {
  interface FastifyRequest {
    operator?: SessionOperator;
  }
}

/**
 * The guard of every back-office page: a live operator session (else the login page), no-store,
 * the due remote issuances (F7), and the roles the route names (else 403).
 */
export function requireOperator(deps: AppDeps, roles?: readonly OperatorRole[]): preHandlerAsyncHookHandler {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const op = await loadOperatorSession(deps.db, req.cookies[OPERATOR_COOKIE], deps.now());
    if (!op) return reply.redirect('/backoffice/accedi', 303);
    req.operator = op;
    reply.header('cache-control', 'no-store');
    // F7: an approved remote issuance whose delay has passed goes out at the next back-office action too.
    await issueDueRemoteIssues(approvalDepsOf(deps), 'system:backoffice').catch((err: unknown) => req.log.error({ err }, 'remote issuance failed'));
    if (roles && !roles.includes(op.role)) {
      return reply
        .code(403)
        .type('text/html')
        .send(
          page(
            req.ctx,
            { title: req.ctx.t('bo.forbidden') },
            html`<h1>${req.ctx.t('bo.forbidden')}</h1><p><a href="/backoffice">${req.ctx.t('bo.title')}</a></p>`,
          ),
        );
    }
  };
}

/** What a handler behind `requireOperator` is given: never null. */
export interface OperatorRequest {
  operator: SessionOperator;
  /** The audit context of the operator (R11): `operator:<username>` on the back-office channel. */
  audit: AuditContext;
}

/**
 * The handler of a route guarded by `requireOperator`, given the operator it set:
 * `app.get('/backoffice/x', { preHandler: requireOperator(deps) }, operatorHandler(async (req, reply, { operator, audit }) => …))`.
 */
export function operatorHandler<R extends RouteGenericInterface = RouteGenericInterface>(
  handler: (req: FastifyRequest<R>, reply: FastifyReply, who: OperatorRequest) => Promise<unknown>,
): (req: FastifyRequest<R>, reply: FastifyReply) => Promise<unknown> {
  return async (req, reply) => handler(req, reply, operatorOf(req));
}

/** The operator `requireOperator` set on this request. */
export function operatorOf(req: FastifyRequest<RouteGenericInterface>): OperatorRequest {
  const { operator } = req;
  if (!operator) throw new MissingGuardError('operator', req.url);
  return { operator, audit: auditContextOf(req, `operator:${operator.username}`, 'backoffice') };
}

/** An id in a back-office path (a UUID's characters): anything else is no row at all. */
export const isRowId = (id: string): boolean => /^[0-9a-f-]{36}$/.test(id);

/** A back-office path naming one record (`/backoffice/…/:id`). */
export type IdRoute = { Params: { id: string } };

/**
 * The handler of a route on one record, guarded by `requireOperator`: `load` finds the record by
 * the id of the path, undefined for an id of the wrong form or no such record (404).
 */
export function recordHandler<T>(
  load: (id: string) => Promise<T | undefined> | T | undefined,
  handler: (req: FastifyRequest<IdRoute>, reply: FastifyReply, record: T, who: OperatorRequest) => Promise<unknown>,
): (req: FastifyRequest<IdRoute>, reply: FastifyReply) => Promise<unknown> {
  return operatorHandler<IdRoute>(async (req, reply, who) => {
    const record = await load(req.params.id);
    if (record === undefined) return reply.callNotFound();
    return handler(req, reply, record, who);
  });
}

/** The `load` of a record whose service finds the row: the id itself, when it has the form `valid` checks. */
export const idIf =
  (valid: (id: string) => boolean) =>
  (id: string): string | undefined =>
    valid(id) ? id : undefined;
