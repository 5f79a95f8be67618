import type { CovidState } from '../../db/schema.js';
import type { MessageKey } from '../../i18n/index.js';
import { formatRome } from '../../domain/rome-time.js';
import { euro } from '../../ui/format.js';
import { type FieldErrors, csrfField, errorSummary, radioGroup, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import { type PageContext, page } from '../../ui/layout.js';
import type { Operator } from '../accesso/service.js';

export const STATES: readonly CovidState[] = ['in_verifica', 'in_istruttoria', 'accolta', 'respinta'];
const k = (key: string) => key as MessageKey;

export type Row = { id: string; protocollo: string; categoria: string; stato: CovidState; flagged: boolean; submitted_at: Date; codice_fiscale: string };

function frame(ctx: PageContext, op: Operator, title: string, body: ReturnType<typeof html>) {
  const { t } = ctx;
  return page(
    ctx,
    { title, breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.cov.title'), href: '/backoffice/domande' }, { label: title }] },
    html`
<p>${t('bo.home.lead', { name: op.displayName, role: t(`bo.role.${op.role}`) })}</p>
${body}`,
  );
}

export function listPage(ctx: PageContext, op: Operator, o: { rows: Row[]; stato?: CovidState; segnalate: boolean; pagina: number; more: boolean }): string {
  const { t } = ctx;
  const pageLink = (n: number) =>
    `/backoffice/domande?${new URLSearchParams({ ...(o.stato ? { stato: o.stato } : {}), ...(o.segnalate ? { segnalate: '1' } : {}), pagina: String(n) }).toString()}`;
  return frame(
    ctx,
    op,
    t('bo.cov.title'),
    html`
<h1>${t('bo.cov.title')}</h1>
<form method="get" action="/backoffice/domande" class="row g-2 mb-3">
  <div class="col-md-4 select-wrapper"><label for="f-stato">${t('cov.col.stato')}</label>
    <select id="f-stato" name="stato" class="form-select"><option value="">${t('bo.cov.allStates')}</option>${STATES.map((s) => html`<option value="${s}"${s === o.stato ? html` selected` : ''}>${t(k(`cov.state.${s}`))}</option>`)}</select></div>
  <div class="col-md-4 form-check d-flex align-items-end"><input type="checkbox" id="f-segnalate" name="segnalate" value="1"${o.segnalate ? html` checked` : ''}><label for="f-segnalate">${t('bo.cov.flaggedOnly')}</label></div>
  <div class="col-md-4 d-flex align-items-end"><button type="submit" class="btn btn-primary">${t('bo.search.submit')}</button></div>
</form>
${
  o.rows.length === 0
    ? html`<p id="bo-cov-none">${t('bo.cov.none')}</p>`
    : html`<div class="table-responsive"><table class="table" id="bo-cov-list"><thead><tr><th scope="col">${t('cov.col.protocollo')}</th><th scope="col">${t('field.codiceFiscale')}</th><th scope="col">${t('cov.col.categoria')}</th><th scope="col">${t('cov.col.stato')}</th><th scope="col">${t('bo.cov.flag')}</th></tr></thead>
  <tbody>${o.rows.map((r) => html`<tr><td class="varco-id"><a href="/backoffice/domande/${r.id}">${r.protocollo}</a></td><td class="varco-id">${r.codice_fiscale}</td><td>${t(k(`cov.cat.${r.categoria}.title`))}</td><td>${t(k(`cov.state.${r.stato}`))}</td><td>${r.flagged ? t('bo.cov.flagged') : ''}</td></tr>`)}</tbody></table></div>`
}
${
  o.pagina > 1 || o.more
    ? html`<nav aria-label="${t('bo.cov.pages')}"><ul class="pagination">
    ${o.pagina > 1 ? html`<li class="page-item"><a class="page-link" href="${pageLink(o.pagina - 1)}" rel="prev">${t('bo.cov.prev')}</a></li>` : ''}
    <li class="page-item active" aria-current="page"><span class="page-link">${t('bo.cov.page', { page: o.pagina })}</span></li>
    ${o.more ? html`<li class="page-item"><a class="page-link" href="${pageLink(o.pagina + 1)}" rel="next" id="bo-cov-next">${t('bo.cov.next')}</a></li>` : ''}
  </ul></nav>`
    : ''
}`,
  );
}

export function detailPage(
  ctx: PageContext,
  op: Operator,
  a: {
    id: string;
    protocollo: string;
    categoria: string;
    stato: CovidState;
    iban: string;
    importo_cents: number;
    flagged: boolean;
    applicants: number;
    iban_verified_at: Date | null;
    esito_motivo: string | null;
    esito_by: string | null;
    submitted_at: Date;
    dichiarazioni: Record<string, unknown>;
    codice_fiscale: string;
    nome: string;
    cognome: string;
    sameIban: { protocollo: string; codice_fiscale: string }[];
  },
  o: { errors?: FieldErrors; raw?: Record<string, string> },
): string {
  const { t } = ctx;
  const errors = o.errors ?? {};
  const d = a.dichiarazioni as { campi: Record<string, unknown>; dichiarazioni: string[] };
  const final = a.stato === 'accolta' || a.stato === 'respinta';
  return frame(
    ctx,
    op,
    a.protocollo,
    html`
<h1>${t('cov.detail.title', { protocollo: a.protocollo })}</h1>
${a.flagged ? html`<div class="alert alert-warning" role="alert" id="bo-cov-flag">${t('bo.cov.flagWarning', { count: a.applicants })}</div>` : ''}
<dl class="row">
  <dt class="col-sm-4">${t('cov.form.applicant')}</dt><dd class="col-sm-8">${a.cognome} ${a.nome} (${a.codice_fiscale})</dd>
  <dt class="col-sm-4">${t('cov.col.categoria')}</dt><dd class="col-sm-8">${t(k(`cov.cat.${a.categoria}.title`))}</dd>
  <dt class="col-sm-4">${t('cov.col.data')}</dt><dd class="col-sm-8">${formatRome(a.submitted_at)}</dd>
  <dt class="col-sm-4">${t('cov.col.importo')}</dt><dd class="col-sm-8">${euro(a.importo_cents)}</dd>
  <dt class="col-sm-4">${t('cov.field.iban')}</dt><dd class="col-sm-8">${a.iban} — ${a.iban_verified_at ? t('bo.cov.ibanVerified') : t('bo.cov.ibanNotVerified')}</dd>
  <dt class="col-sm-4">${t('cov.col.stato')}</dt><dd class="col-sm-8" id="bo-cov-state">${t(k(`cov.state.${a.stato}`))}${a.esito_motivo ? ` — ${a.esito_motivo}` : ''}</dd>
  <dt class="col-sm-4">${t('cov.form.data')}</dt><dd class="col-sm-8">${Object.entries(d.campi).map(([name, v]) => html`${t(k(`cov.field.${name}`))}: ${String(v)}<br>`)}</dd>
  <dt class="col-sm-4">${t('cov.form.declarations')}</dt><dd class="col-sm-8">${d.dichiarazioni.length}</dd>
</dl>
${a.sameIban.length ? html`<h2 class="h5">${t('bo.cov.sameIban')}</h2><ul id="bo-cov-same-iban">${a.sameIban.map((s) => html`<li>${s.protocollo} — ${s.codice_fiscale}</li>`)}</ul>` : ''}
${
  final
    ? ''
    : html`<h2 class="h5">${t('bo.cov.esito')}</h2>
${errorSummary(t, errors)}
<form method="post" action="/backoffice/domande/${a.id}/esito" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${radioGroup({
    name: 'esito',
    legend: t('bo.cov.esito'),
    value: o.raw?.esito,
    error: errors.esito,
    required: true,
    options: [
      { value: 'accolta', label: t('cov.state.accolta') },
      { value: 'respinta', label: t('cov.state.respinta') },
    ],
  })}</div>
  <div class="row">${textField({ name: 'motivo', label: t('cov.col.motivo'), value: o.raw?.motivo, error: errors.motivo, maxlength: 500, hint: t('bo.cov.motivoHint') })}</div>
  <button type="submit" class="btn btn-primary">${t('bo.cov.record')}</button>
</form>`
}`,
  );
}
