import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { audit } from '../../audit/events.js';
import { checkIban } from '../../domain/iban.js';
import { requireSession } from '../../ui/guard.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { controlCharErrors, pickFields } from '../../ui/validators.js';
import { citizenHandler } from '../../ui/route.js';
import type { SessionCitizen } from '../../sessions/store.js';
import { CATEGORIES, type CategoryDefinition, categoryById, validateCategory } from './categories.js';
import { protocolAllocator } from './protocol.js';
import { renderReceiptPdf } from './receipt-pdf.js';
import { submitApplication } from './service.js';
import {
  BASE,
  type ExistingApplication,
  applicationForm,
  applicationPage,
  chooseCategoryPage,
  homePage,
  myApplicationsPage,
  refusedPage,
  reviewPage,
} from './views.js';

/** The error summary lists errors as the fields appear on the page: data, IBAN, account holder, declarations. */
function inPageOrder(def: CategoryDefinition, errors: FieldErrors): FieldErrors {
  const order = [...def.fields.map((f) => f.name), 'iban', 'intestatario', ...def.declarations.map((d) => `decl_${d}`)];
  const sorted: FieldErrors = {};
  for (const name of order) if (errors[name]) sorted[name] = errors[name];
  for (const [name, message] of Object.entries(errors)) if (!(name in sorted)) sorted[name] = message;
  return sorted;
}

/** What an application's `dichiarazioni` column holds (written by submitApplication). */
const DICHIARAZIONI = z.object({ campi: z.record(z.unknown()), dichiarazioni: z.array(z.string()) });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * R21, seed 003: Domande per prestazioni a sostegno del reddito → Indennità COVID-19 →
 * Invio domanda. Opened on purpose to PIN semplificato (R6, R18; messaggio INPS 1381/2020).
 */
