import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** R14: a PIN revoked. */
export const revocaModule = defineModule({
  name: 'revoca',
  messages,
  templates,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { revocaRoutes } = await import('./routes.js');
    await revocaRoutes(app, deps);
  },
});
