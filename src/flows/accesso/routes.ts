import { providerDirectoryFor, type ProviderEntry } from '../../federation/directory.js';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/events.js';
import { normalizeCf } from '../../domain/codice-fiscale/index.js';
import type { MessageKey } from '../../i18n/index.js';
import { requireSession, SESSION_COOKIE, safeReturnPath, startSession } from '../../ui/guard.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { formatRome } from '../../domain/rome-time.js';
import { controlCharErrors, pickFields } from '../../ui/validators.js';
import { TYPED_PIN_LENGTHS, readPin } from '../../security/pin.js';
import { checkNewPin } from '../cambio-pin/rules.js';
import { changePin } from '../cambio-pin/service.js';
import { PIN_CHECK_BUCKET, pinInputMessage } from './pin-check.js';
import { loginWithPin } from './service.js';
import { METHODS, type Entrances, type Method, changePinPage, instructionsPage, loginPage } from './views.js';
import type { Config } from '../../config/config.js';
import { auditContextOf } from '../../ui/audit-context.js';
import { returnFormAction } from '../../ui/return-form-action.js';
import { MissingGuardError, citizenHandler, queryValue } from '../../ui/route.js';

/** Login with the PIN (R7–R10), logout, access instructions, and the PIN change of R7/R8/R16. */
export function accessoRoutes(app: FastifyInstance, deps: AppDeps): void {
  // A form whose answer goes on to a relying party's request names the relying party in its form-action.
  const toReturn = returnFormAction(deps);
  const limited = { preHandler: [deps.rateLimitHook(PIN_CHECK_BUCKET), toReturn] };
  const loginDeps = {
    db: deps.db,
    hasher: deps.hasher,
    box: deps.box,
    dummyHash: deps.dummyHash,
    expiry: deps.config.pinExpiry,
    semplificatoOpen: deps.semplificatoOpen,
    residence: deps.residence,
    now: deps.now,
  };

  const directory = providerDirectoryFor(deps.config, app.log);
  const entrances = async () => entrancesOf(deps.config, await directory.entries(), directory.loading());

  app.get('/accesso', async (_req, reply) => reply.redirect('/accedi', 301));

  app.get('/accedi', { preHandler: toReturn }, async (req, reply) => {
    const metodo = queryValue(req, 'metodo');
    const method: Method = METHODS.find((m) => m === metodo) ?? 'pin';
    const notice: MessageKey | undefined = queryValue(req, 'scaduta')
      ? 'login.sessionExpired'
      : queryValue(req, 'richiesto')
        ? 'login.loginRequired'
        : queryValue(req, 'uscito')
          ? 'login.loggedOut'
          : undefined;
    return reply.type('text/html').send(
      loginPage(req.ctx, {
        method,
        entrances: await entrances(),
        ritorno: safeReturnPath(queryValue(req, 'ritorno')),
        notice,
        semplificato: deps.semplificatoOpen(),
      }),
    );
  });

  app.get('/accedi/istruzioni', async (req, reply) => reply.type('text/html').send(instructionsPage(req.ctx)));

  app.post('/accedi', limited, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['codiceFiscale', 'pin', 'ritorno']);
    const ritorno = safeReturnPath(raw.ritorno);
    const errors: FieldErrors = {};
    if (!raw.codiceFiscale) errors.codiceFiscale = t('error.required', { field: t('field.codiceFiscale') });
    if (!raw.pin) errors.pin = t('error.required', { field: t('login.pin') });
    controlCharErrors(t, raw, { codiceFiscale: t('field.codiceFiscale'), pin: t('login.pin') }, errors);
    if (Object.keys(errors).length)
      return reply
        .code(422)
        .type('text/html')
        .send(loginPage(req.ctx, { method: 'pin', entrances: await entrances(), codiceFiscale: raw.codiceFiscale, ritorno, errors }));

    const result = await loginWithPin(loginDeps, { codiceFiscale: raw.codiceFiscale ?? '', pin: raw.pin ?? '' }, auditContextOf(req));
    // Issue 13: what cannot be a PIN is a field error, before any attempt counts (R9).
    if (!result.ok && result.reason === 'malformed') {
      return reply
        .code(422)
        .type('text/html')
        .send(
          loginPage(req.ctx, {
            method: 'pin',
            entrances: await entrances(),
            codiceFiscale: raw.codiceFiscale,
            ritorno,
            errors: { pin: pinInputMessage(t, result.error, t('login.pin')) },
          }),
        );
    }
    if (!result.ok) {
      const error =
        result.reason === 'blocked'
          ? t('login.blocked', { until: formatRome(result.until) })
          : result.reason === 'revoked'
            ? t('login.revoked')
            : result.reason === 'await_letter'
              ? t('login.awaitLetter')
              : // R9 counts per codice fiscale, known or not: the number left tells nothing about the CF.
                `${t('login.invalid')} ${t(result.remaining === 1 ? 'login.remaining.one' : 'login.remaining.other', { n: result.remaining })}`;
      return reply
        .code(result.reason === 'blocked' ? 423 : 401)
        .type('text/html')
        .send(
          loginPage(req.ctx, {
            method: 'pin',
            entrances: await entrances(),
            codiceFiscale: normalizeCf(raw.codiceFiscale ?? ''),
            ritorno,
            error,
            semplificato: deps.semplificatoOpen(),
          }),
        );
    }
    // A new session id at every login (R10); any session this browser had is ended.
    await startSession(deps, req, reply, {
      citizenId: result.citizenId,
      credentialId: result.credentialId,
      level: result.level,
      mustChangePin: result.mustChangePin,
      initialFingerprints: result.initialFingerprints,
    });
    // A PIN to change first (R7, R8): then on to where the citizen was going (a relying party's request, a service).
    if (result.mustChangePin) return reply.redirect(`/accedi/cambio-pin${ritorno ? `?ritorno=${encodeURIComponent(ritorno)}` : ''}`, 303);
    return reply.redirect(ritorno ?? '/bacheca', 303);
  });

  app.post(
    '/esci',
    { preHandler: requireSession(deps, { allowMustChange: true }) },
    citizenHandler(async (req, reply, { session, citizen }) => {
      await deps.sessions.end(session.idHash, 'logout');
      await audit.sessionEnded(deps.db, auditContextOf(req), citizen.codiceFiscale, 'logout');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/accedi?uscito=1', 303);
    }),
  );

  // A semplificato session cannot change the PIN (R6): it is below ordinario.
  const changeGuard = { preHandler: [requireSession(deps, { allowMustChange: true, level: 'ordinario', needsPin: true }), toReturn] };
  // The current PIN is checked here too: rate-limited with the login (R12), under its lockout (R9).
  const changeChecked = {
    preHandler: [requireSession(deps, { allowMustChange: true, level: 'ordinario', needsPin: true }), deps.rateLimitHook(PIN_CHECK_BUCKET), toReturn],
  };
  app.get(
    '/accedi/cambio-pin',
    changeGuard,
    citizenHandler(async (req, reply, { session }) => {
      const ritorno = safeReturnPath(queryValue(req, 'ritorno'));
      return reply.type('text/html').send(changePinPage(req.ctx, { reason: session.mustChangePin ?? 'voluntary', errors: {}, ritorno }));
    }),
  );

  app.post(
    '/accedi/cambio-pin',
    changeChecked,
    citizenHandler(async (req, reply, { session, citizen, audit: who }) => {
      const { t } = req.ctx;
      // The guard (needsPin) lets only a session opened with a PIN through.
      const { credentialId } = session;
      if (!credentialId) throw new MissingGuardError('PIN', req.url);
      const reason = session.mustChangePin ?? 'voluntary';
      const raw = pickFields(req.body, ['current', 'pin', 'confirm', 'ritorno']);
      const ritorno = safeReturnPath(raw.ritorno);
      const { pin, errors: ruleErrors } = checkNewPin(raw.pin ?? '', raw.confirm ?? '', citizen);
      const errors: FieldErrors = {};
      for (const e of ruleErrors) {
        if (e === 'mismatch') errors.confirm = t('error.pin.mismatch');
        else errors.pin ??= t(`error.pin.${e}`);
      }
      // Issue 13: the current PIN as printed or typed with separators; what cannot be a PIN is a field error, not an attempt.
      if (reason === 'voluntary') {
        const current = readPin(raw.current ?? '', TYPED_PIN_LENGTHS);
        if (!current.ok) errors.current = pinInputMessage(t, current.error, t('change.current'));
      }
      controlCharErrors(t, raw, { current: t('change.current'), pin: t('change.new'), confirm: t('change.confirm') }, errors);
      if (Object.keys(errors).length) return reply.code(422).type('text/html').send(changePinPage(req.ctx, { reason, errors, ritorno }));

      const result = await changePin(
        deps,
        {
          citizenId: session.citizenId,
          credentialId: credentialId,
          sessionIdHash: session.idHash,
          codiceFiscale: citizen.codiceFiscale,
          reason,
          initialFingerprints: session.initialFingerprints,
          currentPin: raw.current,
        },
        pin,
        who,
      );
      if (!result.ok) {
        const field: FieldErrors =
          result.reason === 'blocked'
            ? { current: t('login.blocked', { until: formatRome(result.until) }) }
            : result.reason === 'current'
              ? { current: t('error.pin.current') }
              : { pin: t(`error.pin.${result.reason}`) };
        return reply
          .code(result.reason === 'blocked' ? 423 : 422)
          .type('text/html')
          .send(changePinPage(req.ctx, { reason, errors: field, ritorno }));
      }
      const { id } = await deps.sessions.rotate(session, { mustChangePin: null, initialFingerprints: null, level: result.level });
      reply.setCookie(SESSION_COOKIE, id, deps.cookieOptions({ sameSite: 'lax' }));
      return reply.redirect(ritorno ?? '/bacheca?pin=modificato', 303);
    }),
  );
}

/** SPID providers and CIE from the federations' directory; CNS on Varco's HTTPS listener or behind the verifying proxy. */
function entrancesOf(config: Config, providers: readonly ProviderEntry[], loading: boolean): Entrances {
  const tls = config.cns.tls;
  const cnsUrl = tls ? `https://${new URL(config.publicUrl).hostname}:${tls.port}/accedi/cns` : config.cns.proxyHeader ? '/accedi/cns' : undefined;
  return {
    spid: providers.filter((p) => p.kind === 'spid').map((p) => ({ id: p.id, name: p.name, ...(p.logo ? { logo: p.logo } : {}) })),
    cie: providers.some((p) => p.kind === 'cie'),
    loading,
    ...(cnsUrl ? { cnsUrl } : {}),
  };
}
