import type { FieldErrors } from '../../ui/forms.js';
import { csrfField, errorSummary, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { formatRome } from '../../domain/rome-time.js';
import type { Operator } from '../accesso/service.js';
import { boPage } from '../layout.js';
import { STOP_PATH } from './service.js';
import { alert, headed, titledPage } from '../../ui/fragments.js';

export interface ApprovalRow {
  id: string;
  number: string;
  kind: 'revoca' | 'remote_issue';
  codice_fiscale: string;
  identification: string;
  requested_by: string;
  requester: string;
  requested_at: Date | string;
  state: string;
  not_before: Date | string | null;
  name?: string;
  cellulare?: string;
}

/** F7: the supervisori's list of what waits for a second pair of eyes. */
export function approvalsPage(
  ctx: PageContext,
  op: Operator,
  o: { rows: ApprovalRow[]; delayHours: number; notice?: { kind: 'success' | 'danger'; text: string }; errors: FieldErrors; rejectFor?: string },
): string {
  const { t } = ctx;
  const pending = o.rows.filter((r) => r.state === 'pending');
  const waiting = o.rows.filter((r) => r.state !== 'pending');
  const when = (d: Date | string) => formatRome(new Date(d));
  return boPage(
    ctx,
    t('bo.approvals.title'),
    op,
    headed(
      t('bo.approvals.title'),
      html`<p>${t('bo.approvals.lead', { hours: String(o.delayHours) })}</p>
${o.notice ? alert(o.notice.kind, o.notice.text, { role: o.notice.kind === 'danger' ? 'alert' : 'status', id: 'bo-approval-notice' }) : ''}
${errorSummary(t, o.errors)}
${
  pending.length === 0
    ? html`<p id="bo-approvals-none">${t('bo.approvals.none')}</p>`
    : pending.map(
        (r) => html`<section class="card card-bg mb-4 p-3" aria-labelledby="a-${r.id}" id="approval-${r.number}">
      <h2 class="h5" id="a-${r.id}">${r.number}: ${t(`bo.approvals.kind.${r.kind}`)}</h2>
      <dl class="row mb-2">
        <dt class="col-sm-3">${t('bo.approvals.citizen')}</dt><dd class="col-sm-9">${r.name ? `${r.name} ` : ''}(${r.codice_fiscale})</dd>
        <dt class="col-sm-3">${t('bo.approvals.requestedBy')}</dt><dd class="col-sm-9">${r.requester}, ${when(r.requested_at)}</dd>
        <dt class="col-sm-3">${t('bo.approvals.identification')}</dt><dd class="col-sm-9">${r.identification}</dd>
        ${r.cellulare ? html`<dt class="col-sm-3">${t('field.cellulare')}</dt><dd class="col-sm-9">${t('bo.approvals.firstHalfTo', { to: r.cellulare })}</dd>` : ''}
      </dl>
      ${
        r.requested_by === op.id
          ? html`<p class="mb-0"><strong>${t('bo.approvals.own')}</strong></p>`
          : html`<div class="row g-3">
          <form method="post" action="/backoffice/approvazioni/${r.id}/approva" class="col-md-4">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-success">${t('bo.approvals.approve')}<span class="visually-hidden"> ${r.number}</span></button></form>
          <form method="post" action="/backoffice/approvazioni/${r.id}/respingi" class="col-md-8" novalidate>${csrfField(ctx.csrfToken())}
            <div class="row">${textField({ name: `motivo-${r.number}`, label: t('bo.approvals.reason'), error: o.rejectFor === r.id ? o.errors[`motivo-${r.number}`] : undefined, required: true, maxlength: 300, col: 'col-12' })}</div>
            <button type="submit" class="btn btn-danger">${t('bo.approvals.reject')}<span class="visually-hidden"> ${r.number}</span></button></form>
        </div>`
      }
    </section>`,
      )
}
${
  waiting.length
    ? html`<h2 class="h4">${t('bo.approvals.waiting')}</h2>
    <ul>${waiting.map((r) => html`<li>${r.number}: ${t(`bo.approvals.kind.${r.kind}`)} (${r.codice_fiscale}), ${r.state === 'issuing' ? t('bo.approvals.state.issuing') : t('bo.approvals.notBefore', { date: r.not_before ? when(r.not_before) : '' })}</li>`)}</ul>`
    : ''
}`,
    ),
  );
}

/** F7: the page behind the stop link sent to the contacts on record (a form: a link prefetcher stops nothing). */
export function stopPage(ctx: PageContext, o: { token?: string; outcome?: 'done' | 'invalid' }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('stop.title') },
    html`${
      o.outcome === 'done'
        ? alert('success', t('stop.done'), { id: 'stop-done' })
        : o.outcome === 'invalid' || !o.token
          ? alert('warning', t('stop.invalid'), { role: 'alert', id: 'stop-invalid' })
          : html`<p>${t('stop.lead')}</p>
      <form method="post" action="${STOP_PATH}">${csrfField(ctx.csrfToken())}<input type="hidden" name="t" value="${o.token}">
        <button type="submit" class="btn btn-danger">${t('stop.submit')}</button></form>`
    }`,
  );
}
