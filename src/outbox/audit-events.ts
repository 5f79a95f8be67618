import type { AuditEventName } from '../audit/events.js';

/** The audit events this module writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = ['outbox.sent', 'outbox.abandoned', 'quota.exceeded', 'sms.global_cap_reached'] as const satisfies readonly AuditEventName[];
