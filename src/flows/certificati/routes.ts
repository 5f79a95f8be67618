import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/events.js';
import type { NoticeChannel } from '../../db/schema.js';
import { checkCellulare, normalizeEmail } from '../../domain/contacts.js';
import { smsRefusalMessage } from '../../outbox/quotas.js';
import { requireSession } from '../../ui/guard.js';
import { citizenHandler, queryValue } from '../../ui/route.js';
import { codeVerifyRoutes } from '../../ui/code-routes.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { cellulareError, hasControlChars, pickFields } from '../../ui/validators.js';
import { NOTICE_CODE_TTL_MINUTES, confirmNotice, noticeSetting, pendingNotice, updateNotice } from './service.js';
import { noticePage, noticeVerifyPage, searchPage } from './views.js';

const CHANNELS: readonly NoticeChannel[] = ['sms', 'pec'];

/** R20, seed 000: Consultazione certificati di malattia for the logged-in worker (ordinario). */
export function certificatiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireSession(deps, { level: 'ordinario' }) };
  // Each Aggiorna with a new number or address sends a code to it: limited like the profile's contacts.
  const limited = { preHandler: [requireSession(deps, { level: 'ordinario' }), deps.rateLimitHook('certificati')] };
  const svc = { db: deps.db, box: deps.box, now: deps.now };

  app.get('/certificati-malattia', guard, async (req, reply) => reply.type('text/html').send(searchPage(req.ctx, { numero: '', errors: {} })));

  // A POST, so that certificate numbers never appear in URLs or logs.
  app.post(
    '/certificati-malattia',
    guard,
    citizenHandler(async (req, reply, { citizen, audit: ctx }) => {
      const { t } = req.ctx;
      const typed = pickFields(req.body, ['numero']).numero ?? '';
      const numero = typed.replace(/\s/g, '');
      if (hasControlChars(typed) || (numero && !/^[0-9]{6,20}$/.test(numero))) {
        const message = hasControlChars(typed) ? t('error.invalidChars', { field: t('cert.number') }) : t('cert.error.number');
        return reply
          .code(422)
          .type('text/html')
          .send(searchPage(req.ctx, { numero: hasControlChars(typed) ? '' : numero.slice(0, 20), errors: { numero: message } }));
      }
      let q = deps.db
        .selectFrom('sick_certificates')
        .select(['protocollo', 'tipo', 'data_rilascio', 'inizio_prognosi', 'fine_prognosi', 'medico_nome', 'medico_cognome'])
        .where('codice_fiscale', '=', citizen.codiceFiscale);
      if (numero) q = q.where('protocollo', '=', numero);
      const results = await q.orderBy('data_rilascio', 'desc').orderBy('protocollo', 'desc').limit(500).execute();
      await audit.certificatesSearched(deps.db, ctx, ctx.cf, { numero: numero || null, found: results.length });
      return reply.type('text/html').send(searchPage(req.ctx, { numero, results, errors: {} }));
    }),
  );

  for (const channel of CHANNELS) {
    const base = `/certificati-malattia/${channel}`;

    app.get(
      base,
      guard,
      citizenHandler(async (req, reply, { session, citizen }) => {
        const setting = await noticeSetting(deps.db, session.citizenId, channel);
        const saved = queryValue(req, 'aggiornato') === '1';
        // Nothing set yet: the field starts from the citizen's own contact on record (the cellulare, the PEC).
        const onRecord = setting.address
          ? undefined
          : await deps.db.selectFrom('citizens').select(['cellulare', 'pec']).where('id', '=', session.citizenId).executeTakeFirst();
        const prefill = setting.address ?? (channel === 'sms' ? onRecord?.cellulare : onRecord?.pec) ?? '';
        return reply.type('text/html').send(
          noticePage(req.ctx, {
            channel,
            codiceFiscale: citizen.codiceFiscale,
            activeAddress: setting.active ? setting.address : null,
            raw: { indirizzo: prefill, stato: setting.address ? (setting.active ? 'attivo' : 'disattivo') : 'attivo' },
            errors: {},
            saved,
          }),
        );
      }),
    );

    app.post(
      base,
      limited,
      citizenHandler(async (req, reply, { session, citizen, audit: ctx }) => {
        const { t } = req.ctx;
        const raw = pickFields(req.body, ['indirizzo', 'stato']);
        const errors: FieldErrors = {};
        const label = t(`cert.${channel}.field`);
        let address: string | undefined;
        if (!raw.indirizzo) errors.indirizzo = t('error.required', { field: label });
        else if (channel === 'sms') {
          const c = checkCellulare(raw.indirizzo, deps.config.messageQuotas.smsCountries);
          if (c.ok) address = c.e164;
          else errors.indirizzo = cellulareError(t, c.error, label, deps.config.messageQuotas.smsCountries);
        } else {
          address = normalizeEmail(raw.indirizzo);
          if (!address) errors.indirizzo = t('error.email.format', { field: label });
        }
        if (raw.stato !== 'attivo' && raw.stato !== 'disattivo') errors.stato = t('error.choice', { field: t('cert.notice.state') });
        /** The form again, as typed, with what is wrong with it. */
        const again = async (code: number, shown: FieldErrors) => {
          const setting = await noticeSetting(deps.db, session.citizenId, channel);
          return reply
            .code(code)
            .type('text/html')
            .send(
              noticePage(req.ctx, {
                channel,
                codiceFiscale: citizen.codiceFiscale,
                activeAddress: setting.active ? setting.address : null,
                raw: { indirizzo: raw.indirizzo ?? '', stato: raw.stato ?? '' },
                errors: shown,
              }),
            );
        };
        if (Object.keys(errors).length || !address) return again(422, errors);
        const result = await updateNotice(svc, session.citizenId, channel, address, raw.stato === 'attivo', ctx, deps.config.messageQuotas);
        if (result.status === 'sms_refused') return again(429, { indirizzo: smsRefusalMessage(t, result.limit, deps.config.messageQuotas) });
        return reply.redirect(result.status === 'saved' ? `${base}?aggiornato=1` : `${base}/verifica`, 303);
      }),
    );

    codeVerifyRoutes(app, {
      path: `${base}/verifica`,
      guards: { get: guard, post: limited },
      pendingTo: async (citizenId) => (await pendingNotice(deps.db, citizenId, channel, deps.now()))?.address,
      page: (ctx, state) => noticeVerifyPage(ctx, { channel, minutes: NOTICE_CODE_TTL_MINUTES, ...state }),
      confirm: (citizenId, code, ctx) => confirmNotice(svc, citizenId, channel, code, ctx),
      back: base,
      done: `${base}?aggiornato=1`,
    });
  }
}
