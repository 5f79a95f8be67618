import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { OperatorRole } from '../db/schema.js';
import { normalizeCf } from '../domain/codice-fiscale/index.js';
import { formatRome } from '../domain/rome-time.js';
import { liftRipristinoBlock } from '../flows/non-sono-stato-io/service.js';
import { pickFields } from '../ui/validators.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { csrfField } from '../ui/forms.js';
import { html } from '../ui/html.js';
import { page } from '../ui/layout.js';

export const REPORTS_PATH = '/backoffice/segnalazioni';

/**
 * Issue 12 F2: the supervisori's list of "Non sono stato io" reports (each also audited as
 * contact.not_me_reported), newest first, with the citizen's ripristino block; a supervisore
 * lifts the block once the citizen has been identified (by phone or at a sede).
 */
export function backofficeReportsRoutes(app: FastifyInstance, deps: AppDeps, requireOperator: (roles?: readonly OperatorRole[]) => preHandlerAsyncHookHandler): void {
  const guard = { preHandler: requireOperator(['supervisore']) };
  const opCtx = (req: FastifyRequest) => auditContextOf(req, `operator:${req.operator!.username}`, 'backoffice');

  app.get(REPORTS_PATH, guard, async (req, reply) => {
    const { t } = req.ctx;
    const reports = await deps.db
      .selectFrom('not_me_tokens')
      .innerJoin('citizens', 'citizens.id', 'not_me_tokens.citizen_id')
      .select(['not_me_tokens.used_at', 'not_me_tokens.reason', 'citizens.codice_fiscale', 'citizens.cognome', 'citizens.nome', 'citizens.ripristino_blocked_at'])
      .where('not_me_tokens.used_at', 'is not', null)
      .orderBy('not_me_tokens.used_at', 'desc')
      .limit(200)
      .execute();
    return reply.type('text/html').send(page(req.ctx, { title: t('bo.notme.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.notme.title') }] }, html`
<h1>${t('bo.notme.title')}</h1>
<p>${t('bo.notme.lead')}</p>
${reports.length === 0
  ? html`<p id="bo-reports-none">${t('bo.notme.empty')}</p>`
  : html`<div class="table-responsive"><table class="table" id="bo-reports"><thead><tr>
    <th scope="col">${t('bo.notme.reportedAt')}</th><th scope="col">${t('bo.queue.citizen')}</th><th scope="col">${t('bo.notme.reason')}</th><th scope="col">${t('bo.notme.state')}</th>
  </tr></thead><tbody>${reports.map((r) => html`<tr>
    <td>${formatRome(new Date(r.used_at!))}</td>
    <td><a href="/backoffice/cittadino?cf=${r.codice_fiscale}">${r.cognome} ${r.nome} (${r.codice_fiscale})</a></td>
    <td>${t(`bo.notme.reason.${r.reason}`)}</td>
    <td>${r.ripristino_blocked_at
      ? html`${t('bo.notme.blocked')} <form method="post" action="${REPORTS_PATH}/sblocca" class="d-inline">${csrfField(req.ctx.csrfToken())}<input type="hidden" name="cf" value="${r.codice_fiscale}"><button type="submit" class="btn btn-sm btn-outline-primary">${t('bo.notme.lift')}<span class="visually-hidden"> ${r.codice_fiscale}</span></button></form>`
      : t('bo.notme.lifted')}</td>
  </tr>`)}</tbody></table></div>`}`));
  });

  app.post(`${REPORTS_PATH}/sblocca`, guard, async (req, reply) => {
    const cf = normalizeCf(pickFields(req.body, ['cf']).cf ?? '').slice(0, 16);
    const citizen = cf ? await deps.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', cf).executeTakeFirst() : undefined;
    if (!citizen) return reply.callNotFound();
    await liftRipristinoBlock(deps.db, citizen.id, opCtx(req));
    return reply.redirect(REPORTS_PATH, 303);
  });
}
