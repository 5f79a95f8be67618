import { defineModule } from '../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** The development mailbox (VARCO_DEV_MAILBOX): what the outbox would have sent, readable in the browser. */
export const dev = defineModule({
  name: 'dev',
  messages,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    if (!deps.config.devMailbox) return;
    const { devMailboxRoutes } = await import('./mailbox.js');
    devMailboxRoutes(app, deps);
  },
});
