import type { AuditEventName } from '../audit/events.js';

/** The audit events the composition root writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = ['ratelimit.exceeded'] as const satisfies readonly AuditEventName[];

/** The audit events of the command line, src/cli.ts. */
export const CLI_AUDIT_EVENTS = ['registry.imported', 'client.added', 'keys.rotated'] as const satisfies readonly AuditEventName[];
