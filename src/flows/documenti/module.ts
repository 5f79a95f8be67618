import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** The citizen's documents. */
export const documentiModule = defineModule({
  name: 'documenti',
  messages,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { documentiRoutes } = await import('./routes.js');
    await documentiRoutes(app, deps);
  },
});
