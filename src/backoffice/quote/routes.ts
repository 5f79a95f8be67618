import type { FastifyInstance } from 'fastify';
import { smsPrefixes } from '../../domain/contacts.js';
import { formatRome } from '../../domain/rome-time.js';
import type { MessageKey } from '../../i18n/index.js';
import { smsGlobalState } from '../../outbox/quotas.js';
import type { AppDeps } from '../../ui/deps.js';
import { requireOperator } from '../accesso/guard.js';
import { recentQuotaHits } from './service.js';
import { quotaPage } from './views.js';

/** How many recent hits the page lists. */
const RECENT_HITS = 100;

/**
 * Issue 12 F6: what a supervisore sees of the message quotas — the recent refusals (audited as
 * `quota.exceeded`), the day's SMS cap and its alerts (`sms.global_cap_reached`).
 */
export function backofficeQuoteRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps, ['supervisore']) };
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
    const rows = (await recentQuotaHits(deps.db, RECENT_HITS)).map((h) => {
      const d = h.details;
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
    return reply.type('text/html').send(quotaPage(req.ctx, state, rows));
  });
}
