import type { FastifyRequest } from 'fastify';
import { letterQuotaReached, reserveSmsCode, smsRefusalMessage } from '../../outbox/quotas.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { auditContextOf } from '../../ui/audit-context.js';
import type { PinRequestData } from './form.js';
import { titledPage } from '../../ui/fragments.js';

/**
 * Issue 12 F6, before a request reaches CONFERMA's effects:
 * - past VARCO_LETTERS_PER_CF letters within VARCO_LETTER_WINDOW_DAYS the request stops with a
 *   page pointing to a sede (`letters`), at step 1 and again at CONFERMA;
 * - the SMS of the first half is counted against the per-CF, per-number and cooldown quotas
 *   (`sms`: the form comes back with the reason on the cellulare field, so the citizen can give
 *   email or PEC instead).
 */
export type QuotaStop = { kind: 'letters' } | { kind: 'sms'; errors: FieldErrors };

export async function lettersStop(deps: AppDeps, req: FastifyRequest, codiceFiscale: string): Promise<QuotaStop | undefined> {
  const reached = await letterQuotaReached({ db: deps.db, now: deps.now, quotas: deps.config.messageQuotas }, codiceFiscale, auditContextOf(req));
  return reached ? { kind: 'letters' } : undefined;
}

export async function confirmStop(deps: AppDeps, req: FastifyRequest, data: PinRequestData): Promise<QuotaStop | undefined> {
  const letters = await lettersStop(deps, req, data.codiceFiscale);
  if (letters || !data.cellulare) return letters;
  const sms = await reserveSmsCode(
    { db: deps.db, box: deps.box, now: deps.now, quotas: deps.config.messageQuotas },
    { cf: data.codiceFiscale, number: data.cellulare, flow: 'richiesta' },
    auditContextOf(req),
  );
  if (sms.ok) return undefined;
  return { kind: 'sms', errors: { cellulare: smsRefusalMessage(req.ctx.t, sms.limit, deps.config.messageQuotas) } };
}

/** The page of a request past the letter quota: no online way forward, a sede instead. */
export function letterQuotaPage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('req.letterQuota.title'), breadcrumb: [{ label: t('pin.title'), href: '/pin' }, { label: t('req.title') }], heading: t('req.title') },
    html`<div class="alert alert-warning" role="alert" id="letter-quota">
  <h2 class="h4">${t('req.letterQuota.title')}</h2>
  <p class="mb-0">${t('req.letterQuota.body')}</p>
</div>
<p><a href="/pin">${t('req.letterQuota.back')}</a></p>`,
  );
}
