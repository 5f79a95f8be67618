import { formatRome } from '../domain/rome-time.js';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { STEP1_FIELDS, STEP2_FIELDS, type Step1, validateStep1, validateStep2 } from '../flows/richiesta/form.js';
import { pickFields } from '../ui/validators.js';
import { hasLivePin, requestPin } from '../flows/richiesta/service.js';
import { step2Page } from '../flows/richiesta/views.js';
import { reserveSmsCode, smsRefusalMessage } from '../outbox/quotas.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { type FieldErrors, csrfField, errorSummary, radioGroup, textField } from '../ui/forms.js';
import { html } from '../ui/html.js';
import { type PageContext, page } from '../ui/layout.js';
import { renderPinSheet } from './pin-pdf.js';
import { requestRemoteIssue } from './approvals.js';

const KIND = 'bo-richiesta';
const COOKIE = 'varco_bo_richiesta';

function startPage(ctx: PageContext, o: { role: string; raw: Record<string, string>; errors: FieldErrors; alreadyAssigned?: string; alreadyPending?: boolean; done?: string }): string {
  const { t } = ctx;
  return page(ctx, { title: t('bo.new.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.new.title') }] }, html`
<h1>${t('bo.new.title')}</h1>
<p>${t(`bo.new.lead.${o.role as 'sede'}`)}</p>
${o.done ? html`<div class="alert alert-success" role="status" id="bo-new-done">${o.done}</div>` : ''}
${o.alreadyPending ? html`<div class="alert alert-info" role="alert" id="already-pending">${t('bo.remote.alreadyPending')}</div>` : ''}
${o.alreadyAssigned ? html`<div class="alert alert-info" role="alert" id="already-assigned">${t('req.alreadyAssigned', { cf: o.alreadyAssigned })}</div>` : ''}
${errorSummary(t, o.errors)}
<form method="post" action="/backoffice/richiesta" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${textField({ name: 'codiceFiscale', label: t('field.codiceFiscale'), value: o.raw.codiceFiscale, error: o.errors.codiceFiscale, required: true, maxlength: 16 })}</div>
  <div class="row">${radioGroup({ name: 'residenza', legend: t('req.residenza'), value: o.raw.residenza || 'IT', error: o.errors.residenza, required: true, options: [{ value: 'IT', label: t('req.residenza.IT') }, { value: 'EE', label: t('req.residenza.EE') }] })}</div>
  <button type="submit" class="btn btn-primary">${t('req.next')}</button>
</form>`);
}

/**
 * R5 and issue 5: operators request a PIN for a citizen through the same request service as the
 * web — the contact center for a caller (channel contact-center, halves by SMS/email and post), a
 * sede for a citizen at the counter (channel sede, the whole PIN printed at once, dispositivo).
 */
