import type { FastifyInstance } from 'fastify';
import { validateDocument } from '../../flows/conversione/document.js';
import { sendStoredFile, storedFileRoute } from '../../flows/conversione/files.js';
import { decideConversion, recordConversionByOperator, requestForReview, storedFileForOperator } from '../../flows/conversione/service.js';
import { pickFields } from '../../ui/validators.js';
import type { AppDeps } from '../../ui/deps.js';
import { type IdRoute, REVIEWERS, idIf, isRowId, operatorHandler, recordHandler, requireOperator } from '../accesso/guard.js';
import { citizenByCf } from '../cittadini/service.js';
import { requestPage } from './views.js';

/** R15: the operators' review of online conversions, their documents, and the modules received by fax or at a sede. */
export function backofficeConversioniRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps, REVIEWERS) };
  const review = { db: deps.db, box: deps.box, now: deps.now };
  const load = async (id: string) => (isRowId(id) ? requestForReview(deps.db, id) : undefined);

  app.get<IdRoute>(
    '/backoffice/conversioni/:id',
    guard,
    recordHandler(load, async (req, reply, found, { operator }) => reply.type('text/html').send(requestPage(req.ctx, operator, { ...found, errors: {} }))),
  );

  app.post<IdRoute>(
    '/backoffice/conversioni/:id/approva',
    guard,
    recordHandler(load, async (req, reply, found, { audit }) => {
      const done = await decideConversion(review, found.request.id, { approve: true }, audit);
      return reply.redirect(done.ok ? `/backoffice?approvata=${encodeURIComponent(done.number)}` : `/backoffice/conversioni/${found.request.id}`, 303);
    }),
  );

  app.post<IdRoute>(
    '/backoffice/conversioni/:id/respingi',
    guard,
    recordHandler(load, async (req, reply, found, { operator, audit }) => {
      const reason = (pickFields(req.body, ['motivo']).motivo ?? '').slice(0, 300);
      // eslint-disable-next-line no-control-regex -- a reason holding a control character (NUL among them) or bad UTF-8 is refused
      if (!reason || /[\u0000-\u001f\ufffd]/.test(reason)) {
        return reply
          .code(422)
          .type('text/html')
          .send(requestPage(req.ctx, operator, { ...found, errors: { motivo: req.ctx.t('error.bo.reason') } }));
      }
      const done = await decideConversion(review, found.request.id, { approve: false, reason }, audit);
      return reply.redirect(done.ok ? `/backoffice?respinta=${encodeURIComponent(done.number)}` : `/backoffice/conversioni/${found.request.id}`, 303);
    }),
  );

  /** Uploaded documents reach operators who review, and nobody else. */
  app.get<IdRoute>(
    '/backoffice/file/:id',
    { ...guard, ...storedFileRoute },
    recordHandler(idIf(isRowId), async (req, reply, id, { audit }) => {
      const file = await storedFileForOperator(deps.db, deps.config.filesDir, id, audit);
      if (!file) return reply.callNotFound();
      return sendStoredFile(reply, file, id);
    }),
  );

  /** R15, other channels: a module received by fax or at the counter, checked by the operator, recorded as approved. */
  app.post(
    '/backoffice/cittadino/conversione',
    guard,
    operatorHandler(async (req, reply, { audit }) => {
      const raw = pickFields(req.body, ['cf', 'canale', 'tipo', 'numero', 'ente', 'rilascio', 'scadenza']);
      const citizen = await citizenByCf(deps.db, raw.cf);
      if (!citizen) return reply.callNotFound();
      const { errors, document } = validateDocument(req.ctx.t, raw, deps.now());
      const recorded =
        document && !Object.keys(errors).length
          ? await recordConversionByOperator(review, { citizenId: citizen.id, channel: raw.canale === 'fax' ? 'fax' : 'sede', document }, audit)
          : false;
      if (!recorded) return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&errore=documento`, 303);
      return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&convertito=1`, 303);
    }),
  );
}
