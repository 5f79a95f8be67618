import { defineModule } from '../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** The back office: operators, reviews, approvals, the Contact Center. */
export const backofficeModule = defineModule({
  name: 'backoffice',
  messages,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { backofficeRoutes } = await import('./index.js');
    await backofficeRoutes(app, deps);
  },
});
