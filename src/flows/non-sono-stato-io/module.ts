import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./routes.js'), 'notMeRoutes');

/** "Non sono stato io": a replaced contact reported by its previous owner. */
export const nonSonoStatoIo = defineModule({ name: 'non-sono-stato-io', messages, auditEvents, routes });
