import type { FastifyInstance } from 'fastify';
import type { MessageKey } from '../../i18n/index.js';
import { applicationForReview, listApplications, recordApplicationViewed, recordOutcome } from '../../flows/indennita/service.js';
import { pickFields } from '../../ui/validators.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { queryValue } from '../../ui/route.js';
import { type IdRoute, REVIEWERS, operatorHandler, recordHandler, requireOperator } from '../accesso/guard.js';
import { STATES, detailPage, listPage } from './views.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const k = (key: string) => key as MessageKey;
/** Applications per page of the back-office list. */
const PAGE = 100;

/**
 * R21: operators review the COVID-19 applications and record outcomes. An application is flagged
 * while its IBAN is named by more distinct applicants than VARCO_IBAN_MAX_APPLICANTS (counted in
 * `iban_usage`, so the flag is always current and needs no update on the other applications).
 */
export function backofficeDomandeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps, REVIEWERS) };
  const max = () => deps.config.indennita.ibanMaxApplicants;
  const load = async (id: string) => (UUID.test(id) ? applicationForReview(deps.db, id, max()) : undefined);

  app.get(
    '/backoffice/domande',
    guard,
    operatorHandler(async (req, reply, { operator }) => {
      const page = queryValue(req, 'pagina') ?? '';
      const pagina = /^\d{1,6}$/.test(page) ? Math.max(1, Number(page)) : 1;
      const stato = STATES.find((s) => s === queryValue(req, 'stato'));
      const segnalate = queryValue(req, 'segnalate') === '1';
      const found = await listApplications(deps.db, { stato, flaggedOnly: segnalate, page: pagina, pageSize: PAGE, ibanMaxApplicants: max() });
      return reply.type('text/html').send(listPage(req.ctx, operator, { rows: found.slice(0, PAGE), stato, segnalate, pagina, more: found.length > PAGE }));
    }),
  );

  app.get<IdRoute>(
    '/backoffice/domande/:id',
    guard,
    recordHandler(load, async (req, reply, a, { operator, audit }) => {
      await recordApplicationViewed(deps.db, audit, a);
      return reply.type('text/html').send(detailPage(req.ctx, operator, a, {}));
    }),
  );

  app.post<IdRoute>(
    '/backoffice/domande/:id/esito',
    guard,
    recordHandler(load, async (req, reply, a, { operator, audit }) => {
      const { t } = req.ctx;
      const raw = pickFields(req.body, ['esito', 'motivo']);
      const errors: FieldErrors = {};
      const motivo = (raw.motivo ?? '').trim();
      const esito = raw.esito === 'accolta' || raw.esito === 'respinta' ? raw.esito : undefined;
      if (!esito) errors.esito = t('error.choice', { field: t('bo.cov.esito') });
      if (esito === 'respinta' && !motivo) errors.motivo = t('error.bo.reason');
      // eslint-disable-next-line no-control-regex -- a reason holding a control character (NUL among them) or bad UTF-8 is refused
      if (motivo.length > 500 || /[\u0000-\u001f\ufffd]/.test(motivo)) errors.motivo = t('error.tooLong', { field: t('cov.col.motivo'), max: 500 });
      if (!esito || Object.keys(errors).length)
        return reply
          .code(422)
          .type('text/html')
          .send(detailPage(req.ctx, operator, a, { errors, raw }));
      const result = await recordOutcome(
        { db: deps.db, box: deps.box, now: deps.now },
        a.protocollo,
        esito,
        motivo || null,
        `operator:${operator.username}`,
        audit,
      );
      if (!result.ok)
        return reply
          .code(409)
          .type('text/html')
          .send(detailPage(req.ctx, operator, a, { errors: { esito: t(k(`bo.cov.refused.${result.reason}`)) }, raw }));
      return reply.redirect(`/backoffice/domande/${a.id}`, 303);
    }),
  );
}