export function backofficeRichiestaRoutes(app: FastifyInstance, deps: AppDeps, requireOperator: () => preHandlerAsyncHookHandler): void {
  const guard = { preHandler: requireOperator() };
  const crumbs = (ctx: PageContext) => [{ label: ctx.t('bo.title'), href: '/backoffice' }, { label: ctx.t('bo.new.title') }];
  /** A sede states that it identified the citizen with a document before the PIN is printed. */
  const identification = (ctx: PageContext, role: string, error?: string) =>
    role === 'contact-center'
      ? html`<fieldset class="mb-3" id="f-remoto-group"><legend class="h6">${ctx.t('bo.remote.title')}</legend>
          <div class="form-check"><input type="checkbox" id="f-remoto" name="remoto" value="si" ${error ? html`aria-invalid="true" aria-describedby="f-remoto-error"` : ''}><label for="f-remoto">${ctx.t('bo.remote.check')}</label></div>
          <div class="row">${textField({ name: 'documentoVisto', label: ctx.t('field.numeroDocumento'), maxlength: 20 })}</div>
          ${error ? html`<div class="invalid-feedback d-block" id="f-remoto-error">${error}</div>` : ''}
        </fieldset>`
      : role === 'sede'
      ? html`<div class="form-check mb-3" id="f-identificato-group">
          <input type="checkbox" id="f-identificato" name="identificato" value="si" ${error ? html`aria-invalid="true" aria-describedby="f-identificato-error"` : ''}>
          <label for="f-identificato">${ctx.t('bo.new.identified')}</label>
          ${error ? html`<div class="invalid-feedback d-block" id="f-identificato-error">${error}</div>` : ''}
        </div>`
      : undefined;

  app.get('/backoffice/richiesta', guard, async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const done = typeof q.approvazione === 'string'
      ? req.ctx.t('bo.remote.done', { number: q.approvazione.slice(0, 20), hours: String(deps.config.remoteIssueDelayHours) })
      : typeof q.protocollo === 'string' ? req.ctx.t('bo.new.done', { protocol: q.protocollo.slice(0, 20) }) : undefined;
    return reply.type('text/html').send(startPage(req.ctx, { role: req.operator!.role, raw: {}, errors: {}, done }));
  });

  app.post('/backoffice/richiesta', guard, async (req, reply) => {
    const raw = pickFields(req.body, STEP1_FIELDS);
    const result = validateStep1(req.ctx.t, raw);
    if (!result.success) return reply.code(422).type('text/html').send(startPage(req.ctx, { role: req.operator!.role, raw, errors: result.errors }));
    // A sede sees the document (the exact code); a remote request is anyone's: the omocodia family (R1).
    if (await hasLivePin(deps.db, result.value.codiceFiscale, req.operator!.role === 'sede' ? 'exact' : 'family')) {
      return reply.code(409).type('text/html').send(startPage(req.ctx, { role: req.operator!.role, raw, errors: {}, alreadyAssigned: result.value.codiceFiscale }));
    }
    const { id } = await deps.flows.create<'dati', { step1: Step1 }>(KIND, 'dati', { step1: result.value });
    reply.setCookie(COOKIE, id, deps.cookieOptions({ path: '/backoffice', sameSite: 'strict' }));
    return reply.redirect('/backoffice/richiesta/dati', 303);
  });

  async function flowOf(req: FastifyRequest) {
    const loaded = await deps.flows.load<'dati', { step1: Step1 }>(KIND, req.cookies[COOKIE]);
    return loaded.status === 'ok' ? loaded.flow : undefined;
  }

  app.get('/backoffice/richiesta/dati', guard, async (req, reply) => {
    const flow = await flowOf(req);
    if (!flow) return reply.redirect('/backoffice/richiesta', 303);
    return reply.type('text/html').send(step2Page(req.ctx, { step1: flow.data.step1, raw: {}, errors: {}, action: '/backoffice/richiesta/dati', crumbs: crumbs(req.ctx), extra: identification(req.ctx, req.operator!.role) }));
  });

  app.post('/backoffice/richiesta/dati', guard, async (req, reply) => {
    const { t } = req.ctx;
    const op = req.operator!;
    const flow = await flowOf(req);
    if (!flow) return reply.redirect('/backoffice/richiesta', 303);
    const raw = pickFields(req.body, STEP2_FIELDS);
    const action = (req.body as Record<string, unknown> | undefined)?.azione;
    if (action === 'aggiorna') return reply.type('text/html').send(step2Page(req.ctx, { step1: flow.data.step1, raw, errors: {}, action: '/backoffice/richiesta/dati', crumbs: crumbs(req.ctx), extra: identification(req.ctx, op.role) }));
    const result = validateStep2(t, flow.data.step1, raw, deps.now(), deps.config.messageQuotas.smsCountries);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const identified = body.identificato === 'si';
    const remote = op.role === 'contact-center' && body.remoto === 'si';
    const errors: FieldErrors = result.success ? {} : { ...result.errors };
    if (op.role === 'sede' && !identified) errors.identificato = t('error.bo.identified');
    if (remote && (!raw.cellulare || typeof body.documentoVisto !== 'string' || !/^[A-Za-z0-9 -]{4,20}$/.test(body.documentoVisto))) errors.remoto = t('error.bo.remote');
    if (!result.success || Object.keys(errors).length) {
      return reply.code(422).type('text/html').send(step2Page(req.ctx, { step1: flow.data.step1, raw, errors, action: '/backoffice/richiesta/dati', crumbs: crumbs(req.ctx), extra: identification(req.ctx, op.role, errors.identificato ?? errors.remoto) }));
    }
    if (remote) {
      // F7: nothing is issued nor sent until a supervisore approves and the delay passes.
      const pending = await requestRemoteIssue(deps, { data: result.value, locale: req.ctx.locale, identification: `video: documento ${String(body.documentoVisto).toUpperCase()}`, operatorId: op.id }, auditContextOf(req, `operator:${op.username}`, 'contact-center'));
      await deps.db.deleteFrom('flows').where('id_hash', '=', flow.idHash).execute();
      if (!pending.ok) return reply.code(409).type('text/html').send(startPage(req.ctx, { role: op.role, raw: {}, errors: {}, alreadyPending: true }));
      return reply.redirect(`/backoffice/richiesta?approvazione=${encodeURIComponent(pending.number)}`, 303);
    }
    const inPerson = op.role === 'sede';
    // Issue 12 F6: the first half by SMS (contact center) is an SMS code, counted first.
    if (!inPerson && result.value.cellulare) {
      const sms = await reserveSmsCode({ db: deps.db, box: deps.box, now: deps.now, quotas: deps.config.messageQuotas }, { cf: result.value.codiceFiscale, number: result.value.cellulare, flow: 'backoffice' }, auditContextOf(req, `operator:${op.username}`, 'backoffice'));
      if (!sms.ok) {
        const refused = { cellulare: smsRefusalMessage(t, sms.limit, deps.config.messageQuotas) };
        return reply.code(429).type('text/html').send(step2Page(req.ctx, { step1: flow.data.step1, raw, errors: refused, action: '/backoffice/richiesta/dati', crumbs: crumbs(req.ctx), extra: identification(req.ctx, op.role) }));
      }
    }
    const done = await requestPin(deps, result.value, { channel: inPerson ? 'sede' : 'contact-center', actor: `operator:${op.username}`, ip: req.ip, locale: req.ctx.locale, inPerson,
      identification: inPerson ? 'sportello: documento di identità verificato' : undefined });
    await deps.db.deleteFrom('flows').where('id_hash', '=', flow.idHash).execute();
    if (!done.ok && done.reason !== 'already_assigned') {
      // Issue 12 F1: a record made by SPID/CIE/CNS (only a sede issues it), or no residence in the registry.
      const error = done.reason === 'federated' ? t('req.federated') : t('req.noResidence');
      return reply.code(409).type('text/html').send(startPage(req.ctx, { role: op.role, raw: {}, errors: { codiceFiscale: error } }));
    }
    if (!done.ok) return reply.code(409).type('text/html').send(startPage(req.ctx, { role: op.role, raw: {}, errors: {}, alreadyAssigned: result.value.codiceFiscale }));
    if (inPerson && done.pin) {
      const pdf = await renderPinSheet(t, {
        istituto: deps.config.istituto.name, nome: result.value.nome, cognome: result.value.cognome, codiceFiscale: result.value.codiceFiscale,
        pin: done.pin, protocol: done.protocol, operator: op.username, date: formatRome(deps.now()).slice(0, 10),
      });
      return reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', `inline; filename="pin-${done.protocol}.pdf"`).send(pdf);
    }
    return reply.redirect(`/backoffice/richiesta?protocollo=${encodeURIComponent(done.protocol)}`, 303);
  });
}
