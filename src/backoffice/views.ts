import type { Operator } from './operators.js';
import type { FieldErrors } from '../ui/forms.js';
import { csrfField, errorSummary, radioGroup, textField } from '../ui/forms.js';
import { DOC_TYPES } from '../flows/conversione/document.js';
import { html, type SafeHtml } from '../ui/html.js';
import { type PageContext, page } from '../ui/layout.js';
import { formatItalianDate } from '../domain/contacts.js';
import { formatRome, formatRomeMinutes } from '../domain/rome-time.js';
import { STOP_PATH } from './approvals.js';

function boPage(ctx: PageContext, title: string, op: Operator | undefined, body: SafeHtml): string {
  const { t } = ctx;
  return page(ctx, { title, breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: title }] }, html`
${op
  ? html`<div class="d-flex justify-content-between align-items-center mb-3"><p class="mb-0">${t('bo.home.lead', { name: op.displayName, role: t(`bo.role.${op.role}`) })}</p>
    <form method="post" action="/backoffice/esci">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-outline-primary btn-sm">${t('bo.logout')}</button></form></div>`
  : ''}
${body}`);
}

export function loginPage(ctx: PageContext, o: { username?: string; error?: string; errors?: FieldErrors }): string {
  const { t } = ctx;
  return boPage(ctx, t('bo.login.title'), undefined, html`
<h1>${t('bo.login.title')}</h1>
${o.error ? html`<div class="alert alert-danger" role="alert" id="bo-login-error">${o.error}</div>` : ''}
${errorSummary(t, o.errors ?? {})}
<form method="post" action="/backoffice/accedi" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${textField({ name: 'username', label: t('bo.username'), value: o.username, error: o.errors?.username, required: true, maxlength: 64, autocomplete: 'username' })}</div>
  <div class="row">${textField({ name: 'password', label: t('bo.password'), type: 'password', error: o.errors?.password, required: true, maxlength: 200, autocomplete: 'current-password' })}</div>
  <div class="row">${textField({ name: 'totp', label: t('bo.totp'), error: o.errors?.totp, required: true, maxlength: 6, autocomplete: 'one-time-code', inputmode: 'numeric' })}</div>
  <button type="submit" class="btn btn-primary">${t('login.submit')}</button>
</form>`);
}

export interface QueueRow { id: string; number: string; codice_fiscale: string; cognome: string; nome: string; submitted_at: Date | string | null }

export function homePage(ctx: PageContext, op: Operator, o: { queue: QueueRow[] | undefined; notice?: string }): string {
  const { t } = ctx;
  return boPage(ctx, t('bo.title'), op, html`
<h1>${t('bo.title')}</h1>
${o.notice ? html`<div class="alert alert-success" role="status" id="bo-notice">${o.notice}</div>` : ''}
<p><a class="btn btn-outline-primary" href="/backoffice/richiesta" id="bo-new-request">${t('bo.new.title')}</a>
${op.role !== 'contact-center' ? html` <a class="btn btn-outline-primary" href="/backoffice/domande" id="bo-covid">${t('bo.cov.title')}</a>` : ''}
${op.role === 'supervisore' ? html` <a class="btn btn-outline-primary" href="/backoffice/operatori" id="bo-operators">${t('bo.ops.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/clienti" id="bo-clients-link">${t('bo.clients.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/approvazioni" id="bo-approvals">${t('bo.approvals.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/segnalazioni" id="bo-reports-link">${t('bo.notme.title')}</a> <a class="btn btn-outline-primary" href="/backoffice/limiti" id="bo-quota-link">${t('bo.quota.title')}</a>` : ''}</p>
<h2 class="h4">${t('bo.search')}</h2>
<form method="get" action="/backoffice/cittadino" class="row g-2 mb-4">
  ${textField({ name: 'cf', label: t('field.codiceFiscale'), required: true, maxlength: 16 })}
  <div class="col-md-3 d-flex align-items-end"><button type="submit" class="btn btn-primary">${t('bo.search.submit')}</button></div>
