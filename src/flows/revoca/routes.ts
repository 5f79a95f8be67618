import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeEmail, parseItalianDate } from '../../domain/contacts.js';
import { type Captcha, captchaPng, captchaPrompt, consumeCaptcha, createCaptcha, liveCaptcha } from '../../security/captcha.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { checkCodiceFiscale, controlCharErrors, pickFields } from '../../ui/validators.js';
import { checkRevoca, completeRevoca, findRevocaToken, type RevocaRequest, requestControlCode, requestRevoca, revocaRequestSchema } from './service.js';
import { normalizeNumeroTessera, tableTesseraRegistry } from './tessere.js';
import { revocaCompletePage, revocaConfirmPage, revocaPage, revocaSentPage } from './views.js';
import { auditContextOf } from '../../ui/audit-context.js';
import { audit } from '../../audit/events.js';
import { definePersistedFlow } from '../../ui/flow.js';
import { bodyValue, queryValue } from '../../ui/route.js';

/** The rate limit's refusal (the limit hook throws it). */
function isTooManyRequests(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 429;
}

/** R14's flow: the confirmation page, then the link sent. */
const STATES = ['conferma', 'inviata'] as const;
const FIELDS = ['codiceFiscale', 'numeroTessera', 'scadenzaTessera', 'email', 'pec', 'captcha', 'captchaId', 'azione'] as const;
/** F8: requests for a Codice di Controllo by email/PEC per client IP, as a share of the page limit. */
const CONTROL_CODE_IP_FACTOR = 0.2;

