import type { CertificateKind, NoticeChannel } from '../../db/schema.js';
import { formatItalianDate } from '../../domain/contacts.js';
import { type FieldErrors, codeForm, csrfField, errorSummary, selectField, textField } from '../../ui/forms.js';
import { html, type SafeHtml } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { alert, titledPage } from '../../ui/fragments.js';

export interface CertificateRow {
  protocollo: string;
  tipo: CertificateKind;
  data_rilascio: string;
  inizio_prognosi: string;
  fine_prognosi: string;
  medico_nome: string;
  medico_cognome: string;
}

const crumbs = (ctx: PageContext, label?: string) => [
  { label: ctx.t('board.title'), href: '/bacheca' },
  ...(label ? [{ label: ctx.t('cert.title'), href: '/certificati-malattia' }, { label }] : [{ label: ctx.t('cert.title') }]),
];

/** The side menu of seed 000: `Invio con P.E.C.`, `Invio con sms`. */
function menu(ctx: PageContext, current: 'ricerca' | NoticeChannel): SafeHtml {
  const { t } = ctx;
  const item = (id: typeof current, href: string, label: string) =>
    html`<li class="nav-item"><a class="nav-link${id === current ? ' active' : ''}" href="${href}"${id === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav aria-label="${t('cert.menu')}" class="mb-4"><ul class="nav nav-tabs">
  ${item('ricerca', '/certificati-malattia', t('cert.search.title'))}
  ${item('pec', '/certificati-malattia/pec', t('cert.pec.menu'))}
  ${item('sms', '/certificati-malattia/sms', t('cert.sms.menu'))}
</ul></nav>`;
}

export function searchPage(ctx: PageContext, o: { numero: string; results?: CertificateRow[]; errors: FieldErrors }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('cert.search.title'), breadcrumb: crumbs(ctx) },
    html`${menu(ctx, 'ricerca')}
${errorSummary(t, o.errors)}
<form method="post" action="/certificati-malattia" novalidate>
  ${csrfField(ctx.csrfToken())}
  <h2 class="h5">${t('cert.search.byNumber')}</h2>
  <div class="row">${textField({ name: 'numero', label: t('cert.number'), value: o.numero, error: o.errors.numero, hint: t('cert.search.hint'), maxlength: 20, inputmode: 'numeric' })}</div>
  <button type="submit" class="btn btn-primary">${t('cert.search.submit')}</button>
</form>
${o.results === undefined ? '' : resultsTable(ctx, o.results)}`,
  );
}

function resultsTable(ctx: PageContext, rows: CertificateRow[]): SafeHtml {
  const { t } = ctx;
  if (rows.length === 0) return html`<p class="mt-4" id="cert-none" role="status">${t('cert.search.none')}</p>`;
  return html`<div class="table-responsive mt-4"><table class="table" id="cert-results">
  <caption>${t('cert.search.found', { count: rows.length })}</caption>
  <thead><tr>
    <th scope="col">${t('cert.col.protocollo')}</th><th scope="col">${t('cert.col.rilascio')}</th><th scope="col">${t('cert.col.inizio')}</th>
    <th scope="col">${t('cert.col.fine')}</th><th scope="col">${t('cert.col.tipo')}</th><th scope="col">${t('cert.col.medico')}</th>
  </tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr>
    <th scope="row">${r.protocollo}</th><td>${formatItalianDate(r.data_rilascio)}</td><td>${formatItalianDate(r.inizio_prognosi)}</td>
    <td>${formatItalianDate(r.fine_prognosi)}</td><td>${t(`cert.tipo.${r.tipo}`)}</td><td>${r.medico_nome} ${r.medico_cognome}</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

/** `Invio con sms` / `Invio con P.E.C.`: Codice Fiscale, the number or address, Stato, what is active now, `Aggiorna`, `Precedente`. */
export function noticePage(
  ctx: PageContext,
  o: {
    channel: NoticeChannel;
    codiceFiscale: string;
    activeAddress: string | null;
    raw: { indirizzo: string; stato: string };
    errors: FieldErrors;
    saved?: boolean;
  },
): string {
  const { t } = ctx;
  const title = t(`cert.${o.channel}.title`);
  return titledPage(
    ctx,
    { title, breadcrumb: crumbs(ctx, title), heading: t('cert.search.title') },
    html`${menu(ctx, o.channel)}
<h2 class="h4">${title}</h2>
${o.saved ? alert('success', t('cert.notice.saved'), { id: 'notice-saved' }) : ''}
${errorSummary(t, o.errors)}
<form method="post" action="/certificati-malattia/${o.channel}" novalidate>
  ${csrfField(ctx.csrfToken())}
  <h3 class="h5">${t(`cert.${o.channel}.data`)}</h3>
  <div class="row">
    <div class="form-group col-md-6">
      <label for="f-cf" class="active">${t('field.codiceFiscale')}</label>
      <input type="text" class="form-control" id="f-cf" value="${o.codiceFiscale}" readonly>
    </div>
    ${textField({ name: 'indirizzo', label: t(`cert.${o.channel}.field`), value: o.raw.indirizzo, error: o.errors.indirizzo, required: true, maxlength: 254, type: o.channel === 'sms' ? 'tel' : 'email', autocomplete: o.channel === 'sms' ? 'tel' : 'email', hint: o.channel === 'sms' ? t('req.phoneHint') : undefined })}
  </div>
  <div class="row">${selectField({
    name: 'stato',
    label: t('cert.notice.state'),
    value: o.raw.stato,
    error: o.errors.stato,
    required: true,
    placeholder: t('cert.notice.statePlaceholder'),
    options: [
      { value: 'attivo', label: t('cert.notice.attivo') },
      { value: 'disattivo', label: t('cert.notice.disattivo') },
    ],
  })}</div>
  <p id="notice-active">${t(`cert.${o.channel}.active`)} <strong>${o.activeAddress ?? t('cert.notice.noneActive')}</strong></p>
  <a href="/certificati-malattia" class="btn btn-outline-primary me-2">${t('cert.notice.back')}</a>
  <button type="submit" class="btn btn-primary">${t('cert.notice.update')}</button>
</form>`,
  );
}

export function noticeVerifyPage(ctx: PageContext, o: { channel: NoticeChannel; to: string; minutes: number; invalid?: boolean; errors: FieldErrors }): string {
  const { t } = ctx;
  const title = t('cert.notice.verify.title');
  return titledPage(
    ctx,
    { title, breadcrumb: crumbs(ctx, title), heading: title },
    html`<p>${t('cert.notice.verify.lead', { to: o.to, minutes: o.minutes })}</p>
${codeForm(t, { action: `/certificati-malattia/${o.channel}/verifica`, csrfToken: ctx.csrfToken(), alertId: 'notice-invalid', invalid: o.invalid, errors: o.errors, back: { href: `/certificati-malattia/${o.channel}`, label: t('cert.notice.back') } })}`,
  );
}