</form>
${o.queue === undefined
  ? ''
  : html`<h2 class="h4">${t('bo.queue')}</h2>
    ${o.queue.length === 0
      ? html`<p>${t('bo.queue.empty')}</p>`
      : html`<div class="table-responsive"><table class="table"><thead><tr><th scope="col">${t('bo.queue.number')}</th><th scope="col">${t('bo.queue.citizen')}</th><th scope="col">${t('bo.queue.submitted')}</th></tr></thead>
        <tbody>${o.queue.map((r) => html`<tr><td><a href="/backoffice/conversioni/${r.id}">${r.number}</a></td><td>${r.cognome} ${r.nome} (${r.codice_fiscale})</td><td>${r.submitted_at ? formatRomeMinutes(new Date(r.submitted_at)) : ''}</td></tr>`)}</tbody></table></div>`}`}`);
}

export function requestPage(ctx: PageContext, op: Operator, o: { request: { id: string; number: string; doc_type: string; doc_number: string; doc_authority: string; doc_issued: string; doc_expires: string; module_file_id: string | null; id_file_id: string | null; state: string }; citizen: { codice_fiscale: string; cognome: string; nome: string; data_nascita: string }; errors: FieldErrors }): string {
  const { t } = ctx;
  const r = o.request;
  const row = (k: string, v: string) => html`<div class="row border-bottom py-2"><dt class="col-sm-4">${k}</dt><dd class="col-sm-8 mb-0">${v}</dd></div>`;
  // Calendar days stored as 'YYYY-MM-DD', shown GG/MM/AAAA.
  const day = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? formatItalianDate(v) : v);
  return boPage(ctx, t('bo.request.title', { number: r.number }), op, html`
<h1>${t('bo.request.title', { number: r.number })}</h1>
${errorSummary(t, o.errors)}
<dl>
  ${row(t('field.codiceFiscale'), o.citizen.codice_fiscale)}
  ${row(t('field.cognome'), o.citizen.cognome)}
  ${row(t('field.nome'), o.citizen.nome)}
  ${row(t('field.dataNascita'), day(o.citizen.data_nascita))}
  ${row(t('field.tipoDocumento'), t(`doc.${r.doc_type as 'patente'}`))}
  ${row(t('field.numeroDocumento'), r.doc_number)}
  ${row(t('field.enteRilascio'), r.doc_authority)}
  ${row(t('field.dataRilascio'), day(r.doc_issued))}
  ${row(t('field.dataScadenza'), day(r.doc_expires))}
</dl>
<h2 class="h5">${t('bo.request.files')}</h2>
<ul>
  ${r.module_file_id ? html`<li><a href="/backoffice/file/${r.module_file_id}">${t('field.moduloFirmato')}</a></li>` : ''}
  ${r.id_file_id ? html`<li><a href="/backoffice/file/${r.id_file_id}">${t('field.documentoIdentita')}</a></li>` : ''}
</ul>
${r.state === 'in_lavorazione'
  ? html`<div class="row g-4 mt-2">
      <form method="post" action="/backoffice/conversioni/${r.id}/approva" class="col-md-4">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-success">${t('bo.request.approve')}</button></form>
      <form method="post" action="/backoffice/conversioni/${r.id}/respingi" class="col-md-8" novalidate>${csrfField(ctx.csrfToken())}
        <div class="row">${textField({ name: 'motivo', label: t('bo.request.reason'), error: o.errors.motivo, required: true, maxlength: 300, col: 'col-12' })}</div>
        <button type="submit" class="btn btn-danger">${t('bo.request.reject')}</button></form>
    </div>`
  : html`<p>${t('bo.request.notPending')}</p>`}`);
}

export function operatorsPage(ctx: PageContext, op: Operator, ops: { id: string; username: string; display_name: string; role: string; disabled_at: Date | string | null }[]): string {
  const { t } = ctx;
  return boPage(ctx, t('bo.ops.title'), op, html`
