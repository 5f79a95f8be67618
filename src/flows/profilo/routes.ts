import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/events.js';
import { loadCatalog } from '../../catalog/registry.js';
import { levelAtLeast, pinIsDispositivo, requireSession, SESSION_COOKIE } from '../../ui/guard.js';
import type { AppDeps } from '../../ui/deps.js';
import { expiryNotice } from '../accesso/expiry.js';
import { latestRequest } from '../conversione/service.js';
import { hasLivePin, requestPinForCitizen } from '../richiesta/service.js';
import { citizenHandler, queryValue } from '../../ui/route.js';
import { boardPage, pinRequestResultPage, profilePage } from './views.js';

/** The catalog entry of the conversion to PIN dispositivo (src/flows/conversione/catalog.ts). */
const CONVERSION_SERVICE = 'conversione-pin';

/** The personal home (Bacheca) and the profile of R16. */
export function profiloRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireSession(deps) };

  app.get(
    '/bacheca',
    guard,
    citizenHandler(async (req, reply, { session, citizen }) => {
      // R8's notice concerns the PIN: none after SPID, CIE or CNS.
      const credentialId = session.credentialId;
      const credential = credentialId
        ? await deps.db.selectFrom('credentials').select(['changed_at', 'dispositivo']).where('id', '=', credentialId).executeTakeFirstOrThrow()
        : undefined;
      const notice = credential ? expiryNotice(new Date(credential.changed_at), citizen.intermediario, deps.config.pinExpiry, deps.now()) : undefined;
      const changed = queryValue(req, 'pin') === 'modificato';
      // R18/R19: the services this session's level reaches.
      const pinDispositivo = credential?.dispositivo === true;
      // R15: the conversion is offered only to a PIN that is not dispositivo yet (never to SPID, CIE, CNS).
      const services = (await loadCatalog()).filter(
        (s) =>
          s.kind === 'servizio' &&
          s.level !== 'public' &&
          levelAtLeast(session.level, s.level) &&
          !(s.id === CONVERSION_SERVICE && (pinDispositivo || !credential)),
      );
      const { sesso } = await deps.db.selectFrom('citizens').select('sesso').where('id', '=', session.citizenId).executeTakeFirstOrThrow();
      return reply.type('text/html').send(
        boardPage(req.ctx, {
          services,
          citizen,
          sesso,
          level: session.level,
          pinDispositivo,
          role: session.role,
          expiresOn: session.level === 'semplificato' ? undefined : notice,
          changed,
        }),
      );
    }),
  );

  // Seed 003 "Cambia profilo": only for a citizen registered as an institutional intermediary.
  app.post(
    '/profilo/cambia',
    guard,
    citizenHandler(async (req, reply, { session, citizen, audit: who }) => {
      if (!citizen.intermediario) return reply.redirect('/bacheca', 303);
      const role = session.role === 'cittadino' ? 'intermediario' : 'cittadino';
      const { id } = await deps.sessions.rotate(session, { role });
      reply.setCookie(SESSION_COOKIE, id, deps.cookieOptions({ sameSite: 'lax' }));
      await audit.profileSwitched(deps.db, who, citizen.codiceFiscale, role);
      return reply.redirect('/bacheca', 303);
    }),
  );

  app.get(
    '/profilo',
    guard,
    citizenHandler(async (req, reply, { session, citizen }) => {
      const cf = citizen.codiceFiscale;
      // Only the record of the session's own citizen (seed 003 "Anagrafica").
      const record = await deps.db
        .selectFrom('citizens')
        .select([
          'codice_fiscale',
          'cognome',
          'nome',
          'data_nascita',
          'sesso',
          'luogo_nascita',
          'residenza',
          'cellulare',
          'email',
          'pec',
          'telefono_abitazione',
        ])
        .where('id', '=', session.citizenId)
        .executeTakeFirstOrThrow();
      const contacts = { cellulare: record.cellulare, email: record.email, pec: record.pec, telefono_abitazione: record.telefono_abitazione };
      const personal = {
        codiceFiscale: record.codice_fiscale,
        cognome: record.cognome,
        nome: record.nome,
        dataNascita: record.data_nascita,
        sesso: record.sesso,
        luogoNascita: record.luogo_nascita,
        residenza: record.residenza,
      };
      const pinDispositivo = await pinIsDispositivo(deps.db, session.credentialId);
      const accesses = await deps.db
        .selectFrom('audit_events')
        .select(['event', 'occurred_at', 'ip'])
        .where('subject_cf', '=', cf)
        .where('event', 'in', ['login.succeeded', 'login.failed', 'login.refused_blocked'])
        .orderBy('id', 'desc')
        .limit(10)
        .execute();
      const conversion = await latestRequest(deps.db, session.citizenId);
      // R16: "ultimo accesso" is the access before the current one.
      const previous = accesses.filter((a) => a.event === 'login.succeeded')[1];
      // Issue 12 F1: a SPID/CIE/CNS session of a citizen without a live PIN may ask for one here.
      const canRequestPin = session.authMethod !== 'pin' && !(await hasLivePin(deps.db, cf, 'exact'));
      return reply.type('text/html').send(
        profilePage(req.ctx, {
          citizen,
          level: session.level,
          authMethod: session.authMethod,
          previousAccess: previous ? new Date(previous.occurred_at) : undefined,
          contacts,
          accesses,
          updated: queryValue(req, 'recapito') === 'aggiornato',
          conversion,
          canRequestPin,
          pinDispositivo,
          personal,
        }),
      );
    }),
  );

  // Issue 12 F1, Profilo → Richiedi il PIN: a credential bound to the record of this federated session.
  app.post(
    '/profilo/richiedi-pin',
    { preHandler: [requireSession(deps, { level: 'dispositivo' }), deps.rateLimitHook('richiesta')] },
    citizenHandler(async (req, reply, { session, citizen }) => {
      if (session.authMethod === 'pin') return reply.redirect('/profilo', 303);
      const cf = citizen.codiceFiscale;
      const result = await requestPinForCitizen(deps, session.citizenId, { channel: 'web', actor: `citizen:${cf}`, ip: req.ip, locale: req.ctx.locale });
      return reply
        .code(result.ok ? 200 : 409)
        .type('text/html')
        .send(pinRequestResultPage(req.ctx, result.ok ? { protocol: result.protocol } : { refused: result.reason, cf }));
    }),
  );
}
