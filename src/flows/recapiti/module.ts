import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** The citizen's contacts, verified with a code. */
export const recapitiModule = defineModule({
  name: 'recapiti',
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { recapitiRoutes } = await import('./routes.js');
    await recapitiRoutes(app, deps);
  },
});