<h1>${t('bo.ops.title')}</h1>
<div class="table-responsive"><table class="table"><thead><tr><th scope="col">${t('bo.ops.username')}</th><th scope="col">${t('bo.ops.role')}</th><th scope="col">${t('bo.ops.state')}</th><th scope="col"><span class="visually-hidden">${t('bo.ops.state')}</span></th></tr></thead>
<tbody>${ops.map((o) => html`<tr><td>${o.username} (${o.display_name})</td><td>${t(`bo.role.${o.role as 'sede'}`)}</td><td>${o.disabled_at ? t('bo.ops.disabled') : t('bo.ops.active')}</td>
  <td>${o.id === op.id ? '' : html`<form method="post" action="/backoffice/operatori/${o.id}/stato">${csrfField(ctx.csrfToken())}<button type="submit" name="azione" value="${o.disabled_at ? 'riattiva' : 'disattiva'}" class="btn btn-sm btn-outline-primary">${o.disabled_at ? t('bo.ops.enable') : t('bo.ops.disable')}<span class="visually-hidden"> ${o.username}</span></button></form>`}</td></tr>`)}</tbody></table></div>`);
}

export function citizenPage(ctx: PageContext, op: Operator, o: {
  citizen?: { codice_fiscale: string; cognome: string; nome: string; cellulare: string; email: string; pec: string; intermediario: boolean };
  credential?: { state: string; dispositivo: boolean };
  requests: { number: string; state: string }[];
  audit: { occurred_at: Date | string; event: string; actor: string; ip: string | null }[];
  notesError?: boolean;
  converted?: boolean;
  documentError?: boolean;
  /** F7: a revocation recorded, waiting for a supervisore ('pending'), or one already waiting ('already'). */
  revocaNotice?: 'pending' | 'already';
  approvals?: { number: string; kind: string; state: string; not_before: Date | string | null }[];
  /** F7: a sede's change of contacts after seeing an identity document. */
  contacts?: { raw: Record<string, string>; errors: FieldErrors; done?: boolean };
}): string {
  const { t } = ctx;
  if (!o.citizen) return boPage(ctx, t('bo.search'), op, html`<h1>${t('bo.search')}</h1><p>${t('bo.search.none')}</p><p><a href="/backoffice">${t('bo.title')}</a></p>`);
  const c = o.citizen;
  return boPage(ctx, `${c.cognome} ${c.nome}`, op, html`
<h1>${c.cognome} ${c.nome}</h1>
<dl class="row">
  <dt class="col-sm-3">${t('field.codiceFiscale')}</dt><dd class="col-sm-9">${c.codice_fiscale}</dd>
  <dt class="col-sm-3">${t('bo.citizen.credential')}</dt><dd class="col-sm-9" id="bo-credential">${o.credential ? `${t(`bo.credential.${o.credential.state as 'active'}`)}, ${o.credential.dispositivo ? t('bo.dispositivo') : t('bo.ordinario')}` : t('bo.credential.none')}</dd>
  <dt class="col-sm-3">${t('field.cellulare')}</dt><dd class="col-sm-9" id="bo-cellulare">${c.cellulare}</dd>
  <dt class="col-sm-3">${t('field.email')}</dt><dd class="col-sm-9">${c.email}</dd>
  <dt class="col-sm-3">${t('field.pec')}</dt><dd class="col-sm-9">${c.pec}</dd>
</dl>
${c.intermediario ? html`<p id="bo-intermediary"><strong>${t('bo.intermediary.is')}</strong></p>` : ''}
${op.role === 'supervisore'
  ? html`<form method="post" action="/backoffice/cittadino/intermediario" class="mb-3">${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${c.codice_fiscale}">
      <button type="submit" name="azione" value="${c.intermediario ? 'togli' : 'concedi'}" class="btn btn-outline-primary btn-sm">${t(c.intermediario ? 'bo.intermediary.revoke' : 'bo.intermediary.grant')}</button></form>`
  : ''}