export function indennitaRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireSession(deps, { level: 'semplificato' }) };
  const svc = { db: deps.db, box: deps.box, ibanHolders: deps.ibanHolders, nextProtocol: protocolAllocator(deps.db, deps.now), now: deps.now };
  const fieldNames = [...new Set(CATEGORIES.flatMap((c) => [...c.fields.map((f) => f.name), ...c.declarations.map((d) => `decl_${d}`)]))];
  const applicant = (citizen: SessionCitizen) => ({ nome: citizen.nome, cognome: citizen.cognome, codiceFiscale: citizen.codiceFiscale });

  /** Art. 31: the applications already sent, so the category pages say so before anything is filled in. */
  const existingOf = (citizenId: string): Promise<ExistingApplication[]> =>
    deps.db
      .selectFrom('covid_applications')
      .select(['protocollo', 'categoria', 'gruppo'])
      .where('citizen_id', '=', citizenId)
      .orderBy('submitted_at')
      .execute();

  app.get('/prestazioni', guard, async (req, reply) => reply.type('text/html').send(homePage(req.ctx)));

  app.get<{ Querystring: { categoria?: unknown } }>(
    `${BASE}/domanda`,
    guard,
    citizenHandler(async (req, reply, { session, citizen }) => {
      const { categoria } = req.query;
      const existing = await existingOf(session.citizenId);
      if (categoria === undefined) return reply.type('text/html').send(chooseCategoryPage(req.ctx, { existing }));
      const def = typeof categoria === 'string' ? categoryById(categoria) : undefined;
      if (!def)
        return reply
          .code(422)
          .type('text/html')
          .send(chooseCategoryPage(req.ctx, { error: req.ctx.t('cov.error.category'), existing }));
      return reply.type('text/html').send(applicationForm(req.ctx, { def, applicant: applicant(citizen), raw: {}, errors: {}, existing }));
    }),
  );

  app.post(
    `${BASE}/domanda`,
    guard,
    citizenHandler(async (req, reply, { session, citizen, audit: ctx }) => {
      const { t } = req.ctx;
      const raw = pickFields(req.body, ['categoria', 'iban', 'intestatario', 'azione', ...fieldNames]);
      // The form leads to the review ("Riepilogo"); only its "Invia domanda" (azione=conferma) sends,
      // after everything carried by the review is validated again here.
      const azione = raw.azione;
      delete raw.azione;
      const def = categoryById(raw.categoria);
      if (!def)
        return reply
          .code(422)
          .type('text/html')
          .send(chooseCategoryPage(req.ctx, { error: t('cov.error.category') }));
      const errors: FieldErrors = {};
      const values = validateCategory(t, def, raw, citizen.codiceFiscale, errors);
      let iban: string | undefined;
      if (!raw.iban) errors.iban = t('error.required', { field: t('cov.field.iban') });
      else {
        const checked = checkIban(raw.iban);
        if (checked.ok) iban = checked.iban;
        else errors.iban = t(`cov.error.iban.${checked.error}`);
      }
      if (raw.intestatario !== 'si') errors.intestatario = t('cov.error.intestatario');
      controlCharErrors(t, raw, { iban: t('cov.field.iban') }, errors);
      if (azione === 'modifica')
        return reply
          .type('text/html')
          .send(applicationForm(req.ctx, { def, applicant: applicant(citizen), raw, errors: {}, existing: await existingOf(session.citizenId) }));
      if (Object.keys(errors).length || !iban) {
        return reply
          .code(422)
          .type('text/html')
          .send(
            applicationForm(req.ctx, {
              def,
              applicant: applicant(citizen),
              raw,
              errors: inPageOrder(def, errors),
              existing: await existingOf(session.citizenId),
            }),
          );
      }
      if (azione !== 'conferma')
        return reply
          .type('text/html')
          .send(reviewPage(req.ctx, { def, applicant: applicant(citizen), raw, values, iban, existing: await existingOf(session.citizenId) }));
      const result = await submitApplication(svc, { citizenId: session.citizenId, codiceFiscale: citizen.codiceFiscale }, def, values, iban, ctx);
      if (!result.ok)
        return reply
          .code(409)
          .type('text/html')
          .send(refusedPage(req.ctx, { existing: result.existing, categoria: result.existingCategoria, group: def.group }));
      return reply.redirect(`${BASE}/domande/${result.id}?inviata=1`, 303);
    }),
  );

  app.get(
    `${BASE}/domande`,
    guard,
    citizenHandler(async (req, reply, { session }) => {
      const rows = await deps.db
        .selectFrom('covid_applications')
        .select(['id', 'protocollo', 'categoria', 'stato', 'iban', 'importo_cents', 'esito_motivo', 'submitted_at', 'esito_at'])
        .where('citizen_id', '=', session.citizenId)
        .orderBy('submitted_at', 'desc')
        .execute();
      return reply.type('text/html').send(myApplicationsPage(req.ctx, rows));
    }),
  );

  /** The application of this session's citizen with that id; anyone else's is "not found", never "forbidden". */
  const own = async (id: string, citizenId: string) => {
    if (!UUID.test(id)) return undefined;
    return deps.db
      .selectFrom('covid_applications')
      .select(['id', 'protocollo', 'categoria', 'stato', 'iban', 'importo_cents', 'esito_motivo', 'submitted_at', 'esito_at', 'dichiarazioni'])
      .where('id', '=', id)
      .where('citizen_id', '=', citizenId)
      .executeTakeFirst();
  };

  app.get<{ Params: { id: string }; Querystring: { inviata?: unknown } }>(
    `${BASE}/domande/:id`,
    guard,
    citizenHandler(async (req, reply, { session, audit: ctx }) => {
      const a = await own(req.params.id, session.citizenId);
      if (!a) return reply.callNotFound();
      await audit.covidViewed(deps.db, ctx, ctx.cf, { protocollo: a.protocollo, what: 'detail' });
      return reply.type('text/html').send(applicationPage(req.ctx, a, { justSent: req.query.inviata === '1' }));
    }),
  );

  app.get<{ Params: { id: string } }>(
    `${BASE}/domande/:id/ricevuta`,
    guard,
    citizenHandler(async (req, reply, { session, citizen, audit: ctx }) => {
      const a = await own(req.params.id, session.citizenId);
      if (!a) return reply.callNotFound();
      await audit.covidViewed(deps.db, ctx, ctx.cf, { protocollo: a.protocollo, what: 'receipt' });
      const pdf = await renderReceiptPdf(req.ctx.t, {
        istituto: deps.config.istituto.name,
        protocollo: a.protocollo,
        submittedAt: a.submitted_at,
        categoria: a.categoria,
        stato: a.stato,
        importoCents: a.importo_cents,
        iban: a.iban,
        applicant: applicant(citizen),
        dichiarazioni: DICHIARAZIONI.parse(a.dichiarazioni),
      });
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="ricevuta-${a.protocollo}.pdf"`).send(pdf);
    }),
  );
}
