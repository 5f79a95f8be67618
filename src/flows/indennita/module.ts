import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** R20, R21: the COVID-19 indemnity. */
export const indennitaModule = defineModule({
  name: 'indennita',
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { indennitaRoutes } = await import('./routes.js');
    await indennitaRoutes(app, deps);
  },
});
