import { euro } from '../../ui/format.js';
import type { CovidApplicationsTable, CovidState } from '../../db/schema.js';
import type { MessageKey } from '../../i18n/index.js';
import { formatRome } from '../../domain/rome-time.js';
import { type FieldErrors, csrfField, errorSummary, fieldId, selectField, textField } from '../../ui/forms.js';
import { html, type SafeHtml } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { formatItalianDate } from '../../domain/contacts.js';
import { CATEGORIES, type CategoryDefinition, type CategoryField, type CategoryValues } from './categories.js';
import { alert, titledPage } from '../../ui/fragments.js';

export const BASE = '/prestazioni/covid-19';

const k = (key: string) => key as MessageKey;
/** A category's title, by its id. */
const categoryTitle = (ctx: PageContext, id: string) => ctx.t(k(`cov.cat.${id}.title`));
const crumbs = (ctx: PageContext, label?: string) => [
  { label: ctx.t('board.title'), href: '/bacheca' },
  ...(label ? [{ label: ctx.t('cov.home.title'), href: '/prestazioni' }, { label }] : [{ label: ctx.t('cov.home.title') }]),
];

/** Seed 003: the Servizi Online menu, `Indennità COVID-19` opened on `Invio domanda`. */
function menu(ctx: PageContext, current?: 'domanda' | 'domande'): SafeHtml {
  const { t } = ctx;
  const item = (id: 'domanda' | 'domande', href: string, label: string) =>
    html`<li><a class="list-item${id === current ? ' active' : ''}" href="${href}"${id === current ? html` aria-current="page"` : ''}><span>${label}</span></a></li>`;
  return html`<nav class="sidebar-wrapper mb-4" aria-labelledby="cov-menu-title">
  <h2 class="h5" id="cov-menu-title">${t('cov.menu.services')}</h2>
  <h3 class="h6">${t('cov.menu.covid')}</h3>
  <ul class="link-list">
    ${item('domanda', `${BASE}/domanda`, t('cov.menu.invio'))}
    ${item('domande', `${BASE}/domande`, t('cov.menu.mie'))}
  </ul>
</nav>`;
}

export function homePage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('cov.home.title'), breadcrumb: crumbs(ctx) },
    html`<div class="row">
  <div class="col-md-4">${menu(ctx)}</div>
  <section class="col-md-8" aria-labelledby="cov-info">
    <h2 class="h4" id="cov-info">${t('cov.home.info')}</h2>
    <p>${t('cov.home.lead')}</p>
    <ul>${CATEGORIES.map((c) => html`<li>${categoryTitle(ctx, c.id)}</li>`)}</ul>
    <p>${t('cov.home.iban')}</p>
    <p><a class="btn btn-primary" href="${BASE}/domanda">${t('cov.menu.invio')}</a></p>
  </section>
</div>`,
  );
}

/** An application the citizen already sent, as the category pages announce it up front (art. 31). */
export interface ExistingApplication {
  protocollo: string;
  categoria: string;
  gruppo: 'art31' | 'art23';
}

/** Art. 31 (and the single baby-sitting bonus): said before the citizen fills anything in, not only at submit. */
function existingNotice(ctx: PageContext, existing: readonly ExistingApplication[], group?: 'art31' | 'art23'): SafeHtml {
  const { t } = ctx;
  const shown = existing.filter((e) => !group || e.gruppo === group);
  if (shown.length === 0) return html``;
  return html`<div class="alert alert-warning" role="status" id="cov-existing">${shown.map((e) => html`<p class="mb-1">${t(e.gruppo === 'art31' ? 'cov.refused.art31' : 'cov.refused.art23', { protocollo: e.protocollo, categoria: categoryTitle(ctx, e.categoria) })}</p>`)}
  <p class="mb-0"><a href="${BASE}/domande">${t('cov.menu.mie')}</a></p></div>`;
}

