import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { OperatorRole } from '../db/schema.js';
import { smsPrefixes } from '../domain/contacts.js';
import { formatRome } from '../domain/rome-time.js';
import type { MessageKey } from '../i18n/index.js';
import { smsGlobalState } from '../outbox/quotas.js';
import type { AppDeps } from '../ui/deps.js';
import { html } from '../ui/html.js';
import { page } from '../ui/layout.js';

/** How many recent hits the page lists. */
const RECENT_HITS = 100;

/**
 * Issue 12 F6: what a supervisore sees of the message quotas — the recent refusals (audited as
 * `quota.exceeded`), the day's SMS cap and its alerts (`sms.global_cap_reached`).
 */
export function backofficeQuoteRoutes(app: FastifyInstance, deps: AppDeps, requireOperator: (roles?: readonly OperatorRole[]) => preHandlerAsyncHookHandler): void {
  const guard = { preHandler: requireOperator(['supervisore']) };
  const q = deps.config.messageQuotas;
  const limitParams: Record<string, Record<string, string | number>> = {
    sms_country: { prefixes: smsPrefixes(q.smsCountries) },
    sms_cf_day: { n: q.smsPerCfDay },
    sms_number_day: { n: q.smsPerNumberDay },
    sms_cooldown: { n: q.smsCooldownSeconds },
    letters_cf: { n: q.lettersPerCf, days: q.letterWindowDays },
    sms_global_day: { n: q.smsGlobalDay ?? 0 },
  };

  app.get('/backoffice/limiti', guard, async (req, reply) => {
    const { t } = req.ctx;
    const state = await smsGlobalState(deps.db, deps.now(), q.smsGlobalDay);
    const hits = await deps.db
      .selectFrom('audit_events')
      .select(['id', 'event', 'occurred_at', 'subject_cf', 'details'])
      .where('event', 'in', ['quota.exceeded', 'sms.global_cap_reached'])
      .orderBy('id', 'desc')
      .limit(RECENT_HITS)
      .execute();
    const rows = hits.map((h) => {
      const d = (typeof h.details === 'string' ? JSON.parse(h.details) : h.details) as Record<string, unknown>;
      const limit = h.event === 'sms.global_cap_reached' ? 'sms_global_day' : String(d.limit ?? '');
      const known = limit in limitParams;
      return {
        when: formatRome(new Date(h.occurred_at)),
        limit: known ? t(`bo.quota.limit.${limit}` as MessageKey, limitParams[limit]) : limit,
        flow: typeof d.flow === 'string' ? d.flow : '—',
        cf: h.subject_cf ?? '—',
        number: typeof d.number === 'string' ? d.number : '—',
      };
    });
    return reply.type('text/html').send(page(req.ctx, { title: t('bo.quota.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.quota.title') }] }, html`
<h1>${t('bo.quota.title')}</h1>
<p>${t('bo.quota.lead')}</p>
<h2 class="h4">${t('bo.quota.global')}</h2>
<div id="bo-sms-cap" class="alert ${state.capReachedAt ? 'alert-warning' : 'alert-info'}" role="status">
  <p class="mb-0">${state.cap === undefined ? t('bo.quota.global.none', { queued: state.queued }) : t('bo.quota.global.state', { day: state.day, sends: state.sends, cap: state.cap, queued: state.queued })}</p>
  ${state.capReachedAt ? html`<p class="mb-0 mt-2" id="bo-sms-cap-reached">${t('bo.quota.global.reached', { at: formatRome(state.capReachedAt) })}</p>` : ''}
</div>
<h2 class="h4">${t('bo.quota.hits')}</h2>
${rows.length === 0
  ? html`<p id="bo-quota-none">${t('bo.quota.hits.none')}</p>`
  : html`<div class="table-responsive"><table class="table" id="bo-quota-hits"><thead><tr>
    <th scope="col">${t('bo.quota.when')}</th><th scope="col">${t('bo.quota.limit')}</th><th scope="col">${t('bo.quota.flow')}</th><th scope="col">${t('bo.quota.subject')}</th><th scope="col">${t('bo.quota.number')}</th>
  </tr></thead><tbody>${rows.map((r) => html`<tr><td>${r.when}</td><td>${r.limit}</td><td>${r.flow}</td><td>${r.cf}</td><td>${r.number}</td></tr>`)}</tbody></table></div>`}`));
  });
}
