import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** R13: a lost PIN restored. */
export const ripristinoModule = defineModule({
  name: 'ripristino',
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { ripristinoRoutes } = await import('./routes.js');
    await ripristinoRoutes(app, deps);
  },
});
