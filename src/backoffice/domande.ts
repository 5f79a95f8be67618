import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { sql } from 'kysely';
import { audit } from '../audit/events.js';
import type { CovidState, OperatorRole } from '../db/schema.js';
import type { MessageKey } from '../i18n/index.js';
import { formatRome } from '../domain/rome-time.js';
import { pickFields } from '../ui/validators.js';
import { recordOutcome } from '../flows/indennita/service.js';
import { euro } from '../ui/format.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { type FieldErrors, csrfField, errorSummary, radioGroup, textField } from '../ui/forms.js';
import { html } from '../ui/html.js';
import { type PageContext, page } from '../ui/layout.js';
import type { Operator } from './operators.js';

const REVIEWERS: readonly OperatorRole[] = ['sede', 'supervisore'];
const STATES: readonly CovidState[] = ['in_verifica', 'in_istruttoria', 'accolta', 'respinta'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const k = (key: string) => key as MessageKey;
/** Applications per page of the back-office list. */
const PAGE = 100;

/**
 * R21: operators review the COVID-19 applications and record outcomes. An application is flagged
 * while its IBAN is named by more distinct applicants than VARCO_IBAN_MAX_APPLICANTS (counted in
 * `iban_usage`, so the flag is always current and needs no update on the other applications).
 */
export function backofficeDomandeRoutes(app: FastifyInstance, deps: AppDeps, requireOperator: (roles?: readonly OperatorRole[]) => preHandlerAsyncHookHandler): void {
  const guard = { preHandler: requireOperator(REVIEWERS) };
  const opCtx = (req: FastifyRequest) => auditContextOf(req, `operator:${req.operator!.username}`, 'backoffice');

  app.get('/backoffice/domande', guard, async (req, reply) => {
    const q = req.query as { stato?: string; segnalate?: string; pagina?: string };
    const pagina = /^\d{1,6}$/.test(q.pagina ?? '') ? Math.max(1, Number(q.pagina)) : 1;
    const stato = STATES.find((s) => s === q.stato);
    const max = deps.config.indennita.ibanMaxApplicants;
    let query = deps.db
      .selectFrom('covid_applications')
      .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
      .leftJoin('iban_usage', 'iban_usage.iban', 'covid_applications.iban')
      .select(['covid_applications.id', 'protocollo', 'categoria', 'stato', 'submitted_at', 'citizens.codice_fiscale', 'iban_usage.applicants'])
      // Flagged IBANs first, then the oldest.
      .orderBy(sql`coalesce(iban_usage.applicants, 0) > ${max}`, 'desc')
      .orderBy('submitted_at')
      .limit(PAGE + 1)
      .offset((pagina - 1) * PAGE);
    if (stato) query = query.where('stato', '=', stato);
    if (q.segnalate === '1') query = query.where('iban_usage.applicants', '>', max);
    const found = (await query.execute()).map((r) => ({ ...r, flagged: (r.applicants ?? 0) > max }));
    return reply.type('text/html').send(listPage(req.ctx, req.operator!, { rows: found.slice(0, PAGE), stato, segnalate: q.segnalate === '1', pagina, more: found.length > PAGE }));
  });

  async function load(id: string) {
    if (!UUID.test(id)) return undefined;
    const a = await deps.db
      .selectFrom('covid_applications')
      .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
      .leftJoin('iban_usage', 'iban_usage.iban', 'covid_applications.iban')
      .select(['covid_applications.id', 'protocollo', 'categoria', 'stato', 'covid_applications.iban', 'importo_cents', 'iban_usage.applicants', 'iban_verified_at', 'esito_motivo', 'esito_by', 'submitted_at', 'dichiarazioni', 'citizens.codice_fiscale', 'citizens.nome', 'citizens.cognome'])
      .where('covid_applications.id', '=', id)
      .executeTakeFirst();
    if (!a) return undefined;
    const sameIban = await deps.db
      .selectFrom('covid_applications')
      .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
      .select(['protocollo', 'citizens.codice_fiscale'])
      .where('iban', '=', a.iban)
      .where('covid_applications.id', '<>', a.id)
      .orderBy('submitted_at')
      .limit(50)
      .execute();
    return { ...a, applicants: a.applicants ?? 0, flagged: (a.applicants ?? 0) > deps.config.indennita.ibanMaxApplicants, sameIban };
  }

  app.get('/backoffice/domande/:id', guard, async (req, reply) => {
    const a = await load((req.params as { id: string }).id);
    if (!a) return reply.callNotFound();
    await audit.covidViewed(deps.db, opCtx(req), a.codice_fiscale, { protocollo: a.protocollo, what: 'detail' });
    return reply.type('text/html').send(detailPage(req.ctx, req.operator!, a, {}));
  });

  app.post('/backoffice/domande/:id/esito', guard, async (req, reply) => {
    const { t } = req.ctx;
    const a = await load((req.params as { id: string }).id);
    if (!a) return reply.callNotFound();
    const raw = pickFields(req.body, ['esito', 'motivo']);
    const errors: FieldErrors = {};
    const motivo = (raw.motivo ?? '').trim();
    if (raw.esito !== 'accolta' && raw.esito !== 'respinta') errors.esito = t('error.choice', { field: t('bo.cov.esito') });
    if (raw.esito === 'respinta' && !motivo) errors.motivo = t('error.bo.reason');
    if (motivo.length > 500 || /[\u0000-\u001f\ufffd]/.test(motivo)) errors.motivo = t('error.tooLong', { field: t('cov.col.motivo'), max: 500 });
    if (Object.keys(errors).length) return reply.code(422).type('text/html').send(detailPage(req.ctx, req.operator!, a, { errors, raw }));
    const result = await recordOutcome({ db: deps.db, box: deps.box, now: deps.now }, a.protocollo, raw.esito as 'accolta' | 'respinta', motivo || null, `operator:${req.operator!.username}`, opCtx(req));
    if (!result.ok) return reply.code(409).type('text/html').send(detailPage(req.ctx, req.operator!, a, { errors: { esito: t(k(`bo.cov.refused.${result.reason}`)) }, raw }));
    return reply.redirect(`/backoffice/domande/${a.id}`, 303);
  });
}

type Row = { id: string; protocollo: string; categoria: string; stato: CovidState; flagged: boolean; submitted_at: Date; codice_fiscale: string };

function frame(ctx: PageContext, op: Operator, title: string, body: ReturnType<typeof html>) {
  const { t } = ctx;
  return page(ctx, { title, breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.cov.title'), href: '/backoffice/domande' }, { label: title }] }, html`
<p>${t('bo.home.lead', { name: op.displayName, role: t(`bo.role.${op.role}`) })}</p>
${body}`);
}

function listPage(ctx: PageContext, op: Operator, o: { rows: Row[]; stato?: CovidState; segnalate: boolean; pagina: number; more: boolean }): string {
  const { t } = ctx;
  const pageLink = (n: number) => `/backoffice/domande?${new URLSearchParams({ ...(o.stato ? { stato: o.stato } : {}), ...(o.segnalate ? { segnalate: '1' } : {}), pagina: String(n) }).toString()}`;
  return frame(ctx, op, t('bo.cov.title'), html`
<h1>${t('bo.cov.title')}</h1>
<form method="get" action="/backoffice/domande" class="row g-2 mb-3">
  <div class="col-md-4 select-wrapper"><label for="f-stato">${t('cov.col.stato')}</label>
    <select id="f-stato" name="stato" class="form-select"><option value="">${t('bo.cov.allStates')}</option>${STATES.map((s) => html`<option value="${s}"${s === o.stato ? html` selected` : ''}>${t(k(`cov.state.${s}`))}</option>`)}</select></div>
  <div class="col-md-4 form-check d-flex align-items-end"><input type="checkbox" id="f-segnalate" name="segnalate" value="1"${o.segnalate ? html` checked` : ''}><label for="f-segnalate">${t('bo.cov.flaggedOnly')}</label></div>
  <div class="col-md-4 d-flex align-items-end"><button type="submit" class="btn btn-primary">${t('bo.search.submit')}</button></div>
</form>
${o.rows.length === 0
  ? html`<p id="bo-cov-none">${t('bo.cov.none')}</p>`
  : html`<div class="table-responsive"><table class="table" id="bo-cov-list"><thead><tr><th scope="col">${t('cov.col.protocollo')}</th><th scope="col">${t('field.codiceFiscale')}</th><th scope="col">${t('cov.col.categoria')}</th><th scope="col">${t('cov.col.stato')}</th><th scope="col">${t('bo.cov.flag')}</th></tr></thead>
  <tbody>${o.rows.map((r) => html`<tr><td class="varco-id"><a href="/backoffice/domande/${r.id}">${r.protocollo}</a></td><td class="varco-id">${r.codice_fiscale}</td><td>${t(k(`cov.cat.${r.categoria}.title`))}</td><td>${t(k(`cov.state.${r.stato}`))}</td><td>${r.flagged ? t('bo.cov.flagged') : ''}</td></tr>`)}</tbody></table></div>`}
${o.pagina > 1 || o.more
  ? html`<nav aria-label="${t('bo.cov.pages')}"><ul class="pagination">
    ${o.pagina > 1 ? html`<li class="page-item"><a class="page-link" href="${pageLink(o.pagina - 1)}" rel="prev">${t('bo.cov.prev')}</a></li>` : ''}
    <li class="page-item active" aria-current="page"><span class="page-link">${t('bo.cov.page', { page: o.pagina })}</span></li>
    ${o.more ? html`<li class="page-item"><a class="page-link" href="${pageLink(o.pagina + 1)}" rel="next" id="bo-cov-next">${t('bo.cov.next')}</a></li>` : ''}
  </ul></nav>`
  : ''}`);
}

function detailPage(
  ctx: PageContext,
  op: Operator,
  a: { id: string; protocollo: string; categoria: string; stato: CovidState; iban: string; importo_cents: number; flagged: boolean; applicants: number; iban_verified_at: Date | null; esito_motivo: string | null; esito_by: string | null; submitted_at: Date; dichiarazioni: Record<string, unknown>; codice_fiscale: string; nome: string; cognome: string; sameIban: { protocollo: string; codice_fiscale: string }[] },
  o: { errors?: FieldErrors; raw?: Record<string, string> },
): string {
  const { t } = ctx;
  const errors = o.errors ?? {};
  const d = a.dichiarazioni as { campi: Record<string, unknown>; dichiarazioni: string[] };
  const final = a.stato === 'accolta' || a.stato === 'respinta';
  return frame(ctx, op, a.protocollo, html`
<h1>${t('cov.detail.title', { protocollo: a.protocollo })}</h1>
${a.flagged ? html`<div class="alert alert-warning" role="alert" id="bo-cov-flag">${t('bo.cov.flagWarning', { count: a.applicants })}</div>` : ''}
<dl class="row">
  <dt class="col-sm-4">${t('cov.form.applicant')}</dt><dd class="col-sm-8">${a.cognome} ${a.nome} (${a.codice_fiscale})</dd>
  <dt class="col-sm-4">${t('cov.col.categoria')}</dt><dd class="col-sm-8">${t(k(`cov.cat.${a.categoria}.title`))}</dd>
  <dt class="col-sm-4">${t('cov.col.data')}</dt><dd class="col-sm-8">${formatRome(a.submitted_at)}</dd>
  <dt class="col-sm-4">${t('cov.col.importo')}</dt><dd class="col-sm-8">${euro(a.importo_cents)}</dd>
  <dt class="col-sm-4">${t('cov.field.iban')}</dt><dd class="col-sm-8">${a.iban} — ${a.iban_verified_at ? t('bo.cov.ibanVerified') : t('bo.cov.ibanNotVerified')}</dd>
  <dt class="col-sm-4">${t('cov.col.stato')}</dt><dd class="col-sm-8" id="bo-cov-state">${t(k(`cov.state.${a.stato}`))}${a.esito_motivo ? ` — ${a.esito_motivo}` : ''}</dd>
  <dt class="col-sm-4">${t('cov.form.data')}</dt><dd class="col-sm-8">${Object.entries(d.campi).map(([name, v]) => html`${t(k(`cov.field.${name}`))}: ${String(v)}<br>`)}</dd>
  <dt class="col-sm-4">${t('cov.form.declarations')}</dt><dd class="col-sm-8">${d.dichiarazioni.length}</dd>
</dl>
${a.sameIban.length ? html`<h2 class="h5">${t('bo.cov.sameIban')}</h2><ul id="bo-cov-same-iban">${a.sameIban.map((s) => html`<li>${s.protocollo} — ${s.codice_fiscale}</li>`)}</ul>` : ''}
${final
  ? ''
  : html`<h2 class="h5">${t('bo.cov.esito')}</h2>
${errorSummary(t, errors)}
<form method="post" action="/backoffice/domande/${a.id}/esito" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${radioGroup({ name: 'esito', legend: t('bo.cov.esito'), value: o.raw?.esito, error: errors.esito, required: true, options: [{ value: 'accolta', label: t('cov.state.accolta') }, { value: 'respinta', label: t('cov.state.respinta') }] })}</div>
  <div class="row">${textField({ name: 'motivo', label: t('cov.col.motivo'), value: o.raw?.motivo, error: errors.motivo, maxlength: 500, hint: t('bo.cov.motivoHint') })}</div>
  <button type="submit" class="btn btn-primary">${t('bo.cov.record')}</button>
</form>`}`);
}
