import { defineModule, lazyRoutes } from '../ui/module.js';
import { AUDIT_EVENTS as auditEvents } from './audit-events.js';

const routes = lazyRoutes(() => import('./cns.js'), 'cnsRoutes');

/** CNS: a TLS client certificate, on Varco's HTTPS listener or from a verifying proxy. */
export const cns = defineModule({ name: 'cns', auditEvents, routes });
