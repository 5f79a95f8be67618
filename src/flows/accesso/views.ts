import type { MessageKey } from '../../i18n/index.js';
import { PIN_FIELD_MAXLENGTH } from '../../security/pin.js';
import { type FieldErrors, csrfField, errorSummary, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { alert, titledPage } from '../../ui/fragments.js';

export const METHODS = ['pin', 'spid', 'cie', 'cns'] as const;
export type Method = (typeof METHODS)[number];

/** The other entrances this portal has (issue 7): SPID providers, CIE, and where CNS logins go. */
export interface Entrances {
  spid: { id: string; name: string; logo?: string }[];
  cie: boolean;
  /** The federations' providers are still being read (the first list since the portal started). */
  loading?: boolean;
  cnsUrl?: string;
}

/** The access page of seed 003: PIN / SPID / CIE / CNS, codice fiscale and PIN, Accedi / Annulla. */
export function loginPage(
  ctx: PageContext,
  o: {
    method: Method;
    entrances: Entrances;
    codiceFiscale?: string;
    ritorno?: string;
    notice?: MessageKey;
    error?: string;
    errors?: FieldErrors;
    semplificato?: boolean;
  },
): string {
  const { t } = ctx;
  const ritorno = o.ritorno ? `&ritorno=${encodeURIComponent(o.ritorno)}` : '';
  const back = o.ritorno ? `?ritorno=${encodeURIComponent(o.ritorno)}` : '';
  const notConfigured = html`<div class="alert alert-info" role="status">${t('login.notConfigured', { method: t(`login.tab.${o.method}`) })}</div>`;
  // While the first list of the federations is read, SPID and CIE are coming, not off.
  const unavailable = o.entrances.loading
    ? html`<div class="alert alert-info" role="status" id="federation-loading">${t('login.federationLoading')} <a href="/accedi?metodo=${o.method}${ritorno}">${t('login.federationReload')}</a></div>`
    : notConfigured;
  const other = {
    spid: o.entrances.spid.length
      ? html`<p>${t('login.spid.lead')}</p>
    <ul class="list-unstyled" id="spid-providers" aria-label="${t('login.spid.button')}">
      ${o.entrances.spid.map((p) => html`<li class="mb-2"><a class="btn btn-primary" href="/accedi/spid/${p.id}${back}" id="spid-${p.id}">${p.logo ? html`<img src="${p.logo}" alt="" width="24" height="24" class="me-2">` : ''}${t('login.spid.with', { provider: p.name })}</a></li>`)}
    </ul>`
      : unavailable,
    cie: o.entrances.cie
      ? html`<p>${t('login.cie.lead')}</p><p><a class="btn btn-primary" href="/accedi/cie${back}" id="cie-login">${t('login.cie.button')}</a></p>`
      : unavailable,
    cns: o.entrances.cnsUrl
      ? html`<p>${t('login.cns.lead')}</p><p><a class="btn btn-primary" href="${o.entrances.cnsUrl}${back}" id="cns-login">${t('login.cns.button')}</a></p>`
      : notConfigured,
  };
  return titledPage(
    ctx,
    { title: t('login.title'), breadcrumb: [{ label: t('login.title') }] },
    html`<h2 class="h4">${t('login.choose')}</h2>
<nav aria-label="${t('login.tabs')}">
  <ul class="nav nav-tabs mb-3">
    ${METHODS.map((m) => html`<li class="nav-item"><a class="nav-link${m === o.method ? ' active' : ''}" href="/accedi?metodo=${m}${ritorno}"${m === o.method ? html` aria-current="page"` : ''}>${t(`login.tab.${m}`)}</a></li>`)}
  </ul>
</nav>
${o.notice ? alert('info', t(o.notice)) : ''}
${
  o.method === 'pin'
    ? html`${o.error ? alert('danger', o.error, { role: 'alert', id: 'login-error' }) : ''}
    ${errorSummary(t, o.errors ?? {})}
    <form method="post" action="/accedi" novalidate>
      ${csrfField(ctx.csrfToken())}
      ${o.ritorno ? html`<input type="hidden" name="ritorno" value="${o.ritorno}">` : ''}
      <div class="row">
        ${textField({ name: 'codiceFiscale', label: t('field.codiceFiscale'), value: o.codiceFiscale, error: o.errors?.codiceFiscale, required: true, maxlength: 16, autocomplete: 'username' })}
      </div>
      <div class="row">
        ${textField({ name: 'pin', label: t('login.pin'), type: 'password', error: o.errors?.pin, required: true, maxlength: PIN_FIELD_MAXLENGTH, autocomplete: 'current-password', hint: t('pin.typeHint') })}
      </div>
      <div class="d-flex gap-3">
        <button type="submit" class="btn btn-primary">${t('login.submit')}</button>
        <a class="btn btn-outline-primary" href="/">${t('login.cancel')}</a>
      </div>
    </form>
    ${initialPinHelp(ctx, o.semplificato === true)}`
    : other[o.method]
}
<p class="mt-4">${t('access.info')}</p>
<ul class="link-list-simple">
  <li><a href="/accedi/istruzioni">${t('login.instructions')}</a></li>
  <li><a href="/pin/smarrito">${t('access.lost')}</a></li>
  <li><a href="/pin" id="manage-pin">${t('access.manage')}</a></li>
</ul>`,
  );
}

/** R6: what the first 8 characters allow alone (while PIN semplificato is open), and that the full 16 come with the letter. */
function initialPinHelp(ctx: PageContext, semplificato: boolean) {
  const { t } = ctx;
  return html`<section class="callout-initial mt-4" aria-labelledby="initial-pin-title" id="initial-pin-help">
      <h2 class="h5" id="initial-pin-title">${t('levels.semplificato.title')}</h2>
      <p>${t(semplificato ? 'levels.semplificato.login' : 'levels.initial.login')}</p>
    </section>`;
}

export function instructionsPage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('login.instructions.title'), breadcrumb: [{ label: t('login.title'), href: '/accedi' }, { label: t('login.instructions.title') }] },
    html`${(['login.instructions.body1', 'login.instructions.body2', 'login.instructions.body3', 'login.instructions.body4', 'login.instructions.body5'] as const).map((k) => html`<p>${t(k)}</p>`)}
<p><a href="/accedi">${t('login.title')}</a></p>`,
  );
}

