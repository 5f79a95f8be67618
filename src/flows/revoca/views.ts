import { formatItalianDate } from '../../domain/contacts.js';
import { type Captcha, CAPTCHA_HEIGHT, CAPTCHA_TTL_MINUTES, CAPTCHA_TYPED_MAX, CAPTCHA_WIDTH } from '../../security/captcha.js';
import { type FieldErrors, csrfField, errorSummary, fieldId, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import { type PageContext, page } from '../../ui/layout.js';
import type { RevocaRequest } from './service.js';

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
  return page(
    ctx,
    { title: t('rev.title'), breadcrumb: crumbs(ctx, t('rev.title')) },
    html`
<h1>${t('rev.title')}</h1>
<h2 class="h4">${t('rev.question')}</h2>
<p>${t('rev.lead')}</p>
<p>${t('rev.noCard')}</p>
${errorSummary(t, o.errors)}
<form method="post" action="/pin/revoca" novalidate>
  ${csrfField(ctx.csrfToken())}
  <input type="hidden" name="captchaId" value="${c.id}">
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
      : html`<div class="alert alert-info" role="status" id="captcha-mail-sent">${t('rev.captchaMailSent', { minutes: CAPTCHA_TTL_MINUTES })}</div>
  <div class="row">
    ${textField({ name: 'captcha', label: t('rev.captchaMailType'), error: o.errors.captcha, required: true, maxlength: CAPTCHA_TYPED_MAX, autocomplete: 'one-time-code', hint: t('rev.captchaTypeHint') })}
  </div>
  <p class="small mb-1">
    <button type="submit" name="azione" value="codice" formnovalidate class="btn btn-link p-0 align-baseline">${t('rev.captchaMailAgain')}</button>
  </p>
  <p class="small">
    <button type="submit" name="azione" value="immagine" formnovalidate class="btn btn-link p-0 align-baseline">${t('rev.captchaImage')}</button>
  </p>`
  }
  <button type="submit" name="azione" value="avanti" class="btn btn-primary">${t('req.next')}</button>
</form>`,
  );
}

export function revocaConfirmPage(ctx: PageContext, r: RevocaRequest): string {
  const { t } = ctx;
  return page(
    ctx,
    { title: t('rev.confirm.title'), breadcrumb: crumbs(ctx, t('rev.title')) },
    html`
<h1>${t('rev.confirm.title')}</h1>
<p>${t('rev.confirm.lead')}</p>
<dl>
  <div class="row border-bottom py-2"><dt class="col-sm-4">${t('field.codiceFiscale')}</dt><dd class="col-sm-8 mb-0">${r.codiceFiscale}</dd></div>
  <div class="row border-bottom py-2"><dt class="col-sm-4">${t('field.numeroTessera')}</dt><dd class="col-sm-8 mb-0">${r.numeroTessera}</dd></div>
  <div class="row border-bottom py-2"><dt class="col-sm-4">${t('field.scadenzaTessera')}</dt><dd class="col-sm-8 mb-0">${formatItalianDate(r.scadenzaTessera)}</dd></div>
  <div class="row border-bottom py-2"><dt class="col-sm-4">${t(r.contact.channel === 'email' ? 'field.email' : 'field.pec')}</dt><dd class="col-sm-8 mb-0">${r.contact.to}</dd></div>
</dl>
<form method="post" action="/pin/revoca/conferma" class="d-flex gap-3">
  ${csrfField(ctx.csrfToken())}
  <button type="submit" name="azione" value="indietro" class="btn btn-outline-primary">${t('req.back')}</button>
  <button type="submit" name="azione" value="conferma" class="btn btn-primary">${t('req.confirm')}</button>
</form>`,
  );
}

export function revocaSentPage(ctx: PageContext, to: string): string {
  const { t } = ctx;
  return page(
    ctx,
    { title: t('rev.title'), breadcrumb: crumbs(ctx, t('rev.title')) },
    html`
<h1>${t('rev.title')}</h1>
<div class="alert alert-success" role="status" id="revoca-sent">${t('rev.sent', { to })}</div>`,
  );
}

export function revocaCompletePage(ctx: PageContext, o: { token?: string; invalid?: boolean; done?: boolean }): string {
  const { t } = ctx;
  return page(
    ctx,
    { title: t('rev.complete.title'), breadcrumb: crumbs(ctx, t('rev.complete.title')) },
    html`
<h1>${t('rev.complete.title')}</h1>
${
  o.done
    ? html`<div class="alert alert-success" role="status" id="revoca-done">${t('rev.done')}</div><p><a class="btn btn-primary" href="/pin/richiesta">${t('rev.done.request')}</a></p>`
    : o.invalid
      ? html`<div class="alert alert-danger" role="alert" id="revoca-invalid">${t('rev.complete.invalid')}</div><p><a href="/pin/revoca">${t('rev.title')}</a></p>`
      : html`<p>${t('rev.complete.lead')}</p>
      <form method="post" action="/pin/revoca/completa">${csrfField(ctx.csrfToken())}<input type="hidden" name="t" value="${o.token ?? ''}">
        <button type="submit" class="btn btn-danger">${t('rev.complete.button')}</button></form>`
}`,
  );
}
