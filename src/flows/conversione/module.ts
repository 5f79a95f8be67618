import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** R15: the conversion to PIN dispositivo. */
export const conversioneModule = defineModule({
  name: 'conversione',
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { conversioneRoutes } = await import('./routes.js');
    await conversioneRoutes(app, deps);
  },
});
