import type { FastifyInstance } from 'fastify';
import { DEFAULT_SMS_COUNTRIES, checkCellulare, normalizeEmail } from '../../domain/contacts.js';
import { smsRefusalMessage } from '../../outbox/quotas.js';
import type { Translate } from '../../i18n/index.js';
import { normalizePin } from '../../security/pin.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { cellulareError, checkCodiceFiscale, controlCharErrors, pickFields } from '../../ui/validators.js';
import { confirmRipristino, queueRipristino, type RipristinoRequest } from './service.js';
import { acceptedPage, confirmPage, lostPage, restoredPage, ripristinoPage } from './views.js';
import { auditContextOf } from '../../ui/audit-context.js';

/**
 * R13: Codice Fiscale and at least two contacts, each well-formed. A cellulare outside the SMS
 * allow-list is refused at the field (issue 12 F6): the citizen gives email and PEC instead.
 */
export function validateRipristino(
  t: Translate,
  raw: Record<string, string>,
  smsCountries: readonly string[] = DEFAULT_SMS_COUNTRIES,
): { value?: RipristinoRequest; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const codiceFiscale = checkCodiceFiscale(t, raw.codiceFiscale, errors);
  let cellulare: string | null = null;
  if (raw.cellulare) {
    const c = checkCellulare(raw.cellulare, smsCountries);
    if (c.ok) cellulare = c.e164;
    else errors.cellulare = cellulareError(t, c.error, t('field.cellulare'), smsCountries);
  }
  const mail = (field: 'email' | 'pec') => {
    if (!raw[field]) return null;
    const m = normalizeEmail(raw[field] ?? '');
    if (!m) errors[field] = t('error.email.format', { field: t(`field.${field}`) });
    return m ?? null;
  };
  const email = mail('email');
  const pec = mail('pec');
  controlCharErrors(t, raw, { cellulare: t('field.cellulare'), email: t('field.email'), pec: t('field.pec') }, errors);
  if ([raw.cellulare, raw.email, raw.pec].filter(Boolean).length < 2) errors.cellulare ??= t('error.rip.twoContacts');
  return Object.keys(errors).length ? { errors } : { value: { codiceFiscale, cellulare, email, pec }, errors };
}

export function ripristinoRoutes(app: FastifyInstance, deps: AppDeps): void {
  const limited = { preHandler: deps.rateLimitHook('ripristino') };
  const svc = {
    db: deps.db,
    box: deps.box,
    hasher: deps.hasher,
    now: deps.now,
    codeTtlMinutes: deps.config.ripristinoCodeTtlMinutes,
    publicUrl: deps.config.publicUrl,
    contactSecurity: deps.config.contactSecurity,
    quotas: deps.config.messageQuotas,
  };

  app.get('/pin/smarrito', async (req, reply) => reply.type('text/html').send(lostPage(req.ctx)));

  app.get('/pin/ripristino', async (req, reply) => reply.type('text/html').send(ripristinoPage(req.ctx, { raw: {}, errors: {} })));

  app.post('/pin/ripristino', limited, async (req, reply) => {
    const raw = pickFields(req.body, ['codiceFiscale', 'cellulare', 'email', 'pec']);
    const { value, errors } = validateRipristino(req.ctx.t, raw, deps.config.messageQuotas.smsCountries);
    if (!value) return reply.code(422).type('text/html').send(ripristinoPage(req.ctx, { raw, errors }));
    await queueRipristino(svc, value, auditContextOf(req));
    return reply.type('text/html').send(acceptedPage(req.ctx));
  });

  app.get('/pin/ripristino/conferma', async (req, reply) => reply.type('text/html').send(confirmPage(req.ctx, { errors: {} })));

  app.post('/pin/ripristino/conferma', limited, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['codiceFiscale', 'codice']);
    const errors: FieldErrors = {};
    const codiceFiscale = checkCodiceFiscale(t, raw.codiceFiscale, errors);
    if (!raw.codice) errors.codice = t('error.required', { field: t('rip.code') });
    controlCharErrors(t, raw, { codice: t('rip.code') }, errors);
    if (Object.keys(errors).length)
      return reply
        .code(422)
        .type('text/html')
        .send(confirmPage(req.ctx, { codiceFiscale: raw.codiceFiscale, errors }));
    const result = await confirmRipristino(svc, { codiceFiscale, code: normalizePin(raw.codice ?? '').slice(0, 16) }, auditContextOf(req));
    if (!result.ok && result.smsRefused)
      return reply
        .code(429)
        .type('text/html')
        .send(confirmPage(req.ctx, { codiceFiscale, errors: {}, smsRefused: smsRefusalMessage(t, result.smsRefused, deps.config.messageQuotas) }));
    if (!result.ok)
      return reply
        .code(422)
        .type('text/html')
        .send(confirmPage(req.ctx, { codiceFiscale, errors: {}, invalid: true }));
    return reply.type('text/html').send(restoredPage(req.ctx, result.contacts));
  });
}
