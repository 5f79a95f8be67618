import type { AuditEventName } from '../../audit/events.js';

/** The audit events this flow writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = [
  'contact.replaced_at_first_access',
  'login.succeeded',
  'login.failed',
  'login.refused_blocked',
  'session.ended',
  'login.locked',
  'pin.verified',
] as const satisfies readonly AuditEventName[];
