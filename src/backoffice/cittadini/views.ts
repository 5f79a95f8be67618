import type { ApprovalKind, ConversionState, CredentialState } from '../../db/schema.js';
import type { FieldErrors } from '../../ui/forms.js';
import { csrfField, errorSummary, radioGroup, textField } from '../../ui/forms.js';
import { DOC_TYPES } from '../../flows/conversione/document.js';
import { html, type SafeHtml } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { formatRome } from '../../domain/rome-time.js';
import type { Operator } from '../accesso/service.js';
import { boPage } from '../layout.js';

export function citizenPage(
  ctx: PageContext,
  op: Operator,
  o: {
    citizen?: { codice_fiscale: string; cognome: string; nome: string; cellulare: string; email: string; pec: string; intermediario: boolean };
    credential?: { state: CredentialState; dispositivo: boolean };
    requests: { number: string; state: ConversionState }[];
    audit: { occurred_at: Date | string; event: string; actor: string; ip: string | null }[];
    notesError?: boolean;
    converted?: boolean;
    documentError?: boolean;
    /** F7: a revocation recorded, waiting for a supervisore ('pending'), or one already waiting ('already'). */
    revocaNotice?: 'pending' | 'already';
    approvals?: { number: string; kind: ApprovalKind; state: string; not_before: Date | string | null }[];
    /** F7: a sede's change of contacts after seeing an identity document. */
    contacts?: { raw: Record<string, string>; errors: FieldErrors; done?: boolean };
  },
): string {
  const { t } = ctx;
  if (!o.citizen)
    return boPage(ctx, t('bo.search'), op, html`<h1>${t('bo.search')}</h1><p>${t('bo.search.none')}</p><p><a href="/backoffice">${t('bo.title')}</a></p>`);
  const c = o.citizen;
  return boPage(
    ctx,
    `${c.cognome} ${c.nome}`,
    op,
    html`
<h1>${c.cognome} ${c.nome}</h1>
<dl class="row">
  <dt class="col-sm-3">${t('field.codiceFiscale')}</dt><dd class="col-sm-9">${c.codice_fiscale}</dd>
  <dt class="col-sm-3">${t('bo.citizen.credential')}</dt><dd class="col-sm-9" id="bo-credential">${o.credential ? `${t(`bo.credential.${o.credential.state}`)}, ${o.credential.dispositivo ? t('bo.dispositivo') : t('bo.ordinario')}` : t('bo.credential.none')}</dd>
  <dt class="col-sm-3">${t('field.cellulare')}</dt><dd class="col-sm-9" id="bo-cellulare">${c.cellulare}</dd>
  <dt class="col-sm-3">${t('field.email')}</dt><dd class="col-sm-9">${c.email}</dd>
  <dt class="col-sm-3">${t('field.pec')}</dt><dd class="col-sm-9">${c.pec}</dd>
</dl>
${c.intermediario ? html`<p id="bo-intermediary"><strong>${t('bo.intermediary.is')}</strong></p>` : ''}
${
  op.role === 'supervisore'
    ? html`<form method="post" action="/backoffice/cittadino/intermediario" class="mb-3">${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${c.codice_fiscale}">
      <button type="submit" name="azione" value="${c.intermediario ? 'togli' : 'concedi'}" class="btn btn-outline-primary btn-sm">${t(c.intermediario ? 'bo.intermediary.revoke' : 'bo.intermediary.grant')}</button></form>`
    : ''
}
${o.revocaNotice ? html`<div class="alert alert-${o.revocaNotice === 'pending' ? 'success' : 'info'}" role="status" id="bo-revoca-pending">${t(o.revocaNotice === 'pending' ? 'bo.revoca.pending' : 'bo.revoca.alreadyPending')}</div>` : ''}
${
  o.approvals?.length
    ? html`<section class="mb-4" aria-labelledby="bo-open-title"><h2 class="h5" id="bo-open-title">${t('bo.approvals.open')}</h2>
      <ul id="bo-open-approvals">${o.approvals.map((a) => html`<li>${a.number}: ${t(`bo.approvals.kind.${a.kind}`)}, ${a.state === 'waiting' ? t('bo.approvals.state.waiting', { date: a.not_before ? formatRome(new Date(a.not_before)) : '' }) : t(`bo.approvals.state.${a.state as 'pending'}`)}</li>`)}</ul></section>`
    : ''
}
${o.contacts?.done ? html`<div class="alert alert-success" role="status" id="bo-contacts-done">${t('bo.contacts.done')}</div>` : ''}
${op.role === 'sede' && o.contacts ? contactsForm(ctx, c.codice_fiscale, o.contacts) : ''}
${
  (op.role === 'contact-center' || op.role === 'supervisore') && o.credential && o.credential.state !== 'revoked'
    ? html`<section class="mb-4" aria-labelledby="bo-revoca-title"><h2 class="h5" id="bo-revoca-title">${t('bo.revoca.title')}</h2>
      <p>${t('bo.revoca.lead')}</p>
      <form method="post" action="/backoffice/cittadino/revoca" novalidate>${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${c.codice_fiscale}">
        <div class="form-group">
          <label for="f-note" class="active">${t('bo.revoca.notes')}*</label>
          <textarea id="f-note" name="note" class="form-control${o.notesError ? ' is-invalid' : ''}" rows="4" maxlength="2000" required ${o.notesError ? html`aria-invalid="true" aria-describedby="f-note-error"` : ''}></textarea>
          ${o.notesError ? html`<div class="invalid-feedback d-block" id="f-note-error">${t('error.bo.notes')}</div>` : ''}
        </div>
        <button type="submit" class="btn btn-danger">${t('bo.revoca.submit')}</button></form></section>`
    : ''
}
${o.converted ? html`<div class="alert alert-success" role="status" id="bo-converted">${t('bo.conv.record.done')}</div>` : ''}
${
  (op.role === 'sede' || op.role === 'supervisore') && o.credential && o.credential.state !== 'revoked' && !o.credential.dispositivo
    ? html`<section class="mb-4" aria-labelledby="bo-record-title"><h2 class="h5" id="bo-record-title">${t('bo.conv.record.title')}</h2>
      ${o.documentError ? html`<div class="alert alert-danger" role="alert" id="bo-document-error">${t('error.doc.expired')}</div>` : ''}
      <form method="post" action="/backoffice/cittadino/conversione" novalidate>${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${c.codice_fiscale}">
        <div class="row">
          ${radioGroup({
            name: 'canale',
            legend: t('bo.conv.record.channel'),
            value: 'fax',
            required: true,
            options: [
              { value: 'fax', label: t('bo.conv.record.fax') },
              { value: 'sede', label: t('bo.conv.record.sede') },
            ],
          })}
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
    : ''
}
<h2 class="h5">${t('bo.citizen.requests')}</h2>
<ul>${o.requests.map((r) => html`<li>${r.number}: ${t(`conv.state.${r.state}`)}</li>`)}</ul>
<h2 class="h5">${t('bo.citizen.audit')}</h2>
<div class="table-responsive"><table class="table table-sm"><tbody>${o.audit.map((a) => html`<tr><td>${formatRome(new Date(a.occurred_at))}</td><td>${a.event}</td><td>${a.actor}</td><td>${a.ip ?? ''}</td></tr>`)}</tbody></table></div>`,
  );
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
