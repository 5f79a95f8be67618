import { defineModule, lazyRoutes } from '../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./index.js'), 'backofficeRoutes');

/** The back office: operators, reviews, approvals, the Contact Center. */
export const backoffice = defineModule({ name: 'backoffice', messages, auditEvents, routes });
