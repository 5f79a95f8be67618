import type { AuditEventName } from '../../audit/events.js';

/** The audit events this flow writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = ['pin.changed'] as const satisfies readonly AuditEventName[];