/** R14: Revoca del PIN — form with the tessera sanitaria and the Codice di Controllo, confirmation, link by email, completion. */
export function revocaRoutes(app: FastifyInstance, deps: AppDeps): void {
  const limited = { preHandler: deps.rateLimitHook('revoca') };
  const flows = definePersistedFlow(deps, { kind: 'revoca', cookie: 'varco_revoca', cookiePath: '/pin/revoca', states: STATES, data: revocaRequestSchema });
  const svc = { db: deps.db, box: deps.box, tessere: tableTesseraRegistry(deps.db), now: deps.now, publicUrl: deps.config.publicUrl };
  const codeLimit = deps.rateLimitHook('revoca-controllo', CONTROL_CODE_IP_FACTOR);
  const render = async (req: FastifyRequest, raw: Record<string, string>, errors: FieldErrors, captcha?: Captcha) =>
    revocaPage(req.ctx, { raw: { ...raw, captcha: '' }, errors, captcha: captcha ?? (await createCaptcha(deps.db, deps.box, 'image', deps.now())) });

  app.get('/pin/revoca', async (req, reply) => reply.type('text/html').send(await render(req, {}, {})));

  app.get<{ Params: { file: string } }>('/pin/revoca/controllo/:file', async (req, reply) => {
    const id = req.params.file.replace(/\.png$/, '');
    const prompt = await captchaPrompt(deps.db, deps.box, id, deps.now());
    if (!prompt) return reply.callNotFound();
    return reply.type('image/png').header('cache-control', 'no-store').send(captchaPng(prompt.prompt));
  });

  /** The user's data, checked (the revoca and the request for a Codice di Controllo by email/PEC). */
  function checkFields(req: FastifyRequest, raw: Record<string, string>, errors: FieldErrors, withTessera: boolean) {
    const { t } = req.ctx;
    const codiceFiscale = checkCodiceFiscale(t, raw.codiceFiscale, errors);
    const numeroTessera = normalizeNumeroTessera(raw.numeroTessera ?? '');
    const scadenzaTessera = parseItalianDate(raw.scadenzaTessera ?? '');
    if (withTessera) {
      if (!raw.numeroTessera) errors.numeroTessera = t('error.required', { field: t('field.numeroTessera') });
      else if (!numeroTessera) errors.numeroTessera = t('error.tessera.numero');
      if (!raw.scadenzaTessera) errors.scadenzaTessera = t('error.required', { field: t('field.scadenzaTessera') });
      else if (!scadenzaTessera) errors.scadenzaTessera = `${t('field.scadenzaTessera')}: ${t('req.dateHint')}`;
    }
    const email = raw.email ? normalizeEmail(raw.email) : undefined;
    const pec = raw.pec ? normalizeEmail(raw.pec) : undefined;
    if (raw.email && !email) errors.email = t('error.email.format', { field: t('field.email') });
    if (raw.pec && !pec) errors.pec = t('error.email.format', { field: t('field.pec') });
    if (!raw.email && !raw.pec) errors.email = t('error.rev.emailOrPec');
    controlCharErrors(
      t,
      raw,
      { numeroTessera: t('field.numeroTessera'), scadenzaTessera: t('field.scadenzaTessera'), email: t('field.email'), pec: t('field.pec') },
      errors,
    );
    const contact = email ? { channel: 'email' as const, to: email } : pec ? { channel: 'pec' as const, to: pec } : undefined;
    /** The revoca asked, when every part of it is there (withTessera, and no error). */
    const request: RevocaRequest | undefined =
      numeroTessera && scadenzaTessera && contact ? { codiceFiscale, numeroTessera, scadenzaTessera, contact } : undefined;
    return { codiceFiscale, email, pec, request };
  }

  /**
   * F8: "Ricevi il codice per email o PEC". Limited per client IP and per codice fiscale; the page
   * says the same whether or not the address typed is the one on record.
   */
  async function askControlCode(req: FastifyRequest, reply: FastifyReply, raw: Record<string, string>) {
    const { t } = req.ctx;
    const errors: FieldErrors = {};
    const { codiceFiscale, email, pec } = checkFields(req, raw, errors, false);
    if (Object.keys(errors).length)
      return reply
        .code(422)
        .type('text/html')
        .send(await render(req, raw, errors));
    const limited = async () =>
      reply
        .code(429)
        .type('text/html')
        .send(await render(req, raw, { captcha: t('error.rev.codeLimit') }));
    try {
      await codeLimit.call(app, req, reply);
    } catch (error) {
      if (isTooManyRequests(error)) return limited();
      throw error;
    }
    const result = await requestControlCode(
      { ...svc, controlCodesPerCfDay: deps.config.controlCodesPerCfDay },
      codiceFiscale,
      { email, pec },
      auditContextOf(req),
    );
    if (result.status === 'limited') return limited();
    return reply.type('text/html').send(await render(req, raw, {}, result.captcha));
  }

  app.post('/pin/revoca', limited, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, FIELDS);
    if (raw.azione === 'nuovo' || raw.azione === 'immagine') return reply.type('text/html').send(await render(req, raw, {}));
    if (raw.azione === 'codice') return askControlCode(req, reply, raw);
    const errors: FieldErrors = {};
    const { codiceFiscale, request } = checkFields(req, raw, errors, true);
    const current = await liveCaptcha(deps.db, raw.captchaId ?? '', deps.now());
    // A mailed code is checked once the fields are right (a typo elsewhere costs no try);
    // an image is used up by every attempt, right or wrong (R12: no robots).
    if (current?.kind === 'email' && Object.keys(errors).length)
      return reply
        .code(422)
        .type('text/html')
        .send(await render(req, raw, errors, current));
    const captchaOk = await consumeCaptcha(
      deps.db,
      deps.box,
      raw.captchaId ?? '',
      raw.captcha ?? '',
      deps.now(),
      current?.kind === 'email' ? codiceFiscale : undefined,
    );
    if (!captchaOk) errors.captcha = t(current?.kind === 'email' ? 'error.captcha.mailed' : 'error.captcha');
    controlCharErrors(t, raw, { captcha: t(current?.kind === 'email' ? 'rev.captchaMailType' : 'rev.captchaType') }, errors);
    if (Object.keys(errors).length || !request) {
      if (!captchaOk && Object.keys(errors).length === 1) await audit.revocaRefused(deps.db, auditContextOf(req), codiceFiscale, 'captcha');
      const again = current?.kind === 'email' ? await liveCaptcha(deps.db, current.id, deps.now()) : undefined;
      return reply
        .code(422)
        .type('text/html')
        .send(await render(req, raw, errors, again));
    }
    const check = await checkRevoca(svc, request, auditContextOf(req));
    if (check !== 'ok') {
      const message: FieldErrors = check === 'tessera_mismatch' ? { numeroTessera: t('error.tessera.mismatch') } : { codiceFiscale: t('error.rev.noPin') };
      return reply
        .code(422)
        .type('text/html')
        .send(await render(req, raw, message));
    }
    await flows.start(reply, 'conferma', request);
    return reply.redirect('/pin/revoca/conferma', 303);
  });

  app.get('/pin/revoca/conferma', async (req, reply) => {
    const loaded = await flows.load(req);
    if (loaded.status !== 'ok') return reply.redirect('/pin/revoca', 303);
    return reply.type('text/html').send(revocaConfirmPage(req.ctx, loaded.flow.data));
  });

  app.post('/pin/revoca/conferma', limited, async (req, reply) => {
    const loaded = await flows.load(req, ['conferma']);
    if (loaded.status !== 'ok') return reply.redirect('/pin/revoca', 303);
    const action = bodyValue(req, 'azione');
    if (action !== 'conferma') return reply.redirect('/pin/revoca', 303);
    const result = await requestRevoca(svc, loaded.flow.data, auditContextOf(req));
    await flows.save({ ...loaded.flow, state: 'inviata' });
    if (result !== 'ok') return reply.redirect('/pin/revoca', 303);
    return reply.type('text/html').send(revocaSentPage(req.ctx, loaded.flow.data.contact.to));
  });

  app.get('/pin/revoca/completa', async (req, reply) => {
    const token = queryValue(req, 't') ?? '';
    const found = await findRevocaToken(svc, token);
    return reply.type('text/html').send(revocaCompletePage(req.ctx, found ? { token } : { invalid: true }));
  });

  app.post('/pin/revoca/completa', limited, async (req, reply) => {
    const token = pickFields(req.body, ['t']).t ?? '';
    const done = await completeRevoca(svc, token, auditContextOf(req));
    return reply
      .code(done ? 200 : 422)
      .type('text/html')
      .send(revocaCompletePage(req.ctx, done ? { done: true } : { invalid: true }));
  });
}