export function chooseCategoryPage(ctx: PageContext, o: { error?: string; existing?: readonly ExistingApplication[] }): string {
  const { t } = ctx;
  const errors: FieldErrors = o.error ? { categoria: o.error } : {};
  return titledPage(
    ctx,
    { title: t('cov.choose.title'), breadcrumb: crumbs(ctx, t('cov.menu.invio')) },
    html`${existingNotice(ctx, o.existing ?? [])}
${errorSummary(t, errors)}
<form method="get" action="${BASE}/domanda" novalidate>
  <fieldset id="${fieldId('categoria')}" ${o.error ? html`aria-describedby="${fieldId('categoria')}-error"` : ''}>
    <legend class="h5">${t('cov.choose.legend')}</legend>
    ${CATEGORIES.map(
      (c, i) => html`<div class="form-check mb-3">
      <input type="radio" id="cat-${i}" name="categoria" value="${c.id}" required>
      <label for="cat-${i}"><strong>${categoryTitle(ctx, c.id)}</strong> — ${t(k(`cov.cat.${c.id}.summary`))}</label>
    </div>`,
    )}
    ${o.error ? html`<div class="invalid-feedback d-block" id="${fieldId('categoria')}-error">${o.error}</div>` : ''}
  </fieldset>
  <button type="submit" class="btn btn-primary">${t('cov.choose.next')}</button>
</form>`,
  );
}

function categoryField(ctx: PageContext, f: CategoryField, raw: Record<string, string>, errors: FieldErrors): SafeHtml {
  const { t } = ctx;
  const label = t(k(`cov.field.${f.name}`));
  const hint =
    f.kind === 'date'
      ? t('cov.hint.date')
      : f.kind === 'integer'
        ? t('cov.hint.range', { min: f.min, max: f.max })
        : f.when
          ? t(k(`cov.hint.${f.name}`))
          : undefined;
  if (f.kind === 'select') {
    return selectField({
      name: f.name,
      label,
      value: raw[f.name],
      error: errors[f.name],
      required: true,
      placeholder: t('cov.choose.placeholder'),
      options: f.options.map((v) => ({ value: v, label: t(k(`cov.opt.${f.name}.${v}`)) })),
    });
  }
  return textField({
    name: f.name,
    label,
    value: raw[f.name],
    error: errors[f.name],
    required: !f.optional && !f.when,
    maxlength: f.kind === 'cf' ? 16 : 120,
    hint,
    inputmode: f.kind === 'integer' ? 'numeric' : undefined,
  });
}

/** What the application form and its review page show: the category, the applicant, the answers as typed, the applications already sent. */
interface ApplicationPage {
  def: CategoryDefinition;
  applicant: { nome: string; cognome: string; codiceFiscale: string };
  raw: Record<string, string>;
  existing?: readonly ExistingApplication[];
}

export function applicationForm(ctx: PageContext, o: ApplicationPage & { errors: FieldErrors }): string {
  const { t } = ctx;
  const { def } = o;
  const title = categoryTitle(ctx, def.id);
  const check = (name: string, label: string) => {
    const id = fieldId(name);
    const error = o.errors[name];
    return html`<div class="form-check" id="${id}-wrap">
  <input type="checkbox" id="${id}" name="${name}" value="si"${o.raw[name] === 'si' ? html` checked` : ''} ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ''}>
  <label for="${id}">${label}</label>
  ${error ? html`<div class="invalid-feedback d-block" id="${id}-error">${error}</div>` : ''}
</div>`;
  };
  return titledPage(
    ctx,
    { title, breadcrumb: crumbs(ctx, t('cov.menu.invio')), heading: t('cov.form.title') },
    html`<p class="lead">${title} (${t('cov.form.article', { article: def.article })})</p>
${existingNotice(ctx, o.existing ?? [], def.group)}
${errorSummary(t, o.errors)}
<form method="post" action="${BASE}/domanda" novalidate>
  ${csrfField(ctx.csrfToken())}
  <input type="hidden" name="categoria" value="${def.id}">
  <h2 class="h5">${t('cov.form.applicant')}</h2>
  <dl class="row" id="applicant">
    <dt class="col-sm-3">${t('field.cognome')}</dt><dd class="col-sm-9">${o.applicant.cognome}</dd>
    <dt class="col-sm-3">${t('field.nome')}</dt><dd class="col-sm-9">${o.applicant.nome}</dd>
    <dt class="col-sm-3">${t('field.codiceFiscale')}</dt><dd class="col-sm-9">${o.applicant.codiceFiscale}</dd>
  </dl>
  <h2 class="h5">${t('cov.form.data')}</h2>
  <div class="row mt-4">${def.fields.map((f) => categoryField(ctx, f, o.raw, o.errors))}</div>
  <h2 class="h5">${t('cov.form.payment')}</h2>
  <div class="row">${textField({ name: 'iban', label: t('cov.field.iban'), value: o.raw.iban, error: o.errors.iban, required: true, maxlength: 42, autocomplete: 'off', hint: t('cov.hint.iban') })}</div>
  ${check('intestatario', t('cov.decl.intestatario'))}
  <fieldset class="mt-4">
    <legend class="h5">${t('cov.form.declarations')}</legend>
    ${def.declarations.map((d) => check(`decl_${d}`, t(k(`cov.decl.${d}`))))}
  </fieldset>
  <p class="mt-3">${t('cov.form.truth')}</p>
  <a href="${BASE}/domanda" class="btn btn-outline-primary me-2">${t('cov.form.back')}</a>
  <button type="submit" name="azione" value="riepilogo" class="btn btn-primary">${t('cov.review.next')}</button>
</form>`,
  );
}

