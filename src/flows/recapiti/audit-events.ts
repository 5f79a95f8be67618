import type { AuditEventName } from '../../audit/events.js';

/** The audit events this flow writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = [
  'contact.change_requested',
  'contact.changed',
  'contact.change_failed',
  'contact.change_reauth',
  'operator.contacts_changed',
] as const satisfies readonly AuditEventName[];
