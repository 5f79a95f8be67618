import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { OperatorRole } from '../db/schema.js';
import { formatRome } from '../domain/rome-time.js';
import { pickFields } from '../ui/validators.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { type ApprovalDeps, STOP_PATH, decideApproval, findStoppable, openApprovals, stopRemoteIssue } from './approvals.js';
import { approvalsPage, stopPage } from './views.js';

export function approvalDepsOf(deps: AppDeps): ApprovalDeps {
  return { db: deps.db, box: deps.box, hasher: deps.hasher, now: deps.now, publicUrl: deps.config.publicUrl, remoteIssueDelayHours: deps.config.remoteIssueDelayHours, semplificatoOpen: deps.semplificatoOpen, residence: deps.residence };
}

/**
 * F7: the supervisori's pending-approvals list and decisions, and the citizen's stop link.
 * Four eyes: the approver is never the requester (refused and audited).
 */
export function backofficeApprovazioniRoutes(app: FastifyInstance, deps: AppDeps, requireOperator: (roles?: readonly OperatorRole[]) => preHandlerAsyncHookHandler): void {
  const guard = { preHandler: requireOperator(['supervisore']) };
  const svc = approvalDepsOf(deps);
  const opCtx = (req: FastifyRequest) => auditContextOf(req, `operator:${req.operator!.username}`, 'backoffice');
  const validId = (id: string) => /^[0-9a-f-]{36}$/.test(id);

  async function list(req: FastifyRequest, o: Omit<Parameters<typeof approvalsPage>[2], 'rows' | 'delayHours'>) {
    return approvalsPage(req.ctx, req.operator!, { rows: await openApprovals(svc), delayHours: deps.config.remoteIssueDelayHours, ...o });
  }

  app.get('/backoffice/approvazioni', guard, async (req, reply) => {
    const { t } = req.ctx;
    const q = req.query as Record<string, unknown>;
    const number = typeof q.n === 'string' ? q.n.slice(0, 20) : '';
    const date = typeof q.d === 'string' && /^\d{13}$/.test(q.d) ? formatRome(new Date(Number(q.d))) : '';
    const notice =
      q.esito === 'revoca' ? { kind: 'success' as const, text: t('bo.approvals.done.revoca', { number }) }
      : q.esito === 'remote_issue' ? { kind: 'success' as const, text: t('bo.approvals.done.remote_issue', { number, date }) }
      : q.esito === 'respinta' ? { kind: 'success' as const, text: t('bo.approvals.rejected', { number }) }
      : q.esito === 'stessa' ? { kind: 'danger' as const, text: t('bo.approvals.same') }
      : q.esito === 'nonpendente' ? { kind: 'danger' as const, text: t('bo.approvals.notPending') }
      : undefined;
    return reply.type('text/html').send(await list(req, { notice, errors: {} }));
  });

  app.post('/backoffice/approvazioni/:id/approva', guard, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!validId(id)) return reply.callNotFound();
    const done = await decideApproval(svc, id, req.operator!, { approve: true }, opCtx(req));
    if (!done.ok) return reply.redirect(`/backoffice/approvazioni?esito=${done.reason === 'same_operator' ? 'stessa' : 'nonpendente'}`, 303);
    return reply.redirect(`/backoffice/approvazioni?esito=${done.kind}&n=${encodeURIComponent(done.number)}${done.notBefore ? `&d=${done.notBefore.getTime()}` : ''}`, 303);
  });

  app.post('/backoffice/approvazioni/:id/respingi', guard, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!validId(id)) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const field = Object.keys(body).find((k) => /^motivo-APP-[0-9A-F]{12}$/.test(k));
    const reason = typeof body[field ?? ''] === 'string' ? String(body[field!]).trim().slice(0, 300) : '';
    if (!reason || /[\u0000-\u001f\ufffd]/.test(reason)) {
      const row = await deps.db.selectFrom('operator_approvals').select('number').where('id', '=', id).executeTakeFirst();
      if (!row) return reply.callNotFound();
      return reply.code(422).type('text/html').send(await list(req, { errors: { [`motivo-${row.number}`]: req.ctx.t('error.bo.approvalReason') }, rejectFor: id }));
    }
    const done = await decideApproval(svc, id, req.operator!, { approve: false, reason }, opCtx(req));
    if (!done.ok) return reply.redirect(`/backoffice/approvazioni?esito=${done.reason === 'same_operator' ? 'stessa' : 'nonpendente'}`, 303);
    return reply.redirect(`/backoffice/approvazioni?esito=respinta&n=${encodeURIComponent(done.number)}`, 303);
  });

  // The citizen's side: the link in the notice opens a page; only its form stops the issuance.
  const limited = { preHandler: deps.rateLimitHook('emissione-remota') };
  const tokenOf = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');

  app.get(STOP_PATH, limited, async (req, reply) => {
    const token = tokenOf((req.query as Record<string, unknown>).t);
    const found = await findStoppable(svc, token);
    return reply.header('referrer-policy', 'no-referrer').type('text/html').send(stopPage(req.ctx, found ? { token } : { outcome: 'invalid' }));
  });

  app.post(STOP_PATH, limited, async (req, reply) => {
    const token = tokenOf(pickFields(req.body, ['t']).t);
    const stopped = await stopRemoteIssue(svc, token, auditContextOf(req, 'anonymous', 'web'));
    return reply.code(stopped ? 200 : 410).type('text/html').send(stopPage(req.ctx, { outcome: stopped ? 'done' : 'invalid' }));
  });
}
