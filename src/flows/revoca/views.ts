import { formatItalianDate } from '../../domain/contacts.js';
import { type Captcha, CAPTCHA_HEIGHT, CAPTCHA_TTL_MINUTES, CAPTCHA_TYPED_MAX, CAPTCHA_WIDTH } from '../../security/captcha.js';
import { type FieldErrors, csrfField, errorSummary, fieldId, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { stepForm, confirmForm } from '../../ui/step-forms.js';
import type { RevocaRequest } from './service.js';
import { alert, dlRow, titledPage } from '../../ui/fragments.js';

const crumbs = (ctx: PageContext, label: string) => [
  { label: ctx.t('pin.title'), href: '/pin' },
  { label: ctx.t('lost.title'), href: '/pin/smarrito' },
  { label },
];

/** Seed 001 Fig. 11: REVOCA IL TUO PIN, with the Codice di Controllo. */
export function revocaPage(ctx: PageContext, o: { raw: Record<string, string>; errors: FieldErrors; captcha: Captcha }): string {
  const { t } = ctx;
  const c = o.captcha;
  const id = fieldId('captcha');
  return titledPage(
    ctx,
    { title: t('rev.title'), breadcrumb: crumbs(ctx, t('rev.title')) },
    html`<h2 class="h4">${t('rev.question')}</h2>
<p>${t('rev.lead')}</p>
<p>${t('rev.noCard')}</p>
${errorSummary(t, o.errors)}
${stepForm(
  ctx,
  { action: '/pin/revoca', submit: { label: t('req.next'), name: 'azione', value: 'avanti' } },
  html`<input type="hidden" name="captchaId" value="${c.id}">
  <h3 class="h5 mt-3">${t('rev.userData')}</h3>
  <div class="row">${textField({ name: 'codiceFiscale', label: t('field.codiceFiscale'), value: o.raw.codiceFiscale, error: o.errors.codiceFiscale, required: true, maxlength: 16, autocomplete: 'username' })}</div>
  <div class="row">
    ${textField({ name: 'numeroTessera', label: t('field.numeroTessera'), value: o.raw.numeroTessera, error: o.errors.numeroTessera, required: true, maxlength: 24, inputmode: 'numeric' })}
    ${textField({ name: 'scadenzaTessera', label: t('field.scadenzaTessera'), value: o.raw.scadenzaTessera, error: o.errors.scadenzaTessera, required: true, maxlength: 10, hint: t('req.dateHint'), inputmode: 'numeric' })}
  </div>
  <h3 class="h5 mt-3">${t('rev.contacts')}</h3>
  <div class="row">
    ${textField({ name: 'email', label: t('field.email'), value: o.raw.email, error: o.errors.email, type: 'email', maxlength: 254, autocomplete: 'email' })}
    ${textField({ name: 'pec', label: t('field.pec'), value: o.raw.pec, error: o.errors.pec, type: 'email', maxlength: 254 })}
  </div>
  <h3 class="h5 mt-3">${t('field.captcha')}</h3>
  ${
    c.kind === 'image'
      ? html`<p><img src="/pin/revoca/controllo/${c.id}.png" alt="${t('rev.captchaAlt')}" width="${CAPTCHA_WIDTH}" height="${CAPTCHA_HEIGHT}" class="border mw-100 h-auto"></p>
  <p class="small">${t('rev.captchaHint')}</p>
  <div class="row">
    ${textField({ name: 'captcha', label: t('rev.captchaType'), error: o.errors.captcha, required: true, maxlength: CAPTCHA_TYPED_MAX, autocomplete: 'off', hint: t('rev.captchaTypeHint') })}
  </div>
  <p class="small">${t('rev.captchaNew')}
    <button type="submit" name="azione" value="nuovo" formnovalidate class="btn btn-link p-0 align-baseline" aria-describedby="${id}">${t('rev.captchaNewLink')}</button>
  </p>
  <p class="small mb-1">
    <button type="submit" name="azione" value="codice" formnovalidate class="btn btn-link p-0 align-baseline" aria-describedby="captcha-mail-hint">${t('rev.captchaMail')}</button>
  </p>
  <p class="small" id="captcha-mail-hint">${t('rev.captchaMailHint')}</p>`
      : html`${alert('info', t('rev.captchaMailSent', { minutes: CAPTCHA_TTL_MINUTES }), { id: 'captcha-mail-sent' })}
  <div class="row">
    ${textField({ name: 'captcha', label: t('rev.captchaMailType'), error: o.errors.captcha, required: true, maxlength: CAPTCHA_TYPED_MAX, autocomplete: 'one-time-code', hint: t('rev.captchaTypeHint') })}
  </div>
  <p class="small mb-1">
    <button type="submit" name="azione" value="codice" formnovalidate class="btn btn-link p-0 align-baseline">${t('rev.captchaMailAgain')}</button>
  </p>
  <p class="small">
    <button type="submit" name="azione" value="immagine" formnovalidate class="btn btn-link p-0 align-baseline">${t('rev.captchaImage')}</button>
  </p>`
  }`,
)}`,
  );
}

export function revocaConfirmPage(ctx: PageContext, r: RevocaRequest): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('rev.confirm.title'), breadcrumb: crumbs(ctx, t('rev.title')) },
    html`<p>${t('rev.confirm.lead')}</p>
<dl>
  ${dlRow(t('field.codiceFiscale'), r.codiceFiscale)}
  ${dlRow(t('field.numeroTessera'), r.numeroTessera)}
  ${dlRow(t('field.scadenzaTessera'), formatItalianDate(r.scadenzaTessera))}
  ${dlRow(t(r.contact.channel === 'email' ? 'field.email' : 'field.pec'), r.contact.to)}
</dl>
${confirmForm(ctx, { action: '/pin/revoca/conferma' })}`,
  );
}

export function revocaSentPage(ctx: PageContext, to: string): string {
  const { t } = ctx;
  return titledPage(ctx, { title: t('rev.title'), breadcrumb: crumbs(ctx, t('rev.title')) }, alert('success', t('rev.sent', { to }), { id: 'revoca-sent' }));
}

export function revocaCompletePage(ctx: PageContext, o: { token?: string; invalid?: boolean; done?: boolean }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('rev.complete.title'), breadcrumb: crumbs(ctx, t('rev.complete.title')) },
    html`${
      o.done
        ? html`${alert('success', t('rev.done'), { id: 'revoca-done' })}<p><a class="btn btn-primary" href="/pin/richiesta">${t('rev.done.request')}</a></p>`
        : o.invalid
          ? html`${alert('danger', t('rev.complete.invalid'), { role: 'alert', id: 'revoca-invalid' })}<p><a href="/pin/revoca">${t('rev.title')}</a></p>`
          : html`<p>${t('rev.complete.lead')}</p>
      <form method="post" action="/pin/revoca/completa">${csrfField(ctx.csrfToken())}<input type="hidden" name="t" value="${o.token ?? ''}">
        <button type="submit" class="btn btn-danger">${t('rev.complete.button')}</button></form>`
    }`,
  );
}
