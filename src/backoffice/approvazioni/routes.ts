import type { FastifyInstance } from 'fastify';
import { formatRome } from '../../domain/rome-time.js';
import { pickFields } from '../../ui/validators.js';
import { auditContextOf } from '../../ui/audit-context.js';
import type { AppDeps } from '../../ui/deps.js';
import type { PageContext } from '../../ui/layout.js';
import { queryValue } from '../../ui/route.js';
import { type IdRoute, type SessionOperator, idIf, isRowId, operatorHandler, recordHandler, requireOperator } from '../accesso/guard.js';
import { STOP_PATH, approvalDepsOf, approvalNumber, decideApproval, findStoppable, openApprovals, stopRemoteIssue } from './service.js';
import { approvalsPage, stopPage } from './views.js';

/** The reason typed in the rejection field of one request (`motivo-APP-…`), trimmed. */
function reasonOf(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  const entry = Object.entries(body).find(([k]) => /^motivo-APP-[0-9A-F]{12}$/.test(k));
  return typeof entry?.[1] === 'string' ? entry[1].trim().slice(0, 300) : '';
}

/**
 * F7: the supervisori's pending-approvals list and decisions, and the citizen's stop link.
 * Four eyes: the approver is never the requester (refused and audited).
 */
export function backofficeApprovazioniRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps, ['supervisore']) };
  const svc = approvalDepsOf(deps);

  async function list(ctx: PageContext, operator: SessionOperator, o: Omit<Parameters<typeof approvalsPage>[2], 'rows' | 'delayHours'>) {
    return approvalsPage(ctx, operator, { rows: await openApprovals(svc), delayHours: deps.config.remoteIssueDelayHours, ...o });
  }

  app.get(
    '/backoffice/approvazioni',
    guard,
    operatorHandler(async (req, reply, { operator }) => {
      const { t } = req.ctx;
      const esito = queryValue(req, 'esito');
      const n = queryValue(req, 'n');
      const d = queryValue(req, 'd');
      const number = n !== undefined ? n.slice(0, 20) : '';
      const date = d !== undefined && /^\d{13}$/.test(d) ? formatRome(new Date(Number(d))) : '';
      const notice =
        esito === 'revoca'
          ? { kind: 'success' as const, text: t('bo.approvals.done.revoca', { number }) }
          : esito === 'remote_issue'
            ? { kind: 'success' as const, text: t('bo.approvals.done.remote_issue', { number, date }) }
            : esito === 'respinta'
              ? { kind: 'success' as const, text: t('bo.approvals.rejected', { number }) }
              : esito === 'stessa'
                ? { kind: 'danger' as const, text: t('bo.approvals.same') }
                : esito === 'nonpendente'
                  ? { kind: 'danger' as const, text: t('bo.approvals.notPending') }
                  : undefined;
      return reply.type('text/html').send(await list(req.ctx, operator, { notice, errors: {} }));
    }),
  );

  app.post<IdRoute>(
    '/backoffice/approvazioni/:id/approva',
    guard,
    recordHandler(idIf(isRowId), async (req, reply, id, { operator, audit }) => {
      const done = await decideApproval(svc, id, operator, { approve: true }, audit);
      if (!done.ok) return reply.redirect(`/backoffice/approvazioni?esito=${done.reason === 'same_operator' ? 'stessa' : 'nonpendente'}`, 303);
      return reply.redirect(
        `/backoffice/approvazioni?esito=${done.kind}&n=${encodeURIComponent(done.number)}${done.notBefore ? `&d=${done.notBefore.getTime()}` : ''}`,
        303,
      );
    }),
  );

  app.post<IdRoute>(
    '/backoffice/approvazioni/:id/respingi',
    guard,
    recordHandler(idIf(isRowId), async (req, reply, id, { operator, audit }) => {
      const reason = reasonOf(req.body);
      // eslint-disable-next-line no-control-regex -- a reason holding a control character (NUL among them) or bad UTF-8 is refused
      if (!reason || /[\u0000-\u001f\ufffd]/.test(reason)) {
        const number = await approvalNumber(deps.db, id);
        if (!number) return reply.callNotFound();
        return reply
          .code(422)
          .type('text/html')
          .send(await list(req.ctx, operator, { errors: { [`motivo-${number}`]: req.ctx.t('error.bo.approvalReason') }, rejectFor: id }));
      }
      const done = await decideApproval(svc, id, operator, { approve: false, reason }, audit);
      if (!done.ok) return reply.redirect(`/backoffice/approvazioni?esito=${done.reason === 'same_operator' ? 'stessa' : 'nonpendente'}`, 303);
      return reply.redirect(`/backoffice/approvazioni?esito=respinta&n=${encodeURIComponent(done.number)}`, 303);
    }),
  );

  // The citizen's side: the link in the notice opens a page; only its form stops the issuance.
  const limited = { preHandler: deps.rateLimitHook('emissione-remota') };
  const tokenOf = (v: string | undefined) => (v ?? '').slice(0, 100);

  app.get(STOP_PATH, limited, async (req, reply) => {
    const token = tokenOf(queryValue(req, 't'));
    const found = await findStoppable(svc, token);
    return reply
      .header('referrer-policy', 'no-referrer')
      .type('text/html')
      .send(stopPage(req.ctx, found ? { token } : { outcome: 'invalid' }));
  });

  app.post(STOP_PATH, limited, async (req, reply) => {
    const token = tokenOf(pickFields(req.body, ['t']).t);
    const stopped = await stopRemoteIssue(svc, token, auditContextOf(req, 'anonymous', 'web'));
    return reply
      .code(stopped ? 200 : 410)
      .type('text/html')
      .send(stopPage(req.ctx, { outcome: stopped ? 'done' : 'invalid' }));
  });
}
