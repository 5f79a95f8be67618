import { defineModule } from '../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** SPID and CIE (issue 7): Varco as relying party of the providers of VARCO_FEDERATION_FILE. */
export const federation = defineModule({
  name: 'federation',
  messages,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    const [{ createFederationRp }, { federationRoutes }] = await Promise.all([import('./rp.js'), import('./routes.js')]);
    const rp = createFederationRp({ db: deps.db, box: deps.box, publicUrl: deps.config.publicUrl, providers: deps.config.identityProviders });
    federationRoutes(app, deps, rp);
  },
});
