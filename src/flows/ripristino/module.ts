import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'ripristinoRoutes');

/** R13: a lost PIN restored. */
export const ripristino = defineModule({ name: 'ripristino', messages, templates, auditEvents, routes });
