import type { Selectable } from 'kysely';
import type { ConversionRequestsTable } from '../../db/schema.js';
import { DOC_TYPES } from './document.js';
import { formatItalianDate } from '../../domain/contacts.js';
import { type FieldErrors, errorSummary, fieldId, textField } from '../../ui/forms.js';
import { html, type SafeHtml } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { stepForm, confirmForm } from '../../ui/step-forms.js';
import { alert, dlRow, formRadios, titledPage } from '../../ui/fragments.js';

type Request = Selectable<ConversionRequestsTable>;
const crumbs = (ctx: PageContext, label?: string) => [
  { label: ctx.t('pin.title'), href: '/pin' },
  { label: ctx.t('disp.title'), href: '/pin/dispositivo' },
  ...(label ? [{ label }] : []),
];

/** Seed 002 steps 4–6: what a PIN dispositivo is, the ways to get it, CONVERTI IL PIN. */
export function dispositivoPage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('disp.title'), breadcrumb: [{ label: t('pin.title'), href: '/pin' }, { label: t('disp.title') }] },
    html`<p>${t('disp.what')}</p>
<p>${t('disp.ways')}</p>
<p><a class="btn btn-primary" href="/pin/dispositivo/converti" id="converti-pin">${t('disp.convert')}</a></p>
<p><a href="/pin/dispositivo/avvertenze">${t('conv.minorsLink')}</a></p>`,
  );
}

/** Every conversion step once the PIN is dispositivo; a session opened before the conversion is told to log in again. */
export function alreadyDispositivoPage(ctx: PageContext, o: { relogin: boolean }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('conv.title'), breadcrumb: crumbs(ctx, t('conv.title')) },
    html`${alert('info', t('conv.already'), { id: 'conv-notice' })}
${
  o.relogin
    ? html`<p id="conv-relogin">${t('levels.relogin')}</p>
<p><a class="btn btn-primary" href="/accedi?ritorno=%2Fbacheca" id="level-login">${t('levels.loginAgain')}</a></p>`
    : html`<p><a href="/bacheca">${t('board.title')}</a></p>`
}`,
  );
}

/** Seed 003: the welcome page of the guided conversion. */
export function welcomePage(ctx: PageContext, o: { notice?: string }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('conv.title'), breadcrumb: crumbs(ctx, t('conv.title')) },
    html`${
      o.notice
        ? alert('info', o.notice, { id: 'conv-notice' })
        : html`
<p>${t('conv.welcome')}</p>
<p>${t('conv.intro')}</p>
<p>${t('conv.channels')}</p>
<ul><li>${t('conv.channel.online')}</li><li>${t('conv.channel.fax', { fax: '800803164' })}</li><li>${t('conv.channel.sede')}</li></ul>
<p>${t('conv.minors')} <a href="/pin/dispositivo/avvertenze">${t('conv.minorsLink')}</a></p>
<p>${t('conv.steps')}</p>
<p>${t('conv.next')}</p>
<p><a class="btn btn-primary" href="/pin/dispositivo/documento" id="conv-avanti">${t('req.next')}</a></p>`
    }`,
  );
}

export function warningsPage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('conv.warnings.title'), breadcrumb: crumbs(ctx, t('conv.warnings.title')) },
    html`<p>${t('conv.warnings.body1')}</p>
<p>${t('conv.warnings.body2')}</p>
<p>${t('conv.warnings.body3')}</p>
<p><a href="/pin/dispositivo">${t('disp.title')}</a></p>`,
  );
}

