import { defineModule } from '../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';
import * as federationKeys from './migrations/20261203_0001_federation_keys.js';

/** SPID and CIE (issues 7 and 15): Varco as relying party of the providers, and as a leaf of their federations. */
export const federation = defineModule({
  name: 'federation',
  messages,
  auditEvents: AUDIT_EVENTS,
  migrations: { '20261203_0001_federation_keys': federationKeys },
  async routes(app, deps) {
    const [{ createFederationRp }, { federationRoutes }, { providerDirectoryFor }] = await Promise.all([
      import('./rp.js'),
      import('./routes.js'),
      import('./directory.js'),
    ]);
    const directory = providerDirectoryFor(deps.config, app.log);
    // The federations' providers are read as the portal starts, in the background: /accedi never waits for them.
    if (deps.config.trustAnchors.length) void directory.ready().catch((e: unknown) => app.log.warn({ err: String(e) }, 'federation providers unread'));
    const rp = createFederationRp({
      db: deps.db,
      box: deps.box,
      publicUrl: deps.config.publicUrl,
      directory,
      log: app.log,
      leaf: deps.config.federationLeaf,
      organization: deps.config.istituto.name,
      allowInternal: deps.config.mode !== 'production',
    });
    federationRoutes(app, deps, rp);
  },
});
