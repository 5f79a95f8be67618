import type { AuditEventName } from '../../audit/events.js';

/** The audit events this flow writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = [
  'conversione.started',
  'conversione.submitted',
  'conversione.files_attached',
  'conversione.files_refused',
  'documenti.erased',
  'conversione.approved',
  'conversione.rejected',
  'operator.viewed_file',
] as const satisfies readonly AuditEventName[];