${o.revocaNotice ? html`<div class="alert alert-${o.revocaNotice === 'pending' ? 'success' : 'info'}" role="status" id="bo-revoca-pending">${t(o.revocaNotice === 'pending' ? 'bo.revoca.pending' : 'bo.revoca.alreadyPending')}</div>` : ''}
${o.approvals?.length
  ? html`<section class="mb-4" aria-labelledby="bo-open-title"><h2 class="h5" id="bo-open-title">${t('bo.approvals.open')}</h2>
      <ul id="bo-open-approvals">${o.approvals.map((a) => html`<li>${a.number}: ${t(`bo.approvals.kind.${a.kind as 'revoca'}`)}, ${a.state === 'waiting' ? t('bo.approvals.state.waiting', { date: a.not_before ? formatRome(new Date(a.not_before)) : '' }) : t(`bo.approvals.state.${a.state as 'pending'}`)}</li>`)}</ul></section>`
  : ''}
${o.contacts?.done ? html`<div class="alert alert-success" role="status" id="bo-contacts-done">${t('bo.contacts.done')}</div>` : ''}
${op.role === 'sede' && o.contacts ? contactsForm(ctx, c.codice_fiscale, o.contacts) : ''}
${(op.role === 'contact-center' || op.role === 'supervisore') && o.credential && o.credential.state !== 'revoked'
  ? html`<section class="mb-4" aria-labelledby="bo-revoca-title"><h2 class="h5" id="bo-revoca-title">${t('bo.revoca.title')}</h2>
      <p>${t('bo.revoca.lead')}</p>
      <form method="post" action="/backoffice/cittadino/revoca" novalidate>${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${c.codice_fiscale}">
        <div class="form-group">
          <label for="f-note" class="active">${t('bo.revoca.notes')}*</label>
          <textarea id="f-note" name="note" class="form-control${o.notesError ? ' is-invalid' : ''}" rows="4" maxlength="2000" required ${o.notesError ? html`aria-invalid="true" aria-describedby="f-note-error"` : ''}></textarea>
          ${o.notesError ? html`<div class="invalid-feedback d-block" id="f-note-error">${t('error.bo.notes')}</div>` : ''}
        </div>
        <button type="submit" class="btn btn-danger">${t('bo.revoca.submit')}</button></form></section>`
  : ''}
${o.converted ? html`<div class="alert alert-success" role="status" id="bo-converted">${t('bo.conv.record.done')}</div>` : ''}
${(op.role === 'sede' || op.role === 'supervisore') && o.credential && o.credential.state !== 'revoked' && !o.credential.dispositivo
  ? html`<section class="mb-4" aria-labelledby="bo-record-title"><h2 class="h5" id="bo-record-title">${t('bo.conv.record.title')}</h2>
      ${o.documentError ? html`<div class="alert alert-danger" role="alert" id="bo-document-error">${t('error.doc.expired')}</div>` : ''}
      <form method="post" action="/backoffice/cittadino/conversione" novalidate>${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${c.codice_fiscale}">
        <div class="row">
          ${radioGroup({ name: 'canale', legend: t('bo.conv.record.channel'), value: 'fax', required: true, options: [{ value: 'fax', label: t('bo.conv.record.fax') }, { value: 'sede', label: t('bo.conv.record.sede') }] })}
          ${radioGroup({ name: 'tipo', legend: t('field.tipoDocumento'), value: 'carta_identita', required: true, options: DOC_TYPES.map((d) => ({ value: d, label: t(`doc.${d}`) })) })}
        </div>
        <div class="row">
          ${textField({ name: 'numero', label: t('field.numeroDocumento'), required: true, maxlength: 20 })}
          ${textField({ name: 'ente', label: t('field.enteRilascio'), required: true, maxlength: 80 })}
        </div>
        <div class="row">
          ${textField({ name: 'rilascio', label: t('field.dataRilascio'), required: true, maxlength: 10, hint: t('req.dateHint') })}
          ${textField({ name: 'scadenza', label: t('field.dataScadenza'), required: true, maxlength: 10, hint: t('req.dateHint') })}
        </div>
        <button type="submit" class="btn btn-primary">${t('bo.conv.record.submit')}</button></form></section>`
  : ''}
