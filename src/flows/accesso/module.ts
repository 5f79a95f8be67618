import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** R7–R10: login with the PIN, first access, expiry, lockout. */
export const accessoModule = defineModule({
  name: 'accesso',
  dependencies: ['oidc'],
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { accessoRoutes } = await import('./routes.js');
    await accessoRoutes(app, deps);
  },
});
