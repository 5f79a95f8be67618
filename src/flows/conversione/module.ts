import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { templates } from './templates.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'conversioneRoutes');

/** R15: the conversion to PIN dispositivo. */
export const conversione = defineModule({ name: 'conversione', messages, templates, auditEvents, routes });
