import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** "Non sono stato io": a replaced contact reported by its previous owner. */
export const nonSonoStatoIoModule = defineModule({
  name: 'non-sono-stato-io',
  messages,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { notMeRoutes } = await import('./routes.js');
    await notMeRoutes(app, deps);
  },
});
