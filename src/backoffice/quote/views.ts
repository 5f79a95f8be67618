import type { SmsGlobalState } from '../../outbox/quotas.js';
import { formatRome } from '../../domain/rome-time.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { titledPage } from '../../ui/fragments.js';

export interface QuotaHitRow {
  when: string;
  limit: string;
  flow: string;
  cf: string;
  number: string;
}

/** Issue 12 F6: the day's SMS cap and the recent refusals. */
export function quotaPage(ctx: PageContext, state: SmsGlobalState, rows: QuotaHitRow[]): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('bo.quota.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.quota.title') }] },
    html`<p>${t('bo.quota.lead')}</p>
<h2 class="h4">${t('bo.quota.global')}</h2>
<div id="bo-sms-cap" class="alert ${state.capReachedAt ? 'alert-warning' : 'alert-info'}" role="status">
  <p class="mb-0">${state.cap === undefined ? t('bo.quota.global.none', { queued: state.queued }) : t('bo.quota.global.state', { day: state.day, sends: state.sends, cap: state.cap, queued: state.queued })}</p>
  ${state.capReachedAt ? html`<p class="mb-0 mt-2" id="bo-sms-cap-reached">${t('bo.quota.global.reached', { at: formatRome(state.capReachedAt) })}</p>` : ''}
</div>
<h2 class="h4">${t('bo.quota.hits')}</h2>
${
  rows.length === 0
    ? html`<p id="bo-quota-none">${t('bo.quota.hits.none')}</p>`
    : html`<div class="table-responsive"><table class="table" id="bo-quota-hits"><thead><tr>
    <th scope="col">${t('bo.quota.when')}</th><th scope="col">${t('bo.quota.limit')}</th><th scope="col">${t('bo.quota.flow')}</th><th scope="col">${t('bo.quota.subject')}</th><th scope="col">${t('bo.quota.number')}</th>
  </tr></thead><tbody>${rows.map((r) => html`<tr><td>${r.when}</td><td>${r.limit}</td><td>${r.flow}</td><td>${r.cf}</td><td>${r.number}</td></tr>`)}</tbody></table></div>`
}`,
  );
}
