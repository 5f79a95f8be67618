import type { Kysely } from 'kysely';
import { audit } from '../../audit/events.js';
import type { Database } from '../../db/schema.js';
import { CITIZEN_UPLOAD_KINDS, removeFromDisk } from './files.js';
import { columns } from '../../db/columns.js';

/**
 * Issue 12 F5: how long uploaded documents are kept (VARCO_DOCUMENT_RETENTION_DAYS,
 * VARCO_DOCUMENT_EVIDENCE_YEARS; the reasons are in docs/decisions.md).
 * - a draft untouched for `days` is abandoned: the draft and its files are erased;
 * - a rejected request's files are erased `days` after the decision (the decision is kept);
 * - an approved request's files are kept `evidenceYears` after the decision, then erased;
 * - a request in the operators' queue is never touched;
 * - an upload no request references (left by a crash, or by the re-uploads before this policy)
 *   is erased a day after it was written.
 */
export interface RetentionPolicy {
  days: number;
  evidenceYears: number;
}

export interface RetentionDeps {
  db: Kysely<Database>;
  filesDir: string;
  now: () => Date;
}

/** Requests handled per run and kind: a backlog drains over the following runs. */
const BATCH = 200;
/** An unreferenced upload younger than this may still be in an upload's transaction. */
const ORPHAN_GRACE_MS = 86_400_000;

export async function eraseExpiredDocuments(deps: RetentionDeps, policy: RetentionPolicy): Promise<{ requests: number; files: number }> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - policy.days * 86_400_000);
  const evidenceCutoff = new Date(now);
  evidenceCutoff.setUTCFullYear(evidenceCutoff.getUTCFullYear() - policy.evidenceYears);
  let requests = 0;
  let files = 0;

  const drafts = await deps.db
    .selectFrom('conversion_requests')
    .select('id')
    .where('state', '=', 'bozza')
    .where('touched_at', '<', cutoff)
    .limit(BATCH)
    .execute();
  for (const { id } of drafts) {
    const erased = await eraseRequest(deps, id, { state: 'bozza', before: cutoff, reason: 'bozza_abbandonata' });
    if (erased !== undefined) [requests, files] = [requests + 1, files + erased];
  }
  for (const [state, before, reason] of [
    ['respinta', cutoff, 'respinta'],
    ['approvata', evidenceCutoff, 'approvata'],
  ] as const) {
    const decided = await deps.db
      .selectFrom('conversion_requests')
      .select('id')
      .where('state', '=', state)
      .where('decided_at', '<', before)
      .where('files_erased_at', 'is', null)
      .limit(BATCH)
      .execute();
    for (const { id } of decided) {
      const erased = await eraseRequest(deps, id, { state, before, reason });
      if (erased !== undefined) [requests, files] = [requests + 1, files + erased];
    }
  }
  files += await eraseOrphans(deps, new Date(now.getTime() - ORPHAN_GRACE_MS));
  return { requests, files };
}

/**
 * One request, in one transaction: its state and age checked again under a row lock (an upload
 * or a decision may have come in between), file rows deleted and the erasure audited; the bytes
 * go from disk once that has committed. Resolves to the number of files erased, or undefined if
 * the request no longer qualified.
 */
async function eraseRequest(
  deps: RetentionDeps,
  id: string,
  rule: { state: 'bozza' | 'respinta' | 'approvata'; before: Date; reason: 'bozza_abbandonata' | 'respinta' | 'approvata' },
): Promise<number | undefined> {
  const paths = await deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom('conversion_requests')
      .innerJoin('citizens', 'citizens.id', 'conversion_requests.citizen_id')
      .select([...columns('conversion_requests', ['number', 'module_file_id', 'id_file_id', 'touched_at', 'decided_at']), 'citizens.codice_fiscale'])
      .where('conversion_requests.id', '=', id)
      .where('conversion_requests.state', '=', rule.state)
      // Only the request's row: an upload locks the citizen, then the request.
      .forUpdate('conversion_requests')
      .executeTakeFirst();
    const since = rule.state === 'bozza' ? r?.touched_at : r?.decided_at;
    if (!r || !since || new Date(since) >= rule.before) return undefined;
    const fileIds = [r.module_file_id, r.id_file_id].filter((f): f is string => f !== null);
    if (rule.state === 'bozza') await trx.deleteFrom('conversion_requests').where('id', '=', id).execute();
    else
      await trx.updateTable('conversion_requests').set({ module_file_id: null, id_file_id: null, files_erased_at: deps.now() }).where('id', '=', id).execute();
    const rows = fileIds.length ? await trx.deleteFrom('stored_files').where('id', 'in', fileIds).returning('path').execute() : [];
    await audit.documentsErased(trx, r.codice_fiscale, { number: r.number, reason: rule.reason, files: rows.length });
    return rows.map((row) => row.path);
  });
  if (!paths) return undefined;
  await removeFromDisk(deps.filesDir, paths);
  return paths.length;
}

/** Uploads no request references, older than the grace period. */
async function eraseOrphans(deps: RetentionDeps, before: Date): Promise<number> {
  const erased = await deps.db.transaction().execute(async (trx) => {
    const rows = await trx
      .deleteFrom('stored_files')
      .where('kind', 'in', [...CITIZEN_UPLOAD_KINDS])
      .where('created_at', '<', before)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('conversion_requests')
              .select('conversion_requests.id')
              .where((eb) => eb.or([eb('module_file_id', '=', eb.ref('stored_files.id')), eb('id_file_id', '=', eb.ref('stored_files.id'))])),
          ),
        ),
      )
      .returning(['stored_files.path', 'stored_files.citizen_id'])
      .execute();
    const perCitizen = new Map<string, number>();
    for (const row of rows) perCitizen.set(row.citizen_id, (perCitizen.get(row.citizen_id) ?? 0) + 1);
    if (perCitizen.size) {
      const cfs = await trx
        .selectFrom('citizens')
        .select(['id', 'codice_fiscale'])
        .where('id', 'in', [...perCitizen.keys()])
        .execute();
      for (const c of cfs) await audit.documentsErased(trx, c.codice_fiscale, { number: null, reason: 'orfano', files: perCitizen.get(c.id) ?? 0 });
    }
    return rows.map((row) => row.path);
  });
  await removeFromDisk(deps.filesDir, erased);
  return erased.length;
}
