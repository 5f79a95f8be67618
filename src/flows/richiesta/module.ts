import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** R1–R5: the PIN request, with the PIN split over two channels. */
export const richiestaModule = defineModule({
  name: 'richiesta',
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { richiestaRoutes } = await import('./routes.js');
    await richiestaRoutes(app, deps);
  },
});