<h2 class="h5">${t('bo.citizen.requests')}</h2>
<ul>${o.requests.map((r) => html`<li>${r.number}: ${t(`conv.state.${r.state as 'bozza'}`)}</li>`)}</ul>
<h2 class="h5">${t('bo.citizen.audit')}</h2>
<div class="table-responsive"><table class="table table-sm"><tbody>${o.audit.map((a) => html`<tr><td>${formatRome(new Date(a.occurred_at))}</td><td>${a.event}</td><td>${a.actor}</td><td>${a.ip ?? ''}</td></tr>`)}</tbody></table></div>`);
}

export interface ApprovalRow {
  id: string; number: string; kind: 'revoca' | 'remote_issue'; codice_fiscale: string; identification: string; requested_by: string; requester: string;
  requested_at: Date | string; state: string; not_before: Date | string | null; name?: string; cellulare?: string;
}

/** F7: the supervisori's list of what waits for a second pair of eyes. */
export function approvalsPage(ctx: PageContext, op: Operator, o: { rows: ApprovalRow[]; delayHours: number; notice?: { kind: 'success' | 'danger'; text: string }; errors: FieldErrors; rejectFor?: string }): string {
  const { t } = ctx;
  const pending = o.rows.filter((r) => r.state === 'pending');
  const waiting = o.rows.filter((r) => r.state !== 'pending');
  const when = (d: Date | string) => formatRome(new Date(d));
  return boPage(ctx, t('bo.approvals.title'), op, html`
<h1>${t('bo.approvals.title')}</h1>
<p>${t('bo.approvals.lead', { hours: String(o.delayHours) })}</p>
${o.notice ? html`<div class="alert alert-${o.notice.kind}" role="${o.notice.kind === 'danger' ? 'alert' : 'status'}" id="bo-approval-notice">${o.notice.text}</div>` : ''}
${errorSummary(t, o.errors)}
${pending.length === 0
  ? html`<p id="bo-approvals-none">${t('bo.approvals.none')}</p>`
  : pending.map((r) => html`<section class="card card-bg mb-4 p-3" aria-labelledby="a-${r.id}" id="approval-${r.number}">
      <h2 class="h5" id="a-${r.id}">${r.number}: ${t(`bo.approvals.kind.${r.kind}`)}</h2>
      <dl class="row mb-2">
        <dt class="col-sm-3">${t('bo.approvals.citizen')}</dt><dd class="col-sm-9">${r.name ? `${r.name} ` : ''}(${r.codice_fiscale})</dd>
        <dt class="col-sm-3">${t('bo.approvals.requestedBy')}</dt><dd class="col-sm-9">${r.requester}, ${when(r.requested_at)}</dd>
        <dt class="col-sm-3">${t('bo.approvals.identification')}</dt><dd class="col-sm-9">${r.identification}</dd>
        ${r.cellulare ? html`<dt class="col-sm-3">${t('field.cellulare')}</dt><dd class="col-sm-9">${t('bo.approvals.firstHalfTo', { to: r.cellulare })}</dd>` : ''}
      </dl>
      ${r.requested_by === op.id
        ? html`<p class="mb-0"><strong>${t('bo.approvals.own')}</strong></p>`
        : html`<div class="row g-3">
          <form method="post" action="/backoffice/approvazioni/${r.id}/approva" class="col-md-4">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-success">${t('bo.approvals.approve')}<span class="visually-hidden"> ${r.number}</span></button></form>
          <form method="post" action="/backoffice/approvazioni/${r.id}/respingi" class="col-md-8" novalidate>${csrfField(ctx.csrfToken())}
            <div class="row">${textField({ name: `motivo-${r.number}`, label: t('bo.approvals.reason'), error: o.rejectFor === r.id ? o.errors[`motivo-${r.number}`] : undefined, required: true, maxlength: 300, col: 'col-12' })}</div>
            <button type="submit" class="btn btn-danger">${t('bo.approvals.reject')}<span class="visually-hidden"> ${r.number}</span></button></form>
        </div>`}
    </section>`)}
