import type { FastifyInstance } from 'fastify';
import { liftRipristinoBlock, notMeReports } from '../../flows/non-sono-stato-io/service.js';
import { pickFields } from '../../ui/validators.js';
import type { AppDeps } from '../../ui/deps.js';
import { operatorHandler, requireOperator } from '../accesso/guard.js';
import { citizenByCf } from '../cittadini/service.js';
import { REPORTS_PATH, reportsPage } from './views.js';

/**
 * Issue 12 F2: the supervisori's list of "Non sono stato io" reports (each also audited as
 * contact.not_me_reported), newest first, with the citizen's ripristino block; a supervisore
 * lifts the block once the citizen has been identified (by phone or at a sede).
 */
export function backofficeReportsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps, ['supervisore']) };

  app.get(REPORTS_PATH, guard, async (req, reply) => reply.type('text/html').send(reportsPage(req.ctx, await notMeReports(deps.db))));

  app.post(
    `${REPORTS_PATH}/sblocca`,
    guard,
    operatorHandler(async (req, reply, { audit }) => {
      const citizen = await citizenByCf(deps.db, pickFields(req.body, ['cf']).cf);
      if (!citizen) return reply.callNotFound();
      await liftRipristinoBlock(deps.db, citizen.id, audit);
      return reply.redirect(REPORTS_PATH, 303);
    }),
  );
}
