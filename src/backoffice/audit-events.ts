import type { AuditEventName } from '../audit/events.js';

/** The audit events this module writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = [
  'client.state_changed',
  'client.removed',
  'covid.domanda_consultata',
  'conversione.approved',
  'conversione.rejected',
  'operator.created',
  'operator.login',
  'operator.login_failed',
  'operator.login_refused_blocked',
  'approval.requested',
  'approval.approved',
  'approval.rejected',
  'approval.self_refused',
  'approval.stopped',
  'approval.issued',
  'approval.issue_refused',
  'operator.contacts_changed',
  'operator.logout',
  'operator.viewed_citizen',
  'operator.viewed_file',
  'operator.intermediary_changed',
  'operator.state_changed',
] as const satisfies readonly AuditEventName[];
