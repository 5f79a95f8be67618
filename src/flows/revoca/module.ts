import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'revocaRoutes');

/** R14: a PIN revoked. */
export const revoca = defineModule({ name: 'revoca', messages, templates, auditEvents, routes });
