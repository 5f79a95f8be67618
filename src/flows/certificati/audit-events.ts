import type { AuditEventName } from '../../audit/events.js';

/** The audit events this flow writes (src/audit/events.ts; test/audit-events.test.ts checks them against its source). */
export const AUDIT_EVENTS = [
  'client.refused',
  'certificato.ricevuto',
  'certificato.ripetuto',
  'certificato.ricerca',
  'certificato.avviso_richiesto',
  'certificato.avviso_aggiornato',
  'certificato.avviso_codice_errato',
] as const satisfies readonly AuditEventName[];
