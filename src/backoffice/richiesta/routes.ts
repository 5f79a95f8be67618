import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatRome } from '../../domain/rome-time.js';
import { STEP1_FIELDS, STEP2_FIELDS, validateStep1, validateStep2 } from '../../flows/richiesta/form.js';
import { hasLivePin, requestPin } from '../../flows/richiesta/service.js';
import { reserveSmsCode, smsRefusalMessage } from '../../outbox/quotas.js';
import { auditContextOf } from '../../ui/audit-context.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { definePersistedFlow } from '../../ui/flow.js';
import { bodyValue, queryValue } from '../../ui/route.js';
import { pickFields } from '../../ui/validators.js';
import { operatorHandler, requireOperator } from '../accesso/guard.js';
import { requestRemoteIssue } from '../approvazioni/service.js';
import { renderPinSheet } from './pin-pdf.js';
import { forgetFlow } from './service.js';
import { dataPage, startPage } from './views.js';

/** What the operator's request keeps between its two steps: step 1 as validated. */
const RequestData = z.object({ step1: z.object({ codiceFiscale: z.string(), residenza: z.enum(['IT', 'EE']) }) });

/**
 * R5 and issue 5: operators request a PIN for a citizen through the same request service as the
 * web — the contact center for a caller (channel contact-center, halves by SMS/email and post), a
 * sede for a citizen at the counter (channel sede, the whole PIN printed at once, dispositivo).
 */
