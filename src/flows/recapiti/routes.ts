import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../../audit/events.js';
import type { AuthMethod, ContactKind } from '../../db/schema.js';
import { checkCellulare, normalizeEmail } from '../../domain/contacts.js';
import { formatRome } from '../../domain/rome-time.js';
import { reserveSmsCode, smsRefusalMessage } from '../../outbox/quotas.js';
import { requireSession } from '../../ui/guard.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { cellulareError, controlCharErrors, pickFields } from '../../ui/validators.js';
import { TYPED_PIN_LENGTHS, readPin } from '../../security/pin.js';
import { PIN_CHECK_BUCKET, checkCitizenPin, pinInputMessage } from '../accesso/pin-check.js';
import { contactChangeProof } from './history.js';
import { CONTACT_CODE_TTL_MINUTES, confirmContactChange, requestContactChange } from './service.js';
import { CONTACTS_PATH, contactsPage, loginAgainPage, verifyPage } from './views.js';
import { citizenHandler } from '../../ui/route.js';
import { codeVerifyRoutes } from '../../ui/code-routes.js';

const KINDS: readonly ContactKind[] = ['cellulare', 'email', 'pec'];

/**
 * Issue 4 "Contacts": change cellulare, email or PEC, verified by a code sent to the new contact.
 * Issue 12 F2: only after the citizen proves it is them again — the current PIN (R9's one check)
 * or, for a SPID/CIE/CNS session, a login of the last few minutes.
 */
export function recapitiRoutes(app: FastifyInstance, deps: AppDeps): void {
  // A semplificato session may not change contacts (R6).
  const guard = { preHandler: [requireSession(deps, { level: 'ordinario' }), deps.rateLimitHook('recapiti')] };
  // The request step checks the PIN: rate-limited with the login too (R12).
  const checked = { preHandler: [...guard.preHandler, deps.rateLimitHook(PIN_CHECK_BUCKET)] };
  const svc = { db: deps.db, box: deps.box, now: deps.now, publicUrl: deps.config.publicUrl, notMeLinkDays: deps.config.contactSecurity.notMeLinkDays };
  const freshLoginMinutes = deps.config.contactSecurity.freshLoginMinutes;
  const loginAgain = (req: FastifyRequest, reply: FastifyReply, method: AuthMethod, code: number) =>
    reply
      .code(code)
      .type('text/html')
      .send(loginAgainPage(req.ctx, { method, minutes: freshLoginMinutes }));

  app.get(
    CONTACTS_PATH,
    guard,
    citizenHandler(async (req, reply, { session }) => {
      const proof = contactChangeProof(session, deps.now(), freshLoginMinutes);
      if (proof.by === 'login_again') return loginAgain(req, reply, proof.method, 200);
      return reply.type('text/html').send(contactsPage(req.ctx, { raw: {}, errors: {}, askPin: proof.by === 'pin' }));
    }),
  );

  app.post(
    CONTACTS_PATH,
    checked,
    citizenHandler(async (req, reply, { session, audit: ctx }) => {
      const { t } = req.ctx;
      const proof = contactChangeProof(session, deps.now(), freshLoginMinutes);
      if (proof.by === 'login_again') {
        await audit.contactChangeReauth(deps.db, ctx, ctx.cf, proof.method);
        return loginAgain(req, reply, proof.method, 403);
      }
      const askPin = proof.by === 'pin';
      const raw = pickFields(req.body, ['tipo', 'valore', 'pin']);
      const errors: FieldErrors = {};
      const kind = KINDS.find((k) => k === raw.tipo);
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
        const current = await deps.db.selectFrom('citizens').select([kind]).where('id', '=', session.citizenId).executeTakeFirstOrThrow();
        if (current[kind] === value) errors.valore = t('error.contacts.same');
      }
      // Issue 13: the PIN with or without separators; what cannot be a PIN is a field error, not an attempt (R9).
      const typedPin = askPin ? readPin(raw.pin ?? '', TYPED_PIN_LENGTHS) : undefined;
      if (typedPin && !typedPin.ok) errors.pin = pinInputMessage(t, typedPin.error, t('change.current'));
      controlCharErrors(t, raw, { valore: t('contacts.newValue'), pin: t('change.current') }, errors);
      const form = { raw: { ...raw, pin: '' }, askPin };
      if (Object.keys(errors).length || !kind || !value)
        return reply
          .code(422)
          .type('text/html')
          .send(contactsPage(req.ctx, { ...form, errors }));

      if (proof.by === 'pin') {
        // R9: the one check of a citizen's PIN, under the login's lockout (F2, F3).
        const check = await checkCitizenPin(
          deps,
          { codiceFiscale: ctx.cf, pin: raw.pin ?? '', purpose: 'recapiti' },
          async () => {
            const live = await deps.db
              .selectFrom('credentials')
              .select('pin_hash')
              .where('id', '=', proof.credentialId)
              .where('state', 'in', ['initial', 'active'])
              .executeTakeFirst();
            return { hash: live?.pin_hash ?? deps.dummyHash, counts: live !== undefined };
          },
          ctx,
        );
        if (check.outcome !== 'right') {
          const until = check.outcome === 'malformed' ? null : check.blockedUntil;
          return reply
            .code(until ? 423 : 422)
            .type('text/html')
            .send(contactsPage(req.ctx, { ...form, errors: { pin: until ? t('login.blocked', { until: formatRome(until) }) : t('error.pin.current') } }));
        }
      }
      // Issue 12 F6: the code to a new cellulare is an SMS code, counted first (once the PIN is proven).
      if (kind === 'cellulare') {
        const sms = await reserveSmsCode(
          { db: deps.db, box: deps.box, now: deps.now, quotas: deps.config.messageQuotas },
          { cf: ctx.cf, number: value, flow: 'recapiti' },
          ctx,
        );
        if (!sms.ok)
          return reply
            .code(429)
            .type('text/html')
            .send(contactsPage(req.ctx, { ...form, errors: { valore: smsRefusalMessage(t, sms.limit, deps.config.messageQuotas) } }));
      }
      await requestContactChange(svc, session.citizenId, kind, value, ctx);
      return reply.redirect(`${CONTACTS_PATH}/verifica`, 303);
    }),
  );

  codeVerifyRoutes(app, {
    path: `${CONTACTS_PATH}/verifica`,
    guards: { get: guard, post: guard },
    pendingTo: async (citizenId) =>
      (
        await deps.db
          .selectFrom('contact_changes')
          .select('new_value')
          .where('citizen_id', '=', citizenId)
          .where('used_at', 'is', null)
          .orderBy('created_at', 'desc')
          .executeTakeFirst()
      )?.new_value,
    page: (ctx, state) => verifyPage(ctx, { minutes: CONTACT_CODE_TTL_MINUTES, ...state }),
    confirm: async (citizenId, code, ctx) => (await confirmContactChange(svc, citizenId, code, ctx)).ok,
    back: CONTACTS_PATH,
    done: '/profilo?recapito=aggiornato',
  });
}