export function documentPage(ctx: PageContext, o: { raw: Record<string, string>; errors: FieldErrors }): string {
  const { t } = ctx;
  const r = o.raw;
  const e = o.errors;
  return titledPage(
    ctx,
    { title: t('conv.doc.title'), breadcrumb: crumbs(ctx, t('conv.title')), heading: t('conv.title') },
    html`<h2 class="h4">${t('conv.doc.title')}</h2>
<p>${t('conv.doc.lead')}</p>
${errorSummary(t, e)}
${stepForm(
  ctx,
  { action: '/pin/dispositivo/documento', submit: { label: t('req.next') } },
  html`<div class="row">${formRadios({ name: 'tipo', legend: t('field.tipoDocumento'), raw: r, errors: e, options: DOC_TYPES.map((d) => ({ value: d, label: t(`doc.${d}`) })) })}</div>
  <div class="row">
    ${textField({ name: 'numero', label: t('field.numeroDocumento'), value: r.numero, error: e.numero, required: true, maxlength: 20 })}
    ${textField({ name: 'ente', label: t('field.enteRilascio'), value: r.ente, error: e.ente, required: true, maxlength: 80 })}
  </div>
  <div class="row">
    ${textField({ name: 'rilascio', label: t('field.dataRilascio'), value: r.rilascio, error: e.rilascio, required: true, maxlength: 10, hint: t('req.dateHint'), inputmode: 'numeric' })}
    ${textField({ name: 'scadenza', label: t('field.dataScadenza'), value: r.scadenza, error: e.scadenza, required: true, maxlength: 10, hint: t('req.dateHint'), inputmode: 'numeric' })}
  </div>`,
)}`,
  );
}

function fileField(ctx: PageContext, name: string, label: string, error: string | undefined): SafeHtml {
  const id = fieldId(name);
  return html`<div class="form-group col-md-6">
  <label for="${id}" class="active">${label}*</label>
  <input type="file" class="form-control${error ? ' is-invalid' : ''}" id="${id}" name="${name}" accept="application/pdf,image/jpeg,image/png" required ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ''}>
  ${error ? html`<div class="invalid-feedback d-block" id="${id}-error">${error}</div>` : ''}
</div>`;
}

export function modulePage(ctx: PageContext, o: { request: Request; errors: FieldErrors; limitMb: number }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('conv.module.title'), breadcrumb: crumbs(ctx, t('conv.title')), heading: t('conv.title') },
    html`<h2 class="h4">${t('conv.module.title')}</h2>
<p>${t('conv.module.lead', { mb: o.limitMb })}</p>
<p><a class="btn btn-outline-primary" href="/pin/dispositivo/modulo.pdf" id="download-module">${t('conv.module.download')}</a></p>
${errorSummary(t, o.errors)}
${stepForm(
  ctx,
  { action: '/pin/dispositivo/modulo', submit: { label: t('conv.upload') }, multipart: true },
  html`<div class="row">
    ${fileField(ctx, 'modulo', t('field.moduloFirmato'), o.errors.modulo)}
    ${fileField(ctx, 'documento', t('field.documentoIdentita'), o.errors.documento)}
  </div>`,
)}`,
  );
}

export function confirmPage(ctx: PageContext, r: Request): string {
  const { t } = ctx;
  const row = dlRow;
  return titledPage(
    ctx,
    { title: t('conv.confirm.title'), breadcrumb: crumbs(ctx, t('conv.title')) },
    html`<p>${t('conv.confirm.lead')}</p>
<dl>
  ${row(t('field.tipoDocumento'), t(`doc.${r.doc_type}`))}
  ${row(t('field.numeroDocumento'), r.doc_number)}
  ${row(t('field.enteRilascio'), r.doc_authority)}
  ${row(t('field.dataRilascio'), formatItalianDate(r.doc_issued))}
  ${row(t('field.dataScadenza'), formatItalianDate(r.doc_expires))}
  ${row(t('conv.confirm.files'), `${t('field.moduloFirmato')}, ${t('field.documentoIdentita')}`)}
</dl>
${confirmForm(ctx, { action: '/pin/dispositivo/conferma', back: '/pin/dispositivo/modulo' })}`,
  );
}

export function submittedPage(ctx: PageContext, number: string): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('conv.title'), breadcrumb: crumbs(ctx, t('conv.title')) },
    html`${alert('success', t('conv.done', { number }), { id: 'conv-done' })}
<p><a href="/profilo">${t('profile.title')}</a></p>`,
  );
}