export function backofficeRichiestaRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps) };
  // The back office's cookies are same-site strict, this one too.
  const flows = definePersistedFlow(
    { flows: deps.flows, cookieOptions: (extra) => deps.cookieOptions({ ...extra, sameSite: 'strict' }) },
    { kind: 'bo-richiesta', cookie: 'varco_bo_richiesta', cookiePath: '/backoffice', states: ['dati'], data: RequestData },
  );

  app.get(
    '/backoffice/richiesta',
    guard,
    operatorHandler(async (req, reply, { operator }) => {
      const approvazione = queryValue(req, 'approvazione');
      const protocollo = queryValue(req, 'protocollo');
      const done =
        approvazione !== undefined
          ? req.ctx.t('bo.remote.done', { number: approvazione.slice(0, 20), hours: String(deps.config.remoteIssueDelayHours) })
          : protocollo !== undefined
            ? req.ctx.t('bo.new.done', { protocol: protocollo.slice(0, 20) })
            : undefined;
      return reply.type('text/html').send(startPage(req.ctx, { role: operator.role, raw: {}, errors: {}, done }));
    }),
  );

  app.post(
    '/backoffice/richiesta',
    guard,
    operatorHandler(async (req, reply, { operator }) => {
      const raw = pickFields(req.body, STEP1_FIELDS);
      const result = validateStep1(req.ctx.t, raw);
      if (!result.success)
        return reply
          .code(422)
          .type('text/html')
          .send(startPage(req.ctx, { role: operator.role, raw, errors: result.errors }));
      // A sede sees the document (the exact code); a remote request is anyone's: the omocodia family (R1).
      if (await hasLivePin(deps.db, result.value.codiceFiscale, operator.role === 'sede' ? 'exact' : 'family')) {
        return reply
          .code(409)
          .type('text/html')
          .send(startPage(req.ctx, { role: operator.role, raw, errors: {}, alreadyAssigned: result.value.codiceFiscale }));
      }
      await flows.start(reply, 'dati', { step1: result.value });
      return reply.redirect('/backoffice/richiesta/dati', 303);
    }),
  );

  async function flowOf(req: Parameters<typeof flows.load>[0]) {
    const loaded = await flows.load(req, ['dati']);
    return loaded.status === 'ok' ? loaded.flow : undefined;
  }

  app.get(
    '/backoffice/richiesta/dati',
    guard,
    operatorHandler(async (req, reply, { operator }) => {
      const flow = await flowOf(req);
      if (!flow) return reply.redirect('/backoffice/richiesta', 303);
      return reply.type('text/html').send(dataPage(req.ctx, operator.role, { step1: flow.data.step1, raw: {}, errors: {} }));
    }),
  );

  app.post(
    '/backoffice/richiesta/dati',
    guard,
    operatorHandler(async (req, reply, { operator: op }) => {
      const { t } = req.ctx;
      const flow = await flowOf(req);
      if (!flow) return reply.redirect('/backoffice/richiesta', 303);
      const { step1 } = flow.data;
      const raw = pickFields(req.body, STEP2_FIELDS);
      if (bodyValue(req, 'azione') === 'aggiorna') return reply.type('text/html').send(dataPage(req.ctx, op.role, { step1, raw, errors: {} }));
      const result = validateStep2(t, step1, raw, deps.now(), deps.config.messageQuotas.smsCountries);
      const identified = bodyValue(req, 'identificato') === 'si';
      const remote = op.role === 'contact-center' && bodyValue(req, 'remoto') === 'si';
      const documentoVisto = bodyValue(req, 'documentoVisto');
      const errors: FieldErrors = result.success ? {} : { ...result.errors };
      if (op.role === 'sede' && !identified) errors.identificato = t('error.bo.identified');
      if (remote && (!raw.cellulare || documentoVisto === undefined || !/^[A-Za-z0-9 -]{4,20}$/.test(documentoVisto))) errors.remoto = t('error.bo.remote');
      if (!result.success || Object.keys(errors).length) {
        return reply
          .code(422)
          .type('text/html')
          .send(dataPage(req.ctx, op.role, { step1, raw, errors, identificationError: errors.identificato ?? errors.remoto }));
      }
      if (remote) {
        // F7: nothing is issued nor sent until a supervisore approves and the delay passes.
        const pending = await requestRemoteIssue(
          deps,
          { data: result.value, locale: req.ctx.locale, identification: `video: documento ${String(documentoVisto).toUpperCase()}`, operatorId: op.id },
          auditContextOf(req, `operator:${op.username}`, 'contact-center'),
        );
        await forgetFlow(deps.db, flow.idHash);
        if (!pending.ok)
          return reply
            .code(409)
            .type('text/html')
            .send(startPage(req.ctx, { role: op.role, raw: {}, errors: {}, alreadyPending: true }));
        return reply.redirect(`/backoffice/richiesta?approvazione=${encodeURIComponent(pending.number)}`, 303);
      }
      const inPerson = op.role === 'sede';
      // Issue 12 F6: the first half by SMS (contact center) is an SMS code, counted first.
      if (!inPerson && result.value.cellulare) {
        const sms = await reserveSmsCode(
          { db: deps.db, box: deps.box, now: deps.now, quotas: deps.config.messageQuotas },
          { cf: result.value.codiceFiscale, number: result.value.cellulare, flow: 'backoffice' },
          auditContextOf(req, `operator:${op.username}`, 'backoffice'),
        );
        if (!sms.ok) {
          const refused = { cellulare: smsRefusalMessage(t, sms.limit, deps.config.messageQuotas) };
          return reply
            .code(429)
            .type('text/html')
            .send(dataPage(req.ctx, op.role, { step1, raw, errors: refused }));
        }
      }
      const done = await requestPin(deps, result.value, {
        channel: inPerson ? 'sede' : 'contact-center',
        actor: `operator:${op.username}`,
        ip: req.ip,
        locale: req.ctx.locale,
        inPerson,
        identification: inPerson ? 'sportello: documento di identità verificato' : undefined,
      });
      await forgetFlow(deps.db, flow.idHash);
      if (!done.ok && done.reason !== 'already_assigned') {
        // Issue 12 F1: a record made by SPID/CIE/CNS (only a sede issues it), or no residence in the registry.
        const error = done.reason === 'federated' ? t('req.federated') : t('req.noResidence');
        return reply
          .code(409)
          .type('text/html')
          .send(startPage(req.ctx, { role: op.role, raw: {}, errors: { codiceFiscale: error } }));
      }
      if (!done.ok)
        return reply
          .code(409)
          .type('text/html')
          .send(startPage(req.ctx, { role: op.role, raw: {}, errors: {}, alreadyAssigned: result.value.codiceFiscale }));
      if (inPerson && done.pin) {
        const pdf = await renderPinSheet(t, {
          istituto: deps.config.istituto.name,
          nome: result.value.nome,
          cognome: result.value.cognome,
          codiceFiscale: result.value.codiceFiscale,
          pin: done.pin,
          protocol: done.protocol,
          operator: op.username,
          date: formatRome(deps.now()).slice(0, 10),
        });
        return reply
          .type('application/pdf')
          .header('cache-control', 'no-store')
          .header('content-disposition', `inline; filename="pin-${done.protocol}.pdf"`)
          .send(pdf);
      }
      return reply.redirect(`/backoffice/richiesta?protocollo=${encodeURIComponent(done.protocol)}`, 303);
    }),
  );
}
