import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalizeEmail, parseItalianDate } from '../../domain/contacts.js';
import { captchaPng, captchaPrompt, consumeCaptcha, createCaptcha } from '../../security/captcha.js';
import type { AppDeps } from '../../web/deps.js';
import type { FieldErrors } from '../../web/forms.js';
import { checkCodiceFiscale, pickFields } from '../richiesta/form.js';
import { checkRevoca, completeRevoca, findRevocaToken, type RevocaRequest, requestRevoca } from './service.js';
import { normalizeNumeroTessera, tableTesseraRegistry } from './tessere.js';
import { revocaCompletePage, revocaConfirmPage, revocaPage, revocaSentPage } from './views.js';
import { auditContextOf } from '../../web/audit-context.js';
import { audit } from '../../audit/events.js';

const KIND = 'revoca';
const COOKIE = 'varco_revoca';
const FIELDS = ['codiceFiscale', 'numeroTessera', 'scadenzaTessera', 'email', 'pec', 'captcha', 'captchaId', 'captchaKind', 'azione'] as const;

/** R14: Revoca del PIN — form with the tessera sanitaria and the Codice di Controllo, confirmation, link by email, completion. */
export function revocaRoutes(app: FastifyInstance, deps: AppDeps): void {
  const limited = { preHandler: deps.rateLimitHook('revoca') };
  const svc = { db: deps.db, box: deps.box, tessere: tableTesseraRegistry(deps.db), now: deps.now, publicUrl: deps.config.publicUrl };
  const render = async (req: FastifyRequest, raw: Record<string, string>, errors: FieldErrors, kind: 'image' | 'text' = 'image') =>
    revocaPage(req.ctx, { raw: { ...raw, captcha: '' }, errors, captcha: await createCaptcha(deps.db, deps.box, kind, deps.now()) });

  app.get('/pin/revoca', async (req, reply) => reply.type('text/html').send(await render(req, {}, {})));

  app.get('/pin/revoca/controllo/:file', async (req, reply) => {
    const id = (req.params as { file: string }).file.replace(/\.png$/, '');
    const prompt = await captchaPrompt(deps.db, deps.box, id, deps.now());
    if (!prompt || prompt.kind !== 'image') return reply.callNotFound();
    return reply.type('image/png').header('cache-control', 'no-store').send(captchaPng(prompt.prompt));
  });

  app.post('/pin/revoca', limited, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, FIELDS);
    if (raw.azione === 'nuovo' || raw.azione === 'domanda' || raw.azione === 'immagine') {
      return reply.type('text/html').send(await render(req, raw, {}, raw.azione === 'domanda' ? 'text' : 'image'));
    }
    const errors: FieldErrors = {};
    const codiceFiscale = checkCodiceFiscale(t, raw.codiceFiscale, errors);
    const numeroTessera = normalizeNumeroTessera(raw.numeroTessera ?? '');
    if (!raw.numeroTessera) errors.numeroTessera = t('error.required', { field: t('field.numeroTessera') });
    else if (!numeroTessera) errors.numeroTessera = t('error.tessera.numero');
    const scadenzaTessera = parseItalianDate(raw.scadenzaTessera ?? '');
    if (!raw.scadenzaTessera) errors.scadenzaTessera = t('error.required', { field: t('field.scadenzaTessera') });
    else if (!scadenzaTessera) errors.scadenzaTessera = `${t('field.scadenzaTessera')}: ${t('req.dateHint')}`;
    const email = raw.email ? normalizeEmail(raw.email) : undefined;
    const pec = raw.pec ? normalizeEmail(raw.pec) : undefined;
    if (raw.email && !email) errors.email = t('error.email.format', { field: t('field.email') });
    if (raw.pec && !pec) errors.pec = t('error.email.format', { field: t('field.pec') });
    if (!raw.email && !raw.pec) errors.email = t('error.rev.emailOrPec');
    // The Codice di Controllo is used up by every attempt, right or wrong (R12: no robots).
    const captchaOk = await consumeCaptcha(deps.db, deps.box, raw.captchaId ?? '', raw.captcha ?? '', deps.now());
    if (!captchaOk) errors.captcha = t('error.captcha');
    const kind = raw.captchaKind === 'text' ? 'text' : 'image';
    if (Object.keys(errors).length) {
      if (!captchaOk && Object.keys(errors).length === 1) await audit.revocaRefused(deps.db, auditContextOf(req), codiceFiscale, 'captcha');
      return reply.code(422).type('text/html').send(await render(req, raw, errors, kind));
    }
    const request: RevocaRequest = { codiceFiscale, numeroTessera: numeroTessera!, scadenzaTessera: scadenzaTessera!, contact: email ? { channel: 'email', to: email } : { channel: 'pec', to: pec! } };
    const check = await checkRevoca(svc, request, auditContextOf(req));
    if (check !== 'ok') {
      const message: FieldErrors = check === 'tessera_mismatch' ? { numeroTessera: t('error.tessera.mismatch') } : { codiceFiscale: t('error.rev.noPin') };
      return reply.code(422).type('text/html').send(await render(req, raw, message, kind));
    }
    const { id } = await deps.flows.create(KIND, 'conferma', request);
    reply.setCookie(COOKIE, id, deps.cookieOptions({ path: '/pin/revoca' }));
    return reply.redirect('/pin/revoca/conferma', 303);
  });

  app.get('/pin/revoca/conferma', async (req, reply) => {
    const loaded = await deps.flows.load<'conferma', RevocaRequest>(KIND, req.cookies[COOKIE]);
    if (loaded.status !== 'ok') return reply.redirect('/pin/revoca', 303);
    return reply.type('text/html').send(revocaConfirmPage(req.ctx, loaded.flow.data));
  });

  app.post('/pin/revoca/conferma', limited, async (req, reply) => {
    const loaded = await deps.flows.load<'conferma' | 'inviata', RevocaRequest>(KIND, req.cookies[COOKIE]);
    if (loaded.status !== 'ok' || loaded.flow.state !== 'conferma') return reply.redirect('/pin/revoca', 303);
    const action = (req.body as Record<string, unknown> | undefined)?.azione;
    if (action !== 'conferma') return reply.redirect('/pin/revoca', 303);
    const result = await requestRevoca(svc, loaded.flow.data, auditContextOf(req));
    await deps.flows.save({ ...loaded.flow, state: 'inviata' });
    if (result !== 'ok') return reply.redirect('/pin/revoca', 303);
    return reply.type('text/html').send(revocaSentPage(req.ctx, loaded.flow.data.contact.to));
  });

  app.get('/pin/revoca/completa', async (req, reply) => {
    const token = String((req.query as Record<string, unknown>).t ?? '');
    const found = await findRevocaToken(svc, token);
    return reply.type('text/html').send(revocaCompletePage(req.ctx, found ? { token } : { invalid: true }));
  });

  app.post('/pin/revoca/completa', limited, async (req, reply) => {
    const token = pickFields(req.body, ['t']).t ?? '';
    const done = await completeRevoca(svc, token, auditContextOf(req));
    return reply.code(done ? 200 : 422).type('text/html').send(revocaCompletePage(req.ctx, done ? { done: true } : { invalid: true }));
  });
}
