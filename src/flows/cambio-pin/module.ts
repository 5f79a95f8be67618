import { defineModule } from '../../ui/module.js';
import { AUDIT_EVENTS } from './audit-events.js';

/** R7, R8: the PIN change and its rules, used by the login (first access, expiry) and the profile; it has no pages of its own. */
export const cambioPin = defineModule({
  name: 'cambio-pin',
  auditEvents: AUDIT_EVENTS,
});
