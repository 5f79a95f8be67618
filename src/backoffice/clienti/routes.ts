import type { FastifyInstance } from 'fastify';
import { CLIENT_ID } from '../../clients/clients.js';
import { pickFields } from '../../ui/validators.js';
import type { AppDeps } from '../../ui/deps.js';
import { queryValue } from '../../ui/route.js';
import { type IdRoute, idIf, recordHandler, requireOperator } from '../accesso/guard.js';
import { listClients, removeClient, setClientDisabled } from './service.js';
import { clientsPage } from './views.js';

/**
 * The one client registry (registered with `varco client add`): the API's machine clients and
 * the relying parties of the OpenID Provider, listed by a supervisore, who may disable one — its
 * credentials and every token it holds stop working at once — enable it again, or remove it.
 * A client that sent certificates cannot be removed (they keep naming it): it can be disabled.
 */
export function backofficeClientiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireOperator(deps, ['supervisore']) };
  const clientId = idIf((id) => CLIENT_ID.test(id));

  app.get('/backoffice/clienti', guard, async (req, reply) =>
    reply.type('text/html').send(clientsPage(req.ctx, await listClients(deps.db), queryValue(req, 'nonrimovibile'))),
  );

  app.post<IdRoute>(
    '/backoffice/clienti/:id/stato',
    guard,
    recordHandler(clientId, async (req, reply, id, { audit }) => {
      const disable = pickFields(req.body, ['azione']).azione === 'disattiva';
      if (!(await setClientDisabled(deps, id, disable, audit))) return reply.callNotFound();
      return reply.redirect('/backoffice/clienti', 303);
    }),
  );

  app.post<IdRoute>(
    '/backoffice/clienti/:id/rimuovi',
    guard,
    recordHandler(clientId, async (req, reply, id, { audit }) => {
      const outcome = await removeClient(deps.db, id, audit);
      if (outcome === 'unknown') return reply.callNotFound();
      return reply.redirect(outcome === 'kept' ? `/backoffice/clienti?nonrimovibile=${encodeURIComponent(id)}` : '/backoffice/clienti', 303);
    }),
  );
}