/** The raw answers carried by the review page, validated again when it is confirmed. */
function carried(raw: Record<string, string>): SafeHtml {
  return html`${Object.entries(raw)
    .filter(([name, v]) => v && name !== 'azione')
    .map(([name, v]) => html`<input type="hidden" name="${name}" value="${v}">`)}`;
}

/** "Riepilogo": every answer as it will be sent; "Modifica" back to the form, "Invia domanda" sends it. */
export function reviewPage(ctx: PageContext, o: ApplicationPage & { values: CategoryValues; iban: string }): string {
  const { t } = ctx;
  const { def } = o;
  const title = categoryTitle(ctx, def.id);
  const shown = (f: CategoryField) => {
    const v = o.values.values[f.name];
    if (v === undefined) return undefined;
    if (f.kind === 'select') return t(k(`cov.opt.${f.name}.${String(v)}`));
    if (f.kind === 'date') return formatItalianDate(String(v));
    if (f.name === 'importo') return euro(Number(v) * 100);
    return String(v);
  };
  const row = (id: string, label: string, value: string) => html`<dt class="col-sm-4">${label}</dt><dd class="col-sm-8" id="review-${id}">${value}</dd>`;
  return titledPage(
    ctx,
    { title: t('cov.review.title'), breadcrumb: crumbs(ctx, t('cov.menu.invio')), heading: t('cov.form.title') },
    html`<h2 class="h3">${t('cov.review.title')}</h2>
<p>${t('cov.review.lead')}</p>
${existingNotice(ctx, o.existing ?? [], def.group)}
<h3 class="h5 mt-4">${t('cov.form.applicant')}</h3>
<dl class="row">
  ${row('cognome', t('field.cognome'), o.applicant.cognome)}
  ${row('nome', t('field.nome'), o.applicant.nome)}
  ${row('codiceFiscale', t('field.codiceFiscale'), o.applicant.codiceFiscale)}
</dl>
<h3 class="h5 mt-4">${t('cov.form.data')}</h3>
<dl class="row" id="review-data">
  ${row('categoria', t('cov.col.categoria'), `${title} (${t('cov.form.article', { article: def.article })})`)}
  ${def.fields.map((f) => {
    const v = shown(f);
    return v === undefined ? '' : row(f.name, t(k(`cov.field.${f.name}`)), v);
  })}
  ${row('importo-richiesto', t('cov.col.importo'), euro(o.values.amountCents))}
</dl>
<h3 class="h5 mt-4">${t('cov.form.payment')}</h3>
<dl class="row">${row('iban', t('cov.field.iban'), o.iban)}</dl>
<h3 class="h5 mt-4">${t('cov.form.declarations')}</h3>
<ul id="review-declarations">
  <li>${t('cov.decl.intestatario')}</li>
  ${o.values.declarations.map((d) => html`<li>${t(k(`cov.decl.${d}`))}</li>`)}
</ul>
<p class="mt-3">${t('cov.form.truth')}</p>
<form method="post" action="${BASE}/domanda" class="d-flex flex-wrap gap-3 mt-4">
  ${csrfField(ctx.csrfToken())}
  ${carried(o.raw)}
  <button type="submit" name="azione" value="modifica" class="btn btn-outline-primary" id="review-edit">${t('cov.review.edit')}</button>
  <button type="submit" name="azione" value="conferma" class="btn btn-primary" id="review-confirm">${t('cov.form.submit')}</button>
</form>`,
  );
}

