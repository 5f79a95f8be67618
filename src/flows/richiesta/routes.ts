import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import type { MessageKey } from '../../i18n/index.js';
import type { Flow } from '../../sessions/flow-store.js';
import { z } from 'zod';
import { STEP1_FIELDS, STEP2_FIELDS, pinRequestDataSchema, step1Schema, validateStep1, validateStep2 } from './form.js';
import { type RawForm, pickFields } from '../../ui/validators.js';
import { anonymousRequestPolicy, requestPin } from './service.js';
import { r1Gate } from './oracle.js';
import { donePage, noResidencePage, step1Page, step2Page, summaryPage } from './views.js';
import { consumeCaptcha, createCaptcha } from '../../security/captcha.js';
import { confirmStop, letterQuotaPage, lettersStop } from './quotas.js';
import { audit } from '../../audit/events.js';
import { auditContextOf } from '../../ui/audit-context.js';
import { definePersistedFlow } from '../../ui/flow.js';
import { bodyValue, queryValue } from '../../ui/route.js';

/**
 * The request flow (R1–R5), one state machine persisted in `flows`:
 *   dati ──avanti──▶ riepilogo ──conferma──▶ completato
 *     ▲                 │
 *     └────indietro─────┘
 * Step 1 (codice fiscale + residenza) creates the flow. Each page accepts only its states;
 * any other state is sent to its own page, and a missing or expired flow back to step 1.
 */
const STATES = ['dati', 'riepilogo', 'completato'] as const;
type State = (typeof STATES)[number];
/** The flow's data, as it comes back from its JSON column. */
const DATA = z.object({
  step1: step1Schema,
  raw: z.record(z.string()),
  request: pinRequestDataSchema.optional(),
  done: z
    .object({
      protocol: z.string(),
      cellulare: z.string().nullable(),
      email: z.string().nullable(),
      pec: z.string().nullable(),
      letter: z.enum(['registry', 'typed', 'none']).optional(),
    })
    .optional(),
});
type Data = z.infer<typeof DATA>;

/** The first step's fields, with the Codice di Controllo it asks for past the R1 limits (F13). */
const STEP1_FORM = [...STEP1_FIELDS, 'captcha', 'captchaId', 'azione'] as const;

/**
 * Issue 13: what the citizen typed in the form, as their own browser posted it. When the flow has
 * expired it is written back into the page that answers that very POST (hidden fields of step 1),
 * and comes back prefilled on the fresh flow: it never rests on the server under a key another
 * browser could present, and nothing secret is in it (the form has no PIN or code).
 */
function carriedFields(body: unknown): RawForm {
  const raw = pickFields(body, STEP2_FIELDS);
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => [k, v.slice(0, 254)]),
  );
}
const PAGE_OF: Record<State, string> = { dati: '/pin/richiesta/dati', riepilogo: '/pin/richiesta/riepilogo', completato: '/pin/richiesta/esito' };

