import type { AuthMethod } from '../../db/schema.js';
import { PIN_FIELD_MAXLENGTH } from '../../security/pin.js';
import { type FieldErrors, codeForm, csrfField, errorSummary, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { alert, formRadios, titledPage } from '../../ui/fragments.js';

/** The contacts page; its verification step is `${CONTACTS_PATH}/verifica`. */
export const CONTACTS_PATH = '/profilo/recapiti';

const crumbs = (ctx: PageContext, label: string) => [{ label: ctx.t('profile.title'), href: '/profilo' }, { label }];

/** `askPin`: a PIN session types the current PIN with the change (F2). */
export function contactsPage(ctx: PageContext, o: { raw: Record<string, string>; errors: FieldErrors; askPin: boolean }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('contacts.title'), breadcrumb: crumbs(ctx, t('contacts.title')) },
    html`<p>${t('contacts.lead')}</p>
${errorSummary(t, o.errors)}
<form method="post" action="${CONTACTS_PATH}" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${formRadios({
    name: 'tipo',
    legend: t('contacts.kind'),
    raw: o.raw,
    errors: o.errors,
    options: [
      { value: 'cellulare', label: t('field.cellulare') },
      { value: 'email', label: t('field.email') },
      { value: 'pec', label: t('field.pec') },
    ],
  })}</div>
  <div class="row">${textField({ name: 'valore', label: t('contacts.newValue'), value: o.raw.valore, error: o.errors.valore, required: true, maxlength: 254, hint: t('req.phoneHint') })}</div>
  ${o.askPin ? html`<div class="row">${textField({ name: 'pin', label: t('change.current'), type: 'password', error: o.errors.pin, required: true, maxlength: PIN_FIELD_MAXLENGTH, autocomplete: 'current-password', hint: `${t('contacts.pinHint')} ${t('pin.typeHint')}` })}</div>` : ''}
  <button type="submit" class="btn btn-primary">${t('contacts.send')}</button>
</form>`,
  );
}

export function verifyPage(ctx: PageContext, o: { to: string; minutes: number; invalid?: boolean; errors: FieldErrors }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('contacts.verify.title'), breadcrumb: crumbs(ctx, t('contacts.verify.title')) },
    html`<p>${t('contacts.verify.lead', { to: o.to, minutes: o.minutes })}</p>
${codeForm(t, { action: '/profilo/recapiti/verifica', csrfToken: ctx.csrfToken(), alertId: 'contact-invalid', invalid: o.invalid, errors: o.errors })}`,
  );
}

/** F2: a SPID/CIE/CNS session older than a few minutes logs in again before changing a contact, and comes back here. */
export function loginAgainPage(ctx: PageContext, o: { method: AuthMethod; minutes: number }): string {
  const { t } = ctx;
  const method = t(`profile.kind.${o.method}`);
  return titledPage(
    ctx,
    { title: t('contacts.reauth.title'), breadcrumb: crumbs(ctx, t('contacts.title')) },
    html`${alert('warning', t('contacts.reauth.body', { method, minutes: o.minutes }), { id: 'contacts-login-again' })}
<p><a class="btn btn-primary" href="/accedi?metodo=${o.method}&ritorno=${encodeURIComponent(CONTACTS_PATH)}" id="contacts-login-again-link">${t('contacts.reauth.button', { method })}</a></p>
<p><a href="/profilo">${t('profile.title')}</a></p>`,
  );
}
