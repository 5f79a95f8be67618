import { randomBytes, randomUUID } from 'node:crypto';
import type { ResidenceDeps } from '../../adapters/residence.js';
import type { Insertable, Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { ApprovalKind, Database, OperatorApprovalsTable } from '../../db/schema.js';
import { formatRome } from '../../domain/rome-time.js';
import { revokeCredential } from '../../flows/revoca/service.js';
import type { PinRequestData } from '../../flows/richiesta/form.js';
import { requestPin } from '../../flows/richiesta/service.js';
import { enqueue, type OutboxEntry } from '../../outbox/outbox.js';
import type { PinHasher } from '../../security/hasher.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { AppDeps } from '../../ui/deps.js';

/**
 * F7, four eyes. What one operator may not do alone waits in `operator_approvals`:
 * - an operator revocation (R14 for a caller without a tessera) runs when a supervisore other
 *   than the requester approves it;
 * - a PIN dispositivo after a remote identification ("riconoscimento a distanza") is approved the
 *   same way, then waits `remoteIssueDelayHours`, during which the contacts on record hear of it
 *   by email/PEC with a single-use stop link; after that the worker, or the next back-office
 *   request, issues it through the request service (first half by SMS to the cellulare typed,
 *   second half by letter to the residence).
 */
export interface ApprovalDeps {
  db: Kysely<Database>;
  box: SecretBox;
  hasher: PinHasher;
  now: () => Date;
  publicUrl: string;
  remoteIssueDelayHours: number;
  semplificatoOpen?: () => boolean;
  /** F1: the letter with the second half goes to the residence the registry holds. */
  residence: ResidenceDeps;
}

export function approvalDepsOf(deps: AppDeps): ApprovalDeps {
  return {
    db: deps.db,
    box: deps.box,
    hasher: deps.hasher,
    now: deps.now,
    publicUrl: deps.config.publicUrl,
    remoteIssueDelayHours: deps.config.remoteIssueDelayHours,
    semplificatoOpen: deps.semplificatoOpen,
    residence: deps.residence,
  };
}

/** What a remote issuance keeps until it is issued (sealed: it holds the citizen's data). */
interface RemoteIssuePayload {
  data: PinRequestData;
  locale: string;
}

/** How long an issuance taken by a process that then died waits before another takes it. */
const CLAIM_MINUTES = 10;
export const STOP_PATH = '/pin/emissione-remota/blocca';

const numberOf = (id: string) => `APP-${id.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
const stopFingerprint = (box: SecretBox, token: string) => box.fingerprint(`remote-stop:${token}`);

export type ApprovalRequested = { ok: true; number: string } | { ok: false; reason: 'already_pending' };

/** An operator's revocation of a live credential, waiting for a supervisore. */
export async function requestRevocaApproval(
  deps: Pick<ApprovalDeps, 'db' | 'now'>,
  o: { citizenId: string; codiceFiscale: string; credentialId: string; identification: string; operatorId: string },
  ctx: AuditContext,
): Promise<ApprovalRequested> {
  const id = randomUUID();
  return insertApproval(deps.db, ctx, o.codiceFiscale, {
    id,
    number: numberOf(id),
    kind: 'revoca',
    codice_fiscale: o.codiceFiscale,
    citizen_id: o.citizenId,
    credential_id: o.credentialId,
    payload_sealed: null,
    identification: o.identification,
    requested_by: o.operatorId,
    requested_at: deps.now(),
    state: 'pending',
  });
}

/** A PIN dispositivo after a remote identification, waiting for a supervisore; nothing is written to the citizen record. */
export async function requestRemoteIssue(
  deps: Pick<ApprovalDeps, 'db' | 'box' | 'now'>,
  o: { data: PinRequestData; locale: string; identification: string; operatorId: string },
  ctx: AuditContext,
): Promise<ApprovalRequested> {
  const id = randomUUID();
  const citizen = await deps.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', o.data.codiceFiscale).executeTakeFirst();
  const payload: RemoteIssuePayload = { data: o.data, locale: o.locale };
  return insertApproval(deps.db, ctx, o.data.codiceFiscale, {
    id,
    number: numberOf(id),
    kind: 'remote_issue',
    codice_fiscale: o.data.codiceFiscale,
    citizen_id: citizen?.id ?? null,
    credential_id: null,
    payload_sealed: deps.box.seal(JSON.stringify(payload), id),
    identification: o.identification,
    requested_by: o.operatorId,
    requested_at: deps.now(),
    state: 'pending',
  });
}

async function insertApproval(db: Kysely<Database>, ctx: AuditContext, cf: string, row: Insertable<OperatorApprovalsTable>): Promise<ApprovalRequested> {
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('operator_approvals').values(row).execute();
      await audit.approvalRequested(trx, ctx, cf, { number: row.number, kind: row.kind });
    });
    return { ok: true, number: row.number };
  } catch (err) {
    // One open request per kind and CF (a partial unique index).
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === '23505') return { ok: false, reason: 'already_pending' };
    throw err;
  }
}

/** The pending and approved-but-not-issued requests, for the supervisori's list. */
export async function openApprovals(deps: Pick<ApprovalDeps, 'db' | 'box'>) {
  const rows = await deps.db
    .selectFrom('operator_approvals')
    .innerJoin('operators', 'operators.id', 'operator_approvals.requested_by')
    .select([
      'operator_approvals.id',
      'number',
      'kind',
      'codice_fiscale',
      'identification',
      'requested_by',
      'requested_at',
      'state',
      'not_before',
      'payload_sealed',
      'operators.username as requester',
    ])
    .where('state', 'in', ['pending', 'waiting', 'issuing'])
    .orderBy('requested_at')
    .limit(200)
    .execute();
  return rows.map(({ payload_sealed, ...r }) => {
    const payload = payload_sealed ? (JSON.parse(deps.box.open(payload_sealed, r.id)) as RemoteIssuePayload) : undefined;
    return { ...r, name: payload ? `${payload.data.cognome} ${payload.data.nome}` : undefined, cellulare: payload?.data.cellulare ?? undefined };
  });
}

/** The number of a request (its form field names it), or undefined when there is none. */
export async function approvalNumber(db: Kysely<Database>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('operator_approvals').select('number').where('id', '=', id).executeTakeFirst())?.number;
}

/** The open requests for one CF (shown on the citizen page). */
export async function openApprovalsFor(db: Kysely<Database>, codiceFiscale: string) {
  return db
    .selectFrom('operator_approvals')
    .select(['number', 'kind', 'state', 'not_before'])
    .where('codice_fiscale', '=', codiceFiscale)
    .where('state', 'in', ['pending', 'waiting', 'issuing'])
    .orderBy('requested_at')
    .execute();
}

export type Decision = { ok: true; number: string; kind: ApprovalKind; notBefore?: Date } | { ok: false; reason: 'not_pending' | 'same_operator' };

/**
 * A supervisore's decision. The approver must be a different operator from the requester (the
 * conditional update and a check constraint both hold it); everything the approval causes — the
 * revocation and its messages, or the notice with the stop link — is in the same transaction.
 */
export async function decideApproval(
  deps: ApprovalDeps,
  id: string,
  approver: { id: string; username: string },
  decision: { approve: true } | { approve: false; reason: string },
  ctx: AuditContext,
): Promise<Decision> {
  const now = deps.now();
  const current = await deps.db
    .selectFrom('operator_approvals')
    .select(['requested_by', 'state', 'number', 'kind', 'codice_fiscale'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!current || current.state !== 'pending') return { ok: false, reason: 'not_pending' };
  if (current.requested_by === approver.id) {
    await audit.approvalSelfRefused(deps.db, ctx, current.codice_fiscale, { number: current.number, kind: current.kind });
    return { ok: false, reason: 'same_operator' };
  }
  return deps.db.transaction().execute(async (trx): Promise<Decision> => {
    const notBefore = new Date(now.getTime() + deps.remoteIssueDelayHours * 3_600_000);
    const token = randomBytes(24).toString('base64url');
    const remote = current.kind === 'remote_issue';
    const row = await trx
      .updateTable('operator_approvals')
      .set(
        !decision.approve
          ? { state: 'rejected', decided_by: approver.id, decided_at: now, reason: decision.reason, payload_sealed: null }
          : remote
            ? { state: 'waiting', decided_by: approver.id, decided_at: now, not_before: notBefore, stop_token_hmac: stopFingerprint(deps.box, token) }
            : { state: 'done', decided_by: approver.id, decided_at: now, done_at: now },
      )
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where('requested_by', '<>', approver.id)
      .returning(['number', 'kind', 'codice_fiscale', 'citizen_id', 'credential_id', 'identification', 'requested_by'])
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'not_pending' };
    const requester = await trx.selectFrom('operators').select('username').where('id', '=', row.requested_by).executeTakeFirstOrThrow();
    if (!decision.approve) {
      await audit.approvalRejected(trx, ctx, row.codice_fiscale, {
        number: row.number,
        kind: row.kind,
        requestedBy: `operator:${requester.username}`,
        reason: decision.reason,
      });
      return { ok: true, number: row.number, kind: row.kind };
    }
    if (row.kind === 'revoca') {
      // A revocation request always names the citizen and the credential (requestRevocaApproval).
      const live = row.credential_id
        ? await trx.selectFrom('credentials').select('id').where('id', '=', row.credential_id).where('state', 'in', ['initial', 'active']).executeTakeFirst()
        : undefined;
      await audit.approvalApproved(trx, ctx, row.codice_fiscale, {
        number: row.number,
        kind: row.kind,
        requestedBy: `operator:${requester.username}`,
        notified: [],
      });
      // R14 for a caller without a tessera: attributed to the operator who identified the caller, approved by another.
      if (live && row.citizen_id) {
        await revokeCredential(
          trx,
          deps.box,
          { citizenId: row.citizen_id, credentialId: live.id, now },
          { ...ctx, actor: `operator:${requester.username}` },
          { identification: row.identification, approvedBy: `operator:${approver.username}`, approval: row.number },
        );
      }
      return { ok: true, number: row.number, kind: row.kind };
    }
    const notified = await noticeToRecord(trx, deps, row.codice_fiscale, { token, notBefore });
    await audit.approvalApproved(trx, ctx, row.codice_fiscale, {
      number: row.number,
      kind: row.kind,
      requestedBy: `operator:${requester.username}`,
      notBefore,
      notified,
    });
    return { ok: true, number: row.number, kind: row.kind, notBefore };
  });
}

/** The contacts on record (email and PEC) hear of the coming issuance, with the stop link; returns the channels told. */
async function noticeToRecord(trx: Kysely<Database>, deps: ApprovalDeps, codiceFiscale: string, o: { token: string; notBefore: Date }): Promise<string[]> {
  const citizen = await trx
    .selectFrom('citizens')
    .select(['id', 'nome', 'cognome', 'locale', 'email', 'pec'])
    .where('codice_fiscale', '=', codiceFiscale)
    .executeTakeFirst();
  if (!citizen) return [];
  const link = `${deps.publicUrl}${STOP_PATH}?t=${o.token}`;
  const params = { nome: citizen.nome, cognome: citizen.cognome, date: formatRome(o.notBefore), link: '' };
  const entries: OutboxEntry[] = [];
  // The link is a secret: encrypted in the outbox like a PIN half, erased once sent.
  if (citizen.email)
    entries.push({
      channel: 'email',
      template: 'remoteIssue.notice',
      recipient: citizen.email,
      locale: citizen.locale,
      params,
      secret: link,
      citizenId: citizen.id,
    });
  if (citizen.pec)
    entries.push({
      channel: 'pec',
      template: 'remoteIssue.notice',
      recipient: citizen.pec,
      locale: citizen.locale,
      params,
      secret: link,
      citizenId: citizen.id,
    });
  await enqueue(trx, deps.box, entries);
  return entries.map((e) => e.channel);
}

/** The approved issuance a stop link names, while it can still be stopped. */
export async function findStoppable(deps: Pick<ApprovalDeps, 'db' | 'box'>, token: string) {
  if (!token || token.length > 100) return undefined;
  return deps.db
    .selectFrom('operator_approvals')
    .select(['id', 'number', 'codice_fiscale'])
    .where('stop_token_hmac', '=', stopFingerprint(deps.box, token))
    .where('state', '=', 'waiting')
    .executeTakeFirst();
}

/** The citizen's stop link: single use, only while the issuance waits; nothing is sent afterwards. */
export async function stopRemoteIssue(deps: Pick<ApprovalDeps, 'db' | 'box' | 'now'>, token: string, ctx: AuditContext): Promise<boolean> {
  const found = await findStoppable(deps, token);
  if (!found) return false;
  return deps.db.transaction().execute(async (trx) => {
    const stopped = await trx
      .updateTable('operator_approvals')
      .set({ state: 'stopped', stopped_at: deps.now(), stop_token_hmac: null, payload_sealed: null })
      .where('id', '=', found.id)
      .where('state', '=', 'waiting')
      .executeTakeFirst();
    if (Number(stopped.numUpdatedRows) !== 1) return false;
    await audit.approvalStopped(trx, ctx, found.codice_fiscale, { number: found.number });
    return true;
  });
}

/**
 * Issues every approved remote PIN whose delay has passed (at most `limit` per call): run by the
 * worker and at the start of back-office requests. Each is taken with a conditional update, so
 * two processes never issue one twice, and a stop link that won the race leaves it alone.
 */
export async function issueDueRemoteIssues(deps: ApprovalDeps, actor: string, limit = 5): Promise<number> {
  const now = deps.now();
  const staleClaim = new Date(now.getTime() - CLAIM_MINUTES * 60_000);
  const due = await deps.db
    .selectFrom('operator_approvals')
    .select('id')
    .where('kind', '=', 'remote_issue')
    .where((eb) =>
      eb.or([eb.and([eb('state', '=', 'waiting'), eb('not_before', '<=', now)]), eb.and([eb('state', '=', 'issuing'), eb('claimed_at', '<', staleClaim)])]),
    )
    .orderBy('not_before')
    .limit(limit)
    .execute();
  let issued = 0;
  for (const { id } of due) {
    const claimed = await deps.db
      .updateTable('operator_approvals')
      .set({ state: 'issuing', claimed_at: now })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb.and([eb('state', '=', 'waiting'), eb('not_before', '<=', now)]), eb.and([eb('state', '=', 'issuing'), eb('claimed_at', '<', staleClaim)])]),
      )
      .returning(['number', 'codice_fiscale', 'payload_sealed', 'identification', 'requested_by'])
      .executeTakeFirst();
    if (!claimed?.payload_sealed) continue;
    const payload = JSON.parse(deps.box.open(claimed.payload_sealed, id)) as RemoteIssuePayload;
    const requester = await deps.db.selectFrom('operators').select('username').where('id', '=', claimed.requested_by).executeTakeFirstOrThrow();
    // The typed contacts reach the record only at first access (the request service keeps them pending for an existing record).
    const result = await requestPin(
      { db: deps.db, hasher: deps.hasher, box: deps.box, semplificatoOpen: deps.semplificatoOpen, residence: deps.residence, now: deps.now },
      payload.data,
      {
        channel: 'contact-center',
        actor: `operator:${requester.username}`,
        ip: null,
        locale: payload.locale,
        remote: true,
        identification: claimed.identification,
      },
    );
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('operator_approvals')
        .set({
          state: result.ok ? 'done' : 'refused',
          done_at: deps.now(),
          issued_credential_id: result.ok ? result.credentialId : null,
          payload_sealed: null,
          stop_token_hmac: null,
        })
        .where('id', '=', id)
        .where('state', '=', 'issuing')
        .execute();
      if (result.ok) await audit.approvalIssued(trx, { actor }, claimed.codice_fiscale, { number: claimed.number, credentialId: result.credentialId });
      else await audit.approvalIssueRefused(trx, { actor }, claimed.codice_fiscale, { number: claimed.number, reason: result.reason });
    });
    if (result.ok) issued++;
  }
  return issued;
}
