import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, DocumentType } from '../../db/schema.js';
import { storeFile } from './files.js';

export interface ConversioneDeps {
  db: Kysely<Database>;
  filesDir: string;
  now: () => Date;
}

export interface IdentityDocument {
  type: DocumentType;
  number: string;
  authority: string;
  /** 'YYYY-MM-DD' */
  issued: string;
  expires: string;
}

/** The citizen's latest request, whatever its state (the profile shows it). */
export function latestRequest(db: Kysely<Database>, citizenId: string) {
  return db.selectFrom('conversion_requests').selectAll().where('citizen_id', '=', citizenId).orderBy('created_at', 'desc').executeTakeFirst();
}

/** R15 step 2: the draft with the identity document; a second visit updates the same draft. */
export async function saveDraft(deps: ConversioneDeps, s: { citizenId: string; credentialId: string }, doc: IdentityDocument, ctx: AuditContext & { cf: string }): Promise<string> {
  const current = await latestRequest(deps.db, s.citizenId);
  const values = { doc_type: doc.type, doc_number: doc.number, doc_authority: doc.authority, doc_issued: doc.issued, doc_expires: doc.expires };
  if (current?.state === 'bozza') {
    await deps.db.updateTable('conversion_requests').set(values).where('id', '=', current.id).execute();
    return current.id;
  }
  const id = randomUUID();
  const number = `CONV-${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  await deps.db.insertInto('conversion_requests').values({ id, number, citizen_id: s.citizenId, credential_id: s.credentialId, state: 'bozza', ...values }).execute();
  await audit.conversioneStarted(deps.db, ctx, ctx.cf, { number });
  return id;
}

/** R15 step 4: the signed module and the identity document, checked by content. */
export async function attachFiles(deps: ConversioneDeps, requestId: string, citizenId: string, files: { modulo: Buffer; documento: Buffer }): Promise<void> {
  const moduleId = await storeFile(deps.db, deps.filesDir, citizenId, 'modulo_firmato', files.modulo);
  const idId = await storeFile(deps.db, deps.filesDir, citizenId, 'documento_identita', files.documento);
  await deps.db.updateTable('conversion_requests').set({ module_file_id: moduleId, id_file_id: idId }).where('id', '=', requestId).where('state', '=', 'bozza').execute();
}

/** R15 step 5: the request goes to the operators' review queue. */
export async function submitRequest(deps: ConversioneDeps, requestId: string, ctx: AuditContext & { cf: string }): Promise<boolean> {
  const r = await deps.db
    .updateTable('conversion_requests')
    .set({ state: 'in_lavorazione', submitted_at: deps.now() })
    .where('id', '=', requestId)
    .where('state', '=', 'bozza')
    .where('module_file_id', 'is not', null)
    .where('id_file_id', 'is not', null)
    .returning('number')
    .executeTakeFirst();
  if (!r) return false;
  await audit.conversioneSubmitted(deps.db, ctx, ctx.cf, { number: r.number });
  return true;
}
