import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, DocumentType } from '../../db/schema.js';
import { enqueue } from '../../outbox/outbox.js';
import type { SecretBox } from '../../security/secret-box.js';
import { CITIZEN_UPLOAD_KINDS, readStoredFile, removeFromDisk, type WrittenFile, writeFileToDisk } from './files.js';
import type { CleanFile } from './sanitize.js';
import { columns } from '../../db/columns.js';

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

/** The number printed on the module and told to the citizen: `CONV-` and the first ten hex digits of the request's id. */
const conversionNumber = (id: string) => `CONV-${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`;

/** The citizen's latest request, whatever its state (the profile shows it). */
export function latestRequest(db: Kysely<Database>, citizenId: string) {
  return db.selectFrom('conversion_requests').selectAll().where('citizen_id', '=', citizenId).orderBy('created_at', 'desc').executeTakeFirst();
}

/** R15 step 2: the draft with the identity document; a second visit updates the same draft. */
export async function saveDraft(
  deps: ConversioneDeps,
  s: { citizenId: string; credentialId: string },
  doc: IdentityDocument,
  ctx: AuditContext & { cf: string },
): Promise<string> {
  const current = await latestRequest(deps.db, s.citizenId);
  const values = { doc_type: doc.type, doc_number: doc.number, doc_authority: doc.authority, doc_issued: doc.issued, doc_expires: doc.expires };
  if (current?.state === 'bozza') {
    await deps.db
      .updateTable('conversion_requests')
      .set({ ...values, touched_at: deps.now() })
      .where('id', '=', current.id)
      .execute();
    return current.id;
  }
  const id = randomUUID();
  const number = conversionNumber(id);
  await deps.db
    .insertInto('conversion_requests')
    .values({ id, number, citizen_id: s.citizenId, credential_id: s.credentialId, state: 'bozza', ...values, touched_at: deps.now() })
    .execute();
  await audit.conversioneStarted(deps.db, ctx, ctx.cf, { number });
  return id;
}

export type AttachOutcome = { ok: true } | { ok: false; reason: 'quota' | 'not_draft' };

/** Bytes a citizen's uploads take, leaving out the files about to be replaced. */
async function uploadedBytes(db: Kysely<Database>, citizenId: string, except: string[]): Promise<number> {
  let q = db
    .selectFrom('stored_files')
    .select(sql<string>`coalesce(sum(size_bytes), 0)`.as('bytes'))
    .where('citizen_id', '=', citizenId)
    .where('kind', 'in', [...CITIZEN_UPLOAD_KINDS]);
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
      await trx
        .updateTable('conversion_requests')
        .set({ module_file_id: modulo.id, id_file_id: documento.id, touched_at: deps.now() })
        .where('id', '=', requestId)
        .execute();
      const replaced = previous.length ? await trx.deleteFrom('stored_files').where('id', 'in', previous).returning('path').execute() : [];
      await audit.conversioneFilesAttached(trx, ctx, ctx.cf, { number: draft.number, files: written.length, bytes: adding, replaced: replaced.length });
      return { ok: true as const, erase: replaced.map((r) => r.path) };
    });
    if (!outcome.ok) {
      await removeFromDisk(
        deps.filesDir,
        written.map((f) => f.path),
      );
      return outcome;
    }
    // The old bytes go only once the new rows are committed: a crash before leaves them, and the retention sweep.
    await removeFromDisk(deps.filesDir, outcome.erase);
    return { ok: true };
  } catch (error) {
    await removeFromDisk(
      deps.filesDir,
      written.map((f) => f.path),
    );
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

/** What an operator's decision needs: the outbox seals the messages. */
export interface ConversionReviewDeps {
  db: Kysely<Database>;
  box: SecretBox;
  now: () => Date;
}

/**
 * R15: an operator's decision on an online conversion. Approval makes the credential
 * dispositivo (the session level rises at the next login) and emails the citizen, as seed 002
 * says; a rejection emails the reason. Both are audited under the operator's name.
 */
export async function decideConversion(
  deps: ConversionReviewDeps,
  requestId: string,
  decision: { approve: true } | { approve: false; reason: string },
  ctx: AuditContext,
): Promise<{ ok: true; number: string } | { ok: false }> {
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('conversion_requests')
      .set({
        state: decision.approve ? 'approvata' : 'respinta',
        decided_at: deps.now(),
        decided_by: ctx.actor,
        reason: decision.approve ? null : decision.reason,
      })
      .where('id', '=', requestId)
      .where('state', '=', 'in_lavorazione')
      .returning(['number', 'citizen_id', 'credential_id'])
      .executeTakeFirst();
    if (!r) return { ok: false as const };
    if (decision.approve) await trx.updateTable('credentials').set({ dispositivo: true, updated_at: deps.now() }).where('id', '=', r.credential_id).execute();
    const c = await trx
      .selectFrom('citizens')
      .select(['codice_fiscale', 'nome', 'cognome', 'locale', 'email', 'pec'])
      .where('id', '=', r.citizen_id)
      .executeTakeFirstOrThrow();
    const to = c.email ? { channel: 'email' as const, to: c.email } : c.pec ? { channel: 'pec' as const, to: c.pec } : undefined;
    if (to) {
      await enqueue(trx, deps.box, [
        {
          channel: to.channel,
          template: decision.approve ? 'conversione.approved' : 'conversione.rejected',
          recipient: to.to,
          locale: c.locale,
          params: { nome: c.nome, cognome: c.cognome, number: r.number, ...(decision.approve ? {} : { reason: decision.reason }) },
          citizenId: r.citizen_id,
        },
      ]);
    }
    if (decision.approve) await audit.conversioneApproved(trx, ctx, c.codice_fiscale, { number: r.number });
    else await audit.conversioneRejected(trx, ctx, c.codice_fiscale, { number: r.number, reason: decision.reason });
    return { ok: true as const, number: r.number };
  });
}