export function changePinPage(ctx: PageContext, o: { reason: 'first_access' | 'expired' | 'voluntary'; errors: FieldErrors; ritorno?: string }): string {
  const { t } = ctx;
  const lead = { first_access: t('change.firstAccess'), expired: t('change.expired'), voluntary: t('change.voluntary') }[o.reason];
  return titledPage(
    ctx,
    { title: t('change.title') },
    html`${alert('info', lead, { id: 'change-reason' })}
<p>${t('change.rules')}</p>
${errorSummary(t, o.errors)}
<form method="post" action="/accedi/cambio-pin" novalidate>
  ${csrfField(ctx.csrfToken())}
  ${o.ritorno ? html`<input type="hidden" name="ritorno" value="${o.ritorno}">` : ''}
  ${o.reason === 'voluntary' ? html`<div class="row">${textField({ name: 'current', label: t('change.current'), type: 'password', error: o.errors.current, required: true, maxlength: PIN_FIELD_MAXLENGTH, autocomplete: 'current-password', hint: t('pin.typeHint') })}</div>` : ''}
  <div class="row">
    ${textField({ name: 'pin', label: t('change.new'), type: 'password', error: o.errors.pin, required: true, maxlength: PIN_FIELD_MAXLENGTH, autocomplete: 'new-password' })}
    ${textField({ name: 'confirm', label: t('change.confirm'), type: 'password', error: o.errors.confirm, required: true, maxlength: PIN_FIELD_MAXLENGTH, autocomplete: 'new-password' })}
  </div>
  <button type="submit" class="btn btn-primary">${t('change.submit')}</button>
</form>`,
  );
}
