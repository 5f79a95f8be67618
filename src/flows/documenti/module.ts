import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'documentiRoutes');

/** The citizen's documents. */
export const documenti = defineModule({ name: 'documenti', messages, auditEvents, routes });
