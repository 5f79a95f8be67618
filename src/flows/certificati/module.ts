import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/**
 * Sickness-certificate notices: the citizen's pages, and the API under /api for the systems that
 * send them (its bearer tokens come from the OpenID Provider's client credentials grant).
 */
export const certificati = defineModule({
  name: 'certificati',
  dependencies: ['oidc'],
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    const [{ apiScope }, { certificatiApiRoutes }, { certificatiRoutes }] = await Promise.all([
      import('../../ui/api.js'),
      import('./api.js'),
      import('./routes.js'),
    ]);
    await app.register(async (api) => apiScope(api, deps, certificatiApiRoutes), { prefix: '/api' });
    certificatiRoutes(app, deps);
  },
});
