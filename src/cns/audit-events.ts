import type { AuditEventName } from '../audit/events.js';

/** The audit events this module writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = ['login.federated_refused'] as const satisfies readonly AuditEventName[];
