import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'profiloRoutes');

/** The Bacheca and the Anagrafica, the PIN change of a logged-in citizen. */
export const profilo = defineModule({ name: 'profilo', messages, auditEvents, routes });