export function refusedPage(ctx: PageContext, o: { existing: string; categoria: string; group: 'art31' | 'art23' }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('cov.refused.title'), breadcrumb: crumbs(ctx, t('cov.menu.invio')) },
    html`<div class="alert alert-warning" role="alert" id="cov-refused">${t(o.group === 'art31' ? 'cov.refused.art31' : 'cov.refused.art23', { protocollo: o.existing, categoria: categoryTitle(ctx, o.categoria) })}</div>
<p><a href="${BASE}/domande">${t('cov.menu.mie')}</a></p>`,
  );
}

type Application = Pick<CovidApplicationsTable, 'id' | 'protocollo' | 'categoria' | 'stato' | 'iban' | 'importo_cents' | 'esito_motivo'> & {
  submitted_at: Date;
  esito_at: Date | null;
};

const stateLabel = (ctx: PageContext, s: CovidState) => ctx.t(k(`cov.state.${s}`));
const maskIban = (iban: string) => `${iban.slice(0, 4)} **** ${iban.slice(-4)}`;

export function myApplicationsPage(ctx: PageContext, rows: Application[]): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('cov.menu.mie'), breadcrumb: crumbs(ctx, t('cov.menu.mie')) },
    html`<div class="row"><div class="col-md-4">${menu(ctx, 'domande')}</div>
<div class="col-md-8">
${
  rows.length === 0
    ? html`<p id="cov-none">${t('cov.mine.none')}</p>`
    : html`<div class="table-responsive"><table class="table" id="cov-mine">
  <caption>${t('cov.mine.caption', { count: rows.length })}</caption>
  <thead><tr><th scope="col">${t('cov.col.protocollo')}</th><th scope="col">${t('cov.col.categoria')}</th><th scope="col">${t('cov.col.data')}</th><th scope="col">${t('cov.col.stato')}</th><th scope="col"><span class="visually-hidden">${t('cov.col.azioni')}</span></th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr>
    <th scope="row" class="varco-id">${r.protocollo}</th><td>${categoryTitle(ctx, r.categoria)}</td><td>${formatRome(r.submitted_at).slice(0, 10)}</td><td>${stateLabel(ctx, r.stato)}</td>
    <td><a href="${BASE}/domande/${r.id}">${t('cov.mine.detail')}<span class="visually-hidden"> ${r.protocollo}</span></a></td>
  </tr>`,
  )}</tbody></table></div>`
}
</div></div>`,
  );
}

export function applicationPage(ctx: PageContext, a: Application, o: { justSent: boolean }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('cov.detail.title', { protocollo: a.protocollo }), breadcrumb: crumbs(ctx, a.protocollo) },
    html`${o.justSent ? alert('success', t('cov.detail.sent', { protocollo: a.protocollo }), { id: 'cov-sent' }) : ''}
<dl class="row" id="cov-detail">
  <dt class="col-sm-4">${t('cov.col.protocollo')}</dt><dd class="col-sm-8">${a.protocollo}</dd>
  <dt class="col-sm-4">${t('cov.col.categoria')}</dt><dd class="col-sm-8">${categoryTitle(ctx, a.categoria)}</dd>
  <dt class="col-sm-4">${t('cov.col.data')}</dt><dd class="col-sm-8">${formatRome(a.submitted_at)}</dd>
  <dt class="col-sm-4">${t('cov.col.importo')}</dt><dd class="col-sm-8">${euro(a.importo_cents)}</dd>
  <dt class="col-sm-4">${t('cov.field.iban')}</dt><dd class="col-sm-8">${maskIban(a.iban)}</dd>
  <dt class="col-sm-4">${t('cov.col.stato')}</dt><dd class="col-sm-8" id="cov-state">${stateLabel(ctx, a.stato)}</dd>
  ${a.esito_motivo ? html`<dt class="col-sm-4">${t('cov.col.motivo')}</dt><dd class="col-sm-8">${a.esito_motivo}</dd>` : ''}
</dl>
<p>${t(k(`cov.state.${a.stato}.help`))}</p>
<p><a class="btn btn-primary" href="${BASE}/domande/${a.id}/ricevuta" id="cov-receipt">${t('cov.detail.receipt')}</a>
<a class="btn btn-outline-primary" href="${BASE}/domande">${t('cov.menu.mie')}</a></p>`,
  );
}
