import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** The Bacheca and the Anagrafica, the PIN change of a logged-in citizen. */
export const profiloModule = defineModule({
  name: 'profilo',
  messages,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { profiloRoutes } = await import('./routes.js');
    await profiloRoutes(app, deps);
  },
});
