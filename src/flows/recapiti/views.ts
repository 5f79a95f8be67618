import { type FieldErrors, codeForm, csrfField, errorSummary, radioGroup, textField } from '../../web/forms.js';
import { html } from '../../web/html.js';
import { type PageContext, page } from '../../web/layout.js';

const crumbs = (ctx: PageContext, label: string) => [{ label: ctx.t('profile.title'), href: '/profilo' }, { label }];

export function contactsPage(ctx: PageContext, o: { raw: Record<string, string>; errors: FieldErrors }): string {
  const { t } = ctx;
  return page(ctx, { title: t('contacts.title'), breadcrumb: crumbs(ctx, t('contacts.title')) }, html`
<h1>${t('contacts.title')}</h1>
<p>${t('contacts.lead')}</p>
${errorSummary(t, o.errors)}
<form method="post" action="/profilo/recapiti" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${radioGroup({ name: 'tipo', legend: t('contacts.kind'), value: o.raw.tipo || 'cellulare', error: o.errors.tipo, required: true, options: [{ value: 'cellulare', label: t('field.cellulare') }, { value: 'email', label: t('field.email') }, { value: 'pec', label: t('field.pec') }] })}</div>
  <div class="row">${textField({ name: 'valore', label: t('contacts.newValue'), value: o.raw.valore, error: o.errors.valore, required: true, maxlength: 254, hint: t('req.phoneHint') })}</div>
  <button type="submit" class="btn btn-primary">${t('contacts.send')}</button>
</form>`);
}

export function verifyPage(ctx: PageContext, o: { to: string; minutes: number; invalid?: boolean; errors: FieldErrors }): string {
  const { t } = ctx;
  return page(ctx, { title: t('contacts.verify.title'), breadcrumb: crumbs(ctx, t('contacts.verify.title')) }, html`
<h1>${t('contacts.verify.title')}</h1>
<p>${t('contacts.verify.lead', { to: o.to, minutes: o.minutes })}</p>
${codeForm(t, { action: '/profilo/recapiti/verifica', csrfToken: ctx.csrfToken(), alertId: 'contact-invalid', invalid: o.invalid, errors: o.errors })}`);
}
