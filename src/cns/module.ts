import { defineModule } from '../ui/module.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** CNS: a TLS client certificate, on Varco's HTTPS listener or from a verifying proxy. */
export const cnsModule = defineModule({
  name: 'cns',
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { cnsRoutes } = await import('./cns.js');
    await cnsRoutes(app, deps);
  },
});
