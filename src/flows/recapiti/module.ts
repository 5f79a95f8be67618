import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'recapitiRoutes');

/** The citizen's contacts, verified with a code. */
export const recapiti = defineModule({ name: 'recapiti', messages, templates, auditEvents, routes });
