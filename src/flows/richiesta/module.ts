import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'richiestaRoutes');

/** R1–R5: the PIN request, with the PIN split over two channels. */
export const richiesta = defineModule({ name: 'richiesta', messages, templates, auditEvents, routes });