/** The operators' review queue (R15): the submitted requests, oldest first. */
export function reviewQueue(db: Kysely<Database>) {
  return db
    .selectFrom('conversion_requests')
    .innerJoin('citizens', 'citizens.id', 'conversion_requests.citizen_id')
    .select([...columns('conversion_requests', ['id', 'number', 'submitted_at']), ...columns('citizens', ['codice_fiscale', 'cognome', 'nome'])])
    .where('conversion_requests.state', '=', 'in_lavorazione')
    .orderBy('conversion_requests.submitted_at')
    .limit(100)
    .execute();
}

/** A request as the reviewing operator sees it, with the citizen it names. */
export async function requestForReview(db: Kysely<Database>, requestId: string) {
  const request = await db.selectFrom('conversion_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!request) return undefined;
  const citizen = await db
    .selectFrom('citizens')
    .select(['codice_fiscale', 'cognome', 'nome', 'data_nascita'])
    .where('id', '=', request.citizen_id)
    .executeTakeFirstOrThrow();
  return { request, citizen };
}

/** A citizen's requests, newest first (the back office's citizen page). */
export function requestsOfCitizen(db: Kysely<Database>, citizenId: string) {
  return db.selectFrom('conversion_requests').select(['number', 'state']).where('citizen_id', '=', citizenId).orderBy('created_at', 'desc').execute();
}

/** An uploaded document, for a reviewing operator: read from disk and audited under its owner's CF; undefined when there is none. */
export async function storedFileForOperator(db: Kysely<Database>, filesDir: string, fileId: string, ctx: AuditContext) {
  const owner = await db
    .selectFrom('stored_files')
    .innerJoin('citizens', 'citizens.id', 'stored_files.citizen_id')
    .select('citizens.codice_fiscale')
    .where('stored_files.id', '=', fileId)
    .executeTakeFirst();
  const file = owner ? await readStoredFile(db, filesDir, fileId) : undefined;
  if (!owner || !file) return undefined;
  await audit.operatorViewedFile(db, ctx, owner.codice_fiscale, { fileId });
  return file;
}

/**
 * R15, other channels: a module received by fax or at the counter, checked by the operator,
 * recorded as a request of that channel and approved at once (the same decision as the online
 * review). False when the citizen holds no live credential.
 */
export async function recordConversionByOperator(
  deps: ConversionReviewDeps,
  o: { citizenId: string; channel: 'fax' | 'sede'; document: IdentityDocument },
  ctx: AuditContext,
): Promise<boolean> {
  const credential = await deps.db
    .selectFrom('credentials')
    .select(['id', 'dispositivo'])
    .where('citizen_id', '=', o.citizenId)
    .where('state', 'in', ['initial', 'active'])
    .executeTakeFirst();
  if (!credential) return false;
  const id = randomUUID();
  const d = o.document;
  await deps.db
    .insertInto('conversion_requests')
    .values({
      id,
      number: conversionNumber(id),
      citizen_id: o.citizenId,
      credential_id: credential.id,
      state: 'in_lavorazione',
      channel: o.channel,
      submitted_at: deps.now(),
      doc_type: d.type,
      doc_number: d.number,
      doc_authority: d.authority,
      doc_issued: d.issued,
      doc_expires: d.expires,
    })
    .execute();
  await decideConversion(deps, id, { approve: true }, ctx);
  return true;
}
