import type { FastifyInstance } from 'fastify';
import type { ContactKind } from '../../db/schema.js';
import { checkCellulare, normalizeEmail } from '../../domain/contacts.js';
import { reserveSmsCode, smsRefusalMessage } from '../../outbox/quotas.js';
import { requireSession } from '../../sessions/guard.js';
import type { AppDeps } from '../../web/deps.js';
import type { FieldErrors } from '../../web/forms.js';
import { cellulareError, pickFields } from '../richiesta/form.js';
import { CONTACT_CODE_TTL_MINUTES, confirmContactChange, requestContactChange } from './service.js';
import { contactsPage, verifyPage } from './views.js';
import { citizenAuditContextOf } from '../../web/audit-context.js';

const KINDS: readonly ContactKind[] = ['cellulare', 'email', 'pec'];

/** Issue 4 "Contacts": change cellulare, email or PEC, verified by a code sent to the new contact. */
export function recapitiRoutes(app: FastifyInstance, deps: AppDeps): void {
  // A semplificato session may not change contacts (R6).
  const guard = { preHandler: [requireSession(deps, { level: 'ordinario' }), deps.rateLimitHook('recapiti')] };
  const svc = { db: deps.db, box: deps.box, now: deps.now };

  app.get('/profilo/recapiti', guard, async (req, reply) => reply.type('text/html').send(contactsPage(req.ctx, { raw: {}, errors: {} })));

  app.post('/profilo/recapiti', guard, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['tipo', 'valore']);
    const errors: FieldErrors = {};
    const kind = KINDS.includes(raw.tipo as ContactKind) ? (raw.tipo as ContactKind) : undefined;
    if (!kind) errors.tipo = t('error.contacts.kind');
    let value: string | undefined;
    if (!raw.valore) errors.valore = t('error.required', { field: t('contacts.newValue') });
    else if (kind === 'cellulare') {
      const c = checkCellulare(raw.valore, deps.config.messageQuotas.smsCountries);
      if (c.ok) value = c.e164;
      else errors.valore = cellulareError(t, c.error, t('field.cellulare'), deps.config.messageQuotas.smsCountries);
    } else if (kind) {
      value = normalizeEmail(raw.valore);
      if (!value) errors.valore = t('error.email.format', { field: t(`field.${kind}`) });
    }
    if (kind && value) {
      const current = await deps.db.selectFrom('citizens').select([kind]).where('id', '=', req.session!.citizenId).executeTakeFirstOrThrow();
      if ((current as Record<string, string | null>)[kind] === value) errors.valore = t('error.contacts.same');
    }
    if (Object.keys(errors).length || !kind || !value) return reply.code(422).type('text/html').send(contactsPage(req.ctx, { raw, errors }));
    // Issue 12 F6: the code to a new cellulare is an SMS code, counted first.
    if (kind === 'cellulare') {
      const sms = await reserveSmsCode({ db: deps.db, box: deps.box, now: deps.now, quotas: deps.config.messageQuotas }, { cf: req.citizen!.codiceFiscale, number: value, flow: 'recapiti' }, citizenAuditContextOf(req));
      if (!sms.ok) return reply.code(429).type('text/html').send(contactsPage(req.ctx, { raw, errors: { valore: smsRefusalMessage(t, sms.limit, deps.config.messageQuotas) } }));
    }
    await requestContactChange(svc, req.session!.citizenId, kind, value, citizenAuditContextOf(req));
    return reply.redirect('/profilo/recapiti/verifica', 303);
  });

  const pendingTo = async (citizenId: string) =>
    deps.db.selectFrom('contact_changes').select('new_value').where('citizen_id', '=', citizenId).where('used_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirst();

  app.get('/profilo/recapiti/verifica', guard, async (req, reply) => {
    const pending = await pendingTo(req.session!.citizenId);
    if (!pending) return reply.redirect('/profilo/recapiti', 303);
    return reply.type('text/html').send(verifyPage(req.ctx, { to: pending.new_value, minutes: CONTACT_CODE_TTL_MINUTES, errors: {} }));
  });

  app.post('/profilo/recapiti/verifica', guard, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['codice']);
    const pending = await pendingTo(req.session!.citizenId);
    if (!raw.codice) return reply.code(422).type('text/html').send(verifyPage(req.ctx, { to: pending?.new_value ?? '', minutes: CONTACT_CODE_TTL_MINUTES, errors: { codice: t('error.required', { field: t('contacts.code') }) } }));
    const result = await confirmContactChange(svc, req.session!.citizenId, raw.codice.slice(0, 16), citizenAuditContextOf(req));
    if (!result.ok) return reply.code(422).type('text/html').send(verifyPage(req.ctx, { to: pending?.new_value ?? '', minutes: CONTACT_CODE_TTL_MINUTES, invalid: true, errors: {} }));
    return reply.redirect('/profilo?recapito=aggiornato', 303);
  });
}
