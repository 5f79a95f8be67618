import type { FieldErrors } from '../../ui/forms.js';
import { errorSummary, csrfField, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { formatRomeMinutes } from '../../domain/rome-time.js';
import { boPage } from '../layout.js';
import type { Operator } from './service.js';
import { alert, headed } from '../../ui/fragments.js';

export function loginPage(ctx: PageContext, o: { username?: string; error?: string; errors?: FieldErrors }): string {
  const { t } = ctx;
  return boPage(
    ctx,
    t('bo.login.title'),
    undefined,
    headed(
      t('bo.login.title'),
      html`${o.error ? alert('danger', o.error, { role: 'alert', id: 'bo-login-error' }) : ''}
${errorSummary(t, o.errors ?? {})}
<form method="post" action="/backoffice/accedi" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${textField({ name: 'username', label: t('bo.username'), value: o.username, error: o.errors?.username, required: true, maxlength: 64, autocomplete: 'username' })}</div>
  <div class="row">${textField({ name: 'password', label: t('bo.password'), type: 'password', error: o.errors?.password, required: true, maxlength: 200, autocomplete: 'current-password' })}</div>
  <div class="row">${textField({ name: 'totp', label: t('bo.totp'), error: o.errors?.totp, required: true, maxlength: 6, autocomplete: 'one-time-code', inputmode: 'numeric' })}</div>
  <button type="submit" class="btn btn-primary">${t('login.submit')}</button>
</form>`,
    ),
  );
}

export interface QueueRow {
  id: string;
  number: string;
  codice_fiscale: string;
  cognome: string;
  nome: string;
  submitted_at: Date | string | null;
}

export function homePage(ctx: PageContext, op: Operator, o: { queue: QueueRow[] | undefined; notice?: string }): string {
  const { t } = ctx;
  return boPage(
    ctx,
    t('bo.title'),
    op,
    headed(
      t('bo.title'),
      html`${o.notice ? alert('success', o.notice, { id: 'bo-notice' }) : ''}
<p><a class="btn btn-outline-primary" href="/backoffice/richiesta" id="bo-new-request">${t('bo.new.title')}</a>
${op.role !== 'contact-center' ? html` <a class="btn btn-outline-primary" href="/backoffice/domande" id="bo-covid">${t('bo.cov.title')}</a>` : ''}
${op.role === 'supervisore' ? html` <a class="btn btn-outline-primary" href="/backoffice/operatori" id="bo-operators">${t('bo.ops.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/clienti" id="bo-clients-link">${t('bo.clients.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/approvazioni" id="bo-approvals">${t('bo.approvals.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/segnalazioni" id="bo-reports-link">${t('bo.notme.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/limiti" id="bo-quota-link">${t('bo.quota.title')}</a>` : ''}</p>
<h2 class="h4">${t('bo.search')}</h2>
<form method="get" action="/backoffice/cittadino" class="row g-2 mb-4">
  ${textField({ name: 'cf', label: t('field.codiceFiscale'), required: true, maxlength: 16 })}
  <div class="col-md-3 d-flex align-items-end"><button type="submit" class="btn btn-primary">${t('bo.search.submit')}</button></div>
</form>
${
  o.queue === undefined
    ? ''
    : html`<h2 class="h4">${t('bo.queue')}</h2>
    ${
      o.queue.length === 0
        ? html`<p>${t('bo.queue.empty')}</p>`
        : html`<div class="table-responsive"><table class="table"><thead><tr><th scope="col">${t('bo.queue.number')}</th><th scope="col">${t('bo.queue.citizen')}</th><th scope="col">${t('bo.queue.submitted')}</th></tr></thead>
        <tbody>${o.queue.map((r) => html`<tr><td><a href="/backoffice/conversioni/${r.id}">${r.number}</a></td><td>${r.cognome} ${r.nome} (${r.codice_fiscale})</td><td>${r.submitted_at ? formatRomeMinutes(new Date(r.submitted_at)) : ''}</td></tr>`)}</tbody></table></div>`
    }`
}`,
    ),
  );
}
