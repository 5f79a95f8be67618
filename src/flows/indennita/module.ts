import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'indennitaRoutes');

/** R20, R21: the COVID-19 indemnity. */
export const indennita = defineModule({ name: 'indennita', messages, templates, auditEvents, routes });
