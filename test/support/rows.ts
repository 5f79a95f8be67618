import type { Db } from '../../src/db/database.js';
import type { SecretBox } from '../../src/security/secret-box.js';

/** Which audit records: of one citizen (or any), for one event, several, or a LIKE pattern ending in '%'. */
export interface AuditWhere {
  cf?: string;
  event: string | readonly string[];
}

/** The audit records of a citizen for an event (or events), oldest first; choose the columns with `.select(...)`. */
export function auditOf(db: Db, { cf, event }: AuditWhere) {
  let q = db.selectFrom('audit_events');
  if (cf !== undefined) q = q.where('subject_cf', '=', cf);
  if (typeof event !== 'string') q = q.where('event', 'in', event);
  else q = q.where('event', event.endsWith('%') ? 'like' : '=', event);
  return q.orderBy('id');
}

/** Which outbox messages: of one citizen, of one template (or several), to one recipient; every one given must hold. */
export interface OutboxWhere {
  citizenId?: string;
  template?: string | readonly string[];
  recipient?: string;
}

/** The outbox messages of a citizen, a template, a recipient; choose the columns with `.select(...)`. */
export function outboxOf(db: Db, { citizenId, template, recipient }: OutboxWhere) {
  let q = db.selectFrom('outbox_messages');
  if (citizenId !== undefined) q = q.where('citizen_id', '=', citizenId);
  if (typeof template === 'string') q = q.where('template', '=', template);
  else if (template !== undefined) q = q.where('template', 'in', template);
  if (recipient !== undefined) q = q.where('recipient', '=', recipient);
  return q;
}

/** The secret (a code, a link) of the newest message of a template sent to a recipient, decrypted. */
export async function secretSentTo(db: Db, box: SecretBox, template: string, recipient: string): Promise<string> {
  const row = await outboxOf(db, { template, recipient }).select(['id', 'secret_ciphertext']).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  if (row.secret_ciphertext === null) throw new Error(`the newest ${template} to ${recipient} has no secret left`);
  return box.open(row.secret_ciphertext, row.id);
}
