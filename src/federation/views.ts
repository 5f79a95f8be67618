import { html } from '../ui/html.js';
import { type PageContext, page } from '../ui/layout.js';

export type FederatedRefusal =
  | 'denied'
  | 'invalid'
  | 'acr'
  | 'no_fiscal_number'
  | 'unreachable'
  | 'trust'
  | 'expired'
  | 'cns_missing'
  | 'cns_untrusted'
  | 'cns_expired'
  | 'cns_revoked'
  | 'cns_no_cf'
  | 'cns_unavailable';

/** A SPID, CIE or CNS login that did not succeed: what happened and what to do, never a stack trace. */
export function federatedErrorPage(ctx: PageContext, method: 'spid' | 'cie' | 'cns', reason: FederatedRefusal): string {
  const { t } = ctx;
  const name = t(`login.tab.${method}`);
  return page(
    ctx,
    { title: t('fed.error.title', { method: name }), breadcrumb: [{ label: t('login.title'), href: '/accedi' }, { label: name }] },
    html`
<h1>${t('fed.error.title', { method: name })}</h1>
<div class="alert alert-danger" role="alert" id="federated-error">${t(`fed.error.${reason}`, { method: name })}</div>
<p><a class="btn btn-primary" href="/accedi?metodo=${method}">${t('fed.error.retry')}</a> <a class="btn btn-outline-primary" href="/accedi">${t('fed.error.other')}</a></p>`,
  );
}
