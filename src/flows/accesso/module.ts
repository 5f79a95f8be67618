import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'accessoRoutes');

/** R7–R10: login with the PIN, first access, expiry, lockout. */
export const accesso = defineModule({ name: 'accesso', dependencies: ['oidc'], messages, templates, auditEvents, routes });
