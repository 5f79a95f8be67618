import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, DocumentType } from '../../db/schema.js';
import { CITIZEN_UPLOAD_KINDS, removeFromDisk, type WrittenFile, writeFileToDisk } from './files.js';
import type { CleanFile } from './sanitize.js';

export interface ConversioneDeps {
  db: Kysely<Database>;
  filesDir: string;
  now: () => Date;
  /** VARCO_UPLOAD_QUOTA_MB: what one citizen's uploads may take in all. */
  quotaBytes: number;
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
    await deps.db.updateTable('conversion_requests').set({ ...values, touched_at: deps.now() }).where('id', '=', current.id).execute();
    return current.id;
  }
  const id = randomUUID();
  const number = `CONV-${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  await deps.db.insertInto('conversion_requests').values({ id, number, citizen_id: s.citizenId, credential_id: s.credentialId, state: 'bozza', ...values, touched_at: deps.now() }).execute();
  await audit.conversioneStarted(deps.db, ctx, ctx.cf, { number });
  return id;
}

export type AttachOutcome = { ok: true } | { ok: false; reason: 'quota' | 'not_draft' };

/** Bytes a citizen's uploads take, leaving out the files about to be replaced. */
async function uploadedBytes(db: Kysely<Database>, citizenId: string, except: string[]): Promise<number> {
  let q = db.selectFrom('stored_files').select(sql<string>`coalesce(sum(size_bytes), 0)`.as('bytes')).where('citizen_id', '=', citizenId).where('kind', 'in', [...CITIZEN_UPLOAD_KINDS]);
  if (except.length) q = q.where('id', 'not in', except);
  return Number((await q.executeTakeFirstOrThrow()).bytes);
}

/**
 * R15 step 4: the signed module and the identity document, as rewritten by `sanitizeUpload`.
 * Issue 12 F5: they replace the draft's earlier files (rows and bytes erased), within the
 * citizen's quota. The citizen's row is locked, so two uploads of one citizen take turns.
 */
export async function attachFiles(
  deps: ConversioneDeps,
  requestId: string,
  citizenId: string,
  files: { modulo: CleanFile; documento: CleanFile },
  ctx: AuditContext & { cf: string },
): Promise<AttachOutcome> {
  const written: WrittenFile[] = [];
  try {
    const modulo = await writeFileToDisk(deps.filesDir, citizenId, 'modulo_firmato', files.modulo);
    written.push(modulo);
    const documento = await writeFileToDisk(deps.filesDir, citizenId, 'documento_identita', files.documento);
    written.push(documento);
    const outcome = await deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('citizens').select('id').where('id', '=', citizenId).forUpdate().executeTakeFirstOrThrow();
      const draft = await trx
        .selectFrom('conversion_requests')
        .select(['number', 'module_file_id', 'id_file_id'])
        .where('id', '=', requestId)
        .where('citizen_id', '=', citizenId)
        .where('state', '=', 'bozza')
        .forUpdate()
        .executeTakeFirst();
      if (!draft) return { ok: false as const, reason: 'not_draft' as const };
      const previous = [draft.module_file_id, draft.id_file_id].filter((id): id is string => id !== null);
      const adding = written.reduce((sum, f) => sum + f.size_bytes, 0);
      if ((await uploadedBytes(trx, citizenId, previous)) + adding > deps.quotaBytes) {
        await audit.conversioneFilesRefused(trx, ctx, ctx.cf, { number: draft.number, reason: 'quota' });
        return { ok: false as const, reason: 'quota' as const };
      }
      await trx.insertInto('stored_files').values(written).execute();
      await trx.updateTable('conversion_requests').set({ module_file_id: modulo.id, id_file_id: documento.id, touched_at: deps.now() }).where('id', '=', requestId).execute();
      const replaced = previous.length ? await trx.deleteFrom('stored_files').where('id', 'in', previous).returning('path').execute() : [];
      await audit.conversioneFilesAttached(trx, ctx, ctx.cf, { number: draft.number, files: written.length, bytes: adding, replaced: replaced.length });
      return { ok: true as const, erase: replaced.map((r) => r.path) };
    });
    if (!outcome.ok) {
      await removeFromDisk(deps.filesDir, written.map((f) => f.path));
      return outcome;
    }
    // The old bytes go only once the new rows are committed: a crash before leaves them, and the retention sweep.
    await removeFromDisk(deps.filesDir, outcome.erase);
    return { ok: true };
  } catch (error) {
    await removeFromDisk(deps.filesDir, written.map((f) => f.path));
    throw error;
  }
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
