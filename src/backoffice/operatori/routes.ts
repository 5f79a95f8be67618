import type { FastifyInstance } from 'fastify';
import { pickFields } from '../../ui/validators.js';
import type { AppDeps } from '../../ui/deps.js';
import { type IdRoute, isRowId, operatorHandler, requireOperator } from '../accesso/guard.js';
import { listOperators, setOperatorDisabled } from './service.js';
import { operatorsPage } from './views.js';

/** Issue 5: operators managed by a supervisore (created with `varco operator add`). */
export function backofficeOperatoriRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps, ['supervisore']) };

  app.get(
    '/backoffice/operatori',
    guard,
    operatorHandler(async (req, reply, { operator }) => reply.type('text/html').send(operatorsPage(req.ctx, operator, await listOperators(deps.db)))),
  );

  /** A supervisore disables (its sessions end) or enables another operator, never itself. */
  app.post<IdRoute>(
    '/backoffice/operatori/:id/stato',
    guard,
    operatorHandler<IdRoute>(async (req, reply, { operator, audit }) => {
      const { id } = req.params;
      if (!isRowId(id) || id === operator.id) return reply.redirect('/backoffice/operatori', 303);
      await setOperatorDisabled(deps, id, pickFields(req.body, ['azione']).azione === 'disattiva', audit);
      return reply.redirect('/backoffice/operatori', 303);
    }),
  );
}