${waiting.length
  ? html`<h2 class="h4">${t('bo.approvals.waiting')}</h2>
    <ul>${waiting.map((r) => html`<li>${r.number}: ${t(`bo.approvals.kind.${r.kind}`)} (${r.codice_fiscale}), ${r.state === 'issuing' ? t('bo.approvals.state.issuing') : t('bo.approvals.notBefore', { date: r.not_before ? when(r.not_before) : '' })}</li>`)}</ul>`
  : ''}`);
}

/** F7: the page behind the stop link sent to the contacts on record (a form: a link prefetcher stops nothing). */
export function stopPage(ctx: PageContext, o: { token?: string; outcome?: 'done' | 'invalid' }): string {
  const { t } = ctx;
  return page(ctx, { title: t('stop.title') }, html`
<h1>${t('stop.title')}</h1>
${o.outcome === 'done'
  ? html`<div class="alert alert-success" role="status" id="stop-done">${t('stop.done')}</div>`
  : o.outcome === 'invalid' || !o.token
    ? html`<div class="alert alert-warning" role="alert" id="stop-invalid">${t('stop.invalid')}</div>`
    : html`<p>${t('stop.lead')}</p>
      <form method="post" action="${STOP_PATH}">${csrfField(ctx.csrfToken())}<input type="hidden" name="t" value="${o.token}">
        <button type="submit" class="btn btn-danger">${t('stop.submit')}</button></form>`}`);
}

/** F7: only a sede, with the citizen and an identity document in front of it, replaces contacts. */
function contactsForm(ctx: PageContext, cf: string, o: { raw: Record<string, string>; errors: FieldErrors }): SafeHtml {
  const { t } = ctx;
  const e = o.errors;
  return html`<section class="mb-4" aria-labelledby="bo-contacts-title"><h2 class="h5" id="bo-contacts-title">${t('bo.contacts.title')}</h2>
  <p>${t('bo.contacts.lead')}</p>
  ${errorSummary(t, e)}
  <form method="post" action="/backoffice/cittadino/recapiti" novalidate>${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${cf}">
    <div class="row">
      ${textField({ name: 'nuovoCellulare', label: t('field.cellulare'), value: o.raw.nuovoCellulare, error: e.nuovoCellulare, maxlength: 20, inputmode: 'tel', autocomplete: 'off' })}
      ${textField({ name: 'nuovaEmail', label: t('field.email'), value: o.raw.nuovaEmail, error: e.nuovaEmail, maxlength: 254, autocomplete: 'off' })}
    </div>
    <div class="row">${textField({ name: 'nuovaPec', label: t('field.pec'), value: o.raw.nuovaPec, error: e.nuovaPec, maxlength: 254, autocomplete: 'off' })}</div>
    <div class="row">
      ${radioGroup({ name: 'docTipo', legend: t('field.tipoDocumento'), value: o.raw.docTipo || 'carta_identita', error: e.docTipo, required: true, options: DOC_TYPES.map((d) => ({ value: d, label: t(`doc.${d}`) })) })}
      ${textField({ name: 'docNumero', label: t('field.numeroDocumento'), value: o.raw.docNumero, error: e.docNumero, required: true, maxlength: 20 })}
    </div>
    <div class="form-check mb-3" id="f-docVisto-group">
      <input type="checkbox" id="f-docVisto" name="docVisto" value="si" ${e.docVisto ? html`aria-invalid="true" aria-describedby="f-docVisto-error"` : ''}>
      <label for="f-docVisto">${t('bo.contacts.identified')}</label>
      ${e.docVisto ? html`<div class="invalid-feedback d-block" id="f-docVisto-error">${e.docVisto}</div>` : ''}
    </div>
    <button type="submit" class="btn btn-primary">${t('bo.contacts.submit')}</button></form></section>`;
}
