import type { Level } from '../db/schema.js';
import { type LevelAdvice, levelAdviceBlock } from '../ui/level-page.js';
import { csrfField } from '../ui/forms.js';
import { SCOPE_CLAIMS } from './claims.js';
import { html, raw } from '../ui/html.js';
import type { PageContext } from '../ui/layout.js';
import { alert, titledPage } from '../ui/fragments.js';

/** The scopes a citizen may refuse (openid is the request itself). */
const OPTIONAL_SCOPES = ['profile', 'email', 'phone'] as const;

/** Consent: which relying party asks, what it will receive; each scope can be refused. */
export function consentPage(ctx: PageContext, o: { uid: string; clientName: string; scopes: string[]; level: string }): string {
  const { t } = ctx;
  const optional = OPTIONAL_SCOPES.filter((s) => o.scopes.includes(s));
  return titledPage(
    ctx,
    { title: t('oidc.consent.title') },
    html`<p class="lead" id="consent-client">${t('oidc.consent.lead', { client: o.clientName })}</p>
<p>${t('oidc.consent.level', { level: o.level })}</p>
<form method="post" action="/autorizza/${o.uid}/consenso" novalidate>
  ${csrfField(ctx.csrfToken())}
  <fieldset>
    <legend class="h5">${t('oidc.consent.legend')}</legend>
    <p>${t('oidc.consent.always')}</p>
    ${optional.map(
      (s) => html`<div class="form-check">
      <input id="scope-${s}" type="checkbox" name="scope" value="${s}" checked>
      <label for="scope-${s}">${t(`oidc.scope.${s}`)}: ${SCOPE_CLAIMS[s].map((c) => t(`oidc.claim.${c}`)).join(', ')}</label>
    </div>`,
    )}
  </fieldset>
  <div class="d-flex gap-3 mt-3">
    <button type="submit" class="btn btn-primary" id="consent-allow">${t('oidc.consent.allow')}</button>
    <button type="submit" class="btn btn-outline-primary" formaction="/autorizza/${o.uid}/annulla" id="consent-deny">${t('oidc.consent.deny')}</button>
  </div>
</form>`,
  );
}

/** Step-up (R18): the relying party asks a higher level than this session's. */
export function stepUpPage(
  ctx: PageContext,
  o: { uid: string; clientName: string; required: string; current: string; need: Level; advice: LevelAdvice },
): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('oidc.stepUp.title') },
    html`${alert('warning', t('oidc.stepUp.body', { client: o.clientName, required: o.required, current: o.current }), { id: 'step-up' })}
${levelAdviceBlock(ctx, o.advice, { required: o.need, ritorno: `/autorizza/${o.uid}`, loginButton: false })}
<form method="post" action="/autorizza/${o.uid}/annulla" novalidate>
  ${csrfField(ctx.csrfToken())}
  <input type="hidden" name="motivo" value="livello">
  <div class="d-flex gap-3">
    <a class="btn btn-primary" href="/accedi?ritorno=${encodeURIComponent(`/autorizza/${o.uid}`)}" id="step-up-login">${t(o.advice === 'await_letter' ? 'levels.loginFull' : 'oidc.stepUp.login')}</a>
    <button type="submit" class="btn btn-outline-primary" id="step-up-cancel">${t('oidc.stepUp.cancel')}</button>
  </div>
</form>`,
  );
}

/** RP-initiated logout: the provider's form (its own anti-forgery field) with the portal's look. */
export function logoutPage(ctx: PageContext, form: string): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('oidc.logout.title') },
    html`<p>${t('oidc.logout.body')}</p>
${raw(form)}
<div class="d-flex gap-3">
  <button type="submit" class="btn btn-primary" form="op.logoutForm" name="logout" value="yes" id="logout-yes">${t('oidc.logout.yes')}</button>
  <button type="submit" class="btn btn-outline-primary" form="op.logoutForm" id="logout-no">${t('oidc.logout.no')}</button>
</div>`,
  );
}

export function postLogoutPage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(ctx, { title: t('oidc.logout.done') }, html`<p><a href="/">${t('http.backHome')}</a></p>`);
}

/** An authorization request the provider refused, or an interaction that expired. */
export function oidcErrorPage(ctx: PageContext, detail?: string): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('oidc.error.title') },
    html`${alert('danger', t('oidc.error.body'), { role: 'alert', id: 'oidc-error' })}
${detail ? html`<p><small>${t('oidc.error.detail')}: <code>${detail}</code></small></p>` : ''}
<p><a href="/">${t('http.backHome')}</a></p>`,
  );
}