export function richiestaRoutes(app: FastifyInstance, deps: AppDeps): void {
  const limited = { preHandler: deps.rateLimitHook('richiesta') };
  const gate = r1Gate(deps.db, deps.config.r1Oracle);
  const captchaFor = () => createCaptcha(deps.db, deps.box, 'image', deps.now());

  const flows = definePersistedFlow<State, Data>(deps, {
    kind: 'richiesta',
    cookie: 'varco_richiesta',
    cookiePath: '/pin/richiesta',
    states: STATES,
    data: DATA,
    pageOf: PAGE_OF,
  });

  /** The flow back at the form of the second step, shown with what was typed and what is wrong with it. */
  async function backToStep2(req: FastifyRequest, reply: FastifyReply, flow: Flow<State, Data>, o: { code: number; raw: RawForm; errors: FieldErrors }) {
    flow.state = 'dati';
    await flows.save(flow);
    return reply
      .code(o.code)
      .type('text/html')
      .send(step2Page(req.ctx, { step1: flow.data.step1, raw: o.raw, errors: o.errors }));
  }

  /** The flow in one of `allowed`; any other state is sent to its page, a missing or expired flow to step 1. */
  async function loadFlow(req: FastifyRequest, reply: FastifyReply, allowed: readonly State[], posted?: RawForm): Promise<Flow<State, Data> | undefined> {
    return flows.loadOr(req, reply, allowed, async (why) => {
      // Issue 13: a form posted after the flow expired keeps what it carried, on the first step.
      if (posted && Object.keys(posted).length) {
        const captcha = (await gate.codeRequired(req.ip, deps.now())) ? await captchaFor() : undefined;
        return reply
          .code(409)
          .type('text/html')
          .send(step1Page(req.ctx, { raw: { residenza: posted.paeseResidenza ? 'EE' : 'IT' }, errors: {}, notice: 'req.expiredKept', captcha, carry: posted }));
      }
      return reply.redirect(`/pin/richiesta?avviso=${why === 'expired' ? 'scaduta' : 'assente'}`, 303);
    });
  }

  // A Map, not an object: `?avviso=__proto__` must find nothing (outside review of issue 14).
  const notices = new Map<string, MessageKey>([
    ['scaduta', 'req.expired'],
    ['passo', 'req.outOfOrder'],
  ]);
  const noticeOf = (req: FastifyRequest) => notices.get(queryValue(req, 'avviso') ?? '');

  app.get('/pin/richiesta', limited, async (req, reply) => {
    const captcha = (await gate.codeRequired(req.ip, deps.now())) ? await captchaFor() : undefined;
    return reply.type('text/html').send(step1Page(req.ctx, { raw: { residenza: 'IT' }, errors: {}, notice: noticeOf(req), captcha }));
  });

  app.post('/pin/richiesta', limited, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, STEP1_FORM);
    const form = { codiceFiscale: raw.codiceFiscale ?? '', residenza: raw.residenza ?? '' };
    const carry = carriedFields(req.body);
    const now = deps.now();
    const required = await gate.codeRequired(req.ip, now);
    // "generarne uno nuovo": the same step with a new code.
    if (required && raw.azione === 'nuovo') {
      return reply.type('text/html').send(step1Page(req.ctx, { raw: form, errors: {}, captcha: await captchaFor(), carry }));
    }
    const result = validateStep1(t, raw);
    if (!result.success) {
      return reply
        .code(422)
        .type('text/html')
        .send(step1Page(req.ctx, { raw: form, errors: result.errors, captcha: required ? await captchaFor() : undefined, carry }));
    }
    // F13: past the R1 limits the answer waits for a Codice di Controllo (used up by every attempt).
    if (required) {
      const typed = Boolean(raw.captchaId);
      const ok = typed && (await consumeCaptcha(deps.db, deps.box, raw.captchaId ?? '', raw.captcha ?? '', now));
      if (!ok) {
        if (typed) await audit.requestCodeFailed(deps.db, auditContextOf(req));
        else await audit.requestCodeRequired(deps.db, auditContextOf(req), required);
        return reply
          .code(422)
          .type('text/html')
          .send(step1Page(req.ctx, { raw: form, errors: { captcha: typed ? t('error.captcha') : t('req.code.lead') }, captcha: await captchaFor(), carry }));
      }
    }
    await gate.count(req.ip, now);
    // R1: a CF that already holds a PIN stops here, pointing to ripristino; issue 12 F1: so does a
    // record made by SPID/CIE/CNS (its PIN comes from its own session or a sede). Both answers
    // are the same kind of oracle, counted and gated alike (F13).
    const policy = await anonymousRequestPolicy(deps.db, result.value.codiceFiscale);
    if (policy === 'already_assigned' || policy === 'federated') {
      await audit.pinRequestRefused(deps.db, auditContextOf(req), result.value.codiceFiscale, policy);
      return reply
        .code(409)
        .type('text/html')
        .send(
          step1Page(req.ctx, { raw: form, errors: {}, ...(policy === 'federated' ? { federated: true } : { alreadyAssigned: result.value.codiceFiscale }) }),
        );
    }
    // Issue 12 F6: past the letters of the window, a sede instead.
    if (await lettersStop(deps, req, result.value.codiceFiscale)) return reply.code(429).type('text/html').send(letterQuotaPage(req.ctx));
    await flows.start(reply, 'dati', { step1: result.value, raw: carry });
    return reply.redirect(PAGE_OF.dati, 303);
  });

  app.get('/pin/richiesta/dati', limited, async (req, reply) => {
    const flow = await loadFlow(req, reply, ['dati', 'riepilogo']);
    if (!flow) return reply;
    return reply.type('text/html').send(step2Page(req.ctx, { step1: flow.data.step1, raw: flow.data.raw, errors: {} }));
  });

  app.post('/pin/richiesta/dati', limited, async (req, reply) => {
    const flow = await loadFlow(req, reply, ['dati', 'riepilogo'], carriedFields(req.body));
    if (!flow) return reply;
    const raw = pickFields(req.body, STEP2_FIELDS);
    const action = bodyValue(req, 'azione');
    if (action === 'aggiorna') {
      // Without JavaScript: re-render with the comuni of the chosen provinces, keeping what was typed.
      flow.data.raw = raw;
      return backToStep2(req, reply, flow, { code: 200, raw, errors: {} });
    }
    const result = validateStep2(req.ctx.t, flow.data.step1, raw, new Date(), deps.config.messageQuotas.smsCountries);
    flow.data.raw = raw;
    if (!result.success) return backToStep2(req, reply, flow, { code: 422, raw, errors: result.errors });
    flow.state = 'riepilogo';
    flow.data.request = result.value;
    await flows.save(flow);
    return reply.redirect(PAGE_OF.riepilogo, 303);
  });

  app.get('/pin/richiesta/riepilogo', limited, async (req, reply) => {
    const flow = await loadFlow(req, reply, ['riepilogo']);
    if (!flow?.data.request) return reply;
    return reply.type('text/html').send(summaryPage(req.ctx, flow.data.request, flow.data.raw));
  });

  app.post('/pin/richiesta/riepilogo', limited, async (req, reply) => {
    const flow = await loadFlow(req, reply, ['riepilogo'], carriedFields(req.body));
    if (!flow?.data.request) return reply;
    const action = bodyValue(req, 'azione');
    if (action !== 'conferma') {
      flow.state = 'dati';
      await flows.save(flow);
      return reply.redirect(PAGE_OF.dati, 303);
    }
    // Re-check the stored data: the dataset or the clock may have moved since the form step.
    const recheck = validateStep2(req.ctx.t, flow.data.step1, flow.data.raw, new Date(), deps.config.messageQuotas.smsCountries);
    if (!recheck.success) return backToStep2(req, reply, flow, { code: 422, raw: flow.data.raw, errors: recheck.errors });
    // Issue 12 F6: the letter quota again, and the first half's SMS counted before it is sent.
    const stop = await confirmStop(deps, req, recheck.value);
    if (stop?.kind === 'letters') return reply.code(429).type('text/html').send(letterQuotaPage(req.ctx));
    if (stop?.kind === 'sms') {
      // A double click: the first CONFERMA counted the SMS and may be completing this very flow.
      if (!(await flows.advance(flow, 'dati'))) return reply.redirect(PAGE_OF.completato, 303);
      return reply
        .code(429)
        .type('text/html')
        .send(step2Page(req.ctx, { step1: flow.data.step1, raw: flow.data.raw, errors: stop.errors }));
    }
    const r = recheck.value;
    // The citizen's data leaves the flow row once the request exists; the confirmation is stored in
    // the request's own transaction, so a retry after a lost answer shows it (never "ha già un PIN").
    const result = await requestPin(deps, r, { channel: 'web', actor: `citizen:${r.codiceFiscale}`, ip: req.ip, locale: req.ctx.locale }, (trx, done) =>
      flows.save(
        {
          ...flow,
          state: 'completato',
          data: { step1: flow.data.step1, raw: {}, done: { protocol: done.protocol, cellulare: r.cellulare, email: r.email, pec: r.pec, letter: done.letter } },
        },
        trx,
      ),
    );
    if (!result.ok) {
      // A double click on CONFERMA: the first submission may have completed this very flow.
      const again = await flows.load(req);
      if (again.status === 'ok' && again.flow.data.done) return reply.redirect(PAGE_OF.completato, 303);
      await flows.save({ ...flow, state: 'completato', data: { step1: flow.data.step1, raw: {} } });
      // Issue 12 F1: no residence in the registry — a sede, a consulate or a patronato completes it.
      if (result.reason === 'no_residence') return reply.code(409).type('text/html').send(noResidencePage(req.ctx));
      const refusal = result.reason === 'federated' ? { federated: true } : { alreadyAssigned: recheck.value.codiceFiscale };
      return reply
        .code(409)
        .type('text/html')
        .send(step1Page(req.ctx, { raw: { ...flow.data.step1 }, errors: {}, ...refusal }));
    }
    return reply.redirect(PAGE_OF.completato, 303);
  });

  app.get('/pin/richiesta/esito', limited, async (req, reply) => {
    const flow = await loadFlow(req, reply, ['completato']);
    if (!flow) return reply;
    if (!flow.data.done) return reply.redirect('/pin/richiesta', 303);
    return reply.type('text/html').send(donePage(req.ctx, flow.data.done));
  });
}
