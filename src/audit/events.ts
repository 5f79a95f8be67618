import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { dbSafe, dbSafeDeep } from '../domain/db-safe.js';

/**
 * Every audit event Varco writes, in one place (R11: every operation is traced and
 * attributed). Records are append-only: a database trigger refuses UPDATE and DELETE.
 *
 * | event                      | actor              | details                                  |
 * |----------------------------|--------------------|------------------------------------------|
 * | pin.requested              | citizen:<CF> / operator | credentialId, channel, messages (ids) |
 * | pin.request_refused        | anonymous          | reason ('already_assigned'|'federated'|'no_residence'|'no_contacts') |
 * | pin.requested (issue 12)   |                    | + existingRecord, letter ('registry'|'typed'|'none'), noticeIds, via ('profilo') |
 * | contact.replaced_at_first_access | citizen:<CF> | credentialId, kinds (contacts typed with the request reached the record), noticeIds |
 * | richiesta.code_required    | anonymous          | scope ('ip'|'global'): the first step asked for the Codice di Controllo (F13) |
 * | richiesta.code_failed      | anonymous          | (a wrong or used Codice di Controllo at the first step) |
 * | outbox.sent                | system:worker      | messageId, channel, attempt              |
 * | outbox.abandoned           | system:worker      | messageId, channel, attempts, error      |
 * | letters.batch_created      | system:letters     | batchId, count                           |
 * | letters.batch_confirmed    | operator/system    | batchId                                  |
 * | letters.batch_erased       | system:letters     | batchId, reason ('confirmed'|'retention') |
 * | ratelimit.exceeded         | anonymous          | key, limit                               |
 * | login.succeeded            | citizen:<CF>       | level, firstAccess, expired (SPID/CIE/CNS: method, provider, newCitizen; SPID/CIE: issuer, subject) |
 * | login.federated_refused    | anonymous          | method, provider, reason (SPID/CIE/CNS refused; SPID/CIE: issuer) |
 * | oidc.code_issued           | citizen:<CF>       | clientId, acr (an authorization code for a relying party) |
 * | oidc.token_issued          | client:<id>        | clientId, grantType, scope               |
 * | oidc.token_refused         | client:<id>/anonymous | clientId, grantType, error            |
 * | oidc.consent               | citizen:<CF>       | clientId, granted, scopes                |
 * | keys.rotated               | system:cli         | use ('op'|'rp'), kid, retired            |
 * | login.failed               | anonymous / citizen:<CF> | failures (consecutive), blockedUntil, purpose (where the PIN was checked: 'login', 'cambio_pin', 'recapiti') |
 * | login.refused_blocked      | anonymous / citizen:<CF> | blockedUntil, purpose (R9: refused unchecked) |
 * | pin.verified               | citizen:<CF>       | purpose (a right PIN outside login: 'cambio_pin', 'recapiti') |
 * | session.ended              | citizen:<CF>       | reason ('logout', 'pin_changed'…)        |
 * | pin.changed                | citizen:<CF>       | reason ('first_access', 'expired', 'voluntary'), level, otherSessionsEnded |
 * | login.locked               | anonymous / citizen:<CF> | blockedUntil, purpose (a block started, R9) |
 * | profile.switched           | citizen:<CF>       | role ('cittadino' | 'intermediario')     |
 * | ripristino.requested       | anonymous          | outcome ('code_sent'|'initial_pin'|'no_match'|'cooling_off'|'blocked'), contacts (kinds given) |
 * | ripristino.failed          | anonymous          | (a wrong, used or expired codice di ripristino) |
 * | ripristino.completed       | anonymous          | first, second (channels of the two halves), previousContactsTold |
 * | revoca.refused             | anonymous          | reason ('tessera_mismatch'|'no_pin'|'captcha') |
 * | revoca.requested           | anonymous          | contact (channel the link went to)       |
 * | revoca.control_code        | anonymous          | outcome ('sent'|'no_match'|'limited'), channel (F8: the Codice di Controllo by email/PEC) |
 * | revoca.completed           | anonymous / operator | credentialId, identification?, approvedBy?, approval? (F7) |
 * | contact.change_requested   | citizen:<CF>       | kind                                     |
 * | contact.changed            | citizen:<CF>       | kind (the values are not audited)        |
 * | contact.change_failed      | citizen:<CF>       | (wrong, used or expired code)            |
 * | contact.change_reauth      | citizen:<CF>       | method (a SPID/CIE/CNS session asked to log in again before a change) |
 * | contact.not_me_reported    | anonymous          | reason ('contact_changed'|'ripristino'), channel, sessionsEnded: a "Non sono stato io" link used; ripristino blocked — an alert for supervisori |
 * | ripristino.unblocked       | operator:<user>    | (a supervisore lifted the block of a "Non sono stato io") |
 * | conversione.started        | citizen:<CF>       | number                                   |
 * | conversione.submitted      | citizen:<CF>       | number (to the operators' queue)         |
 * | conversione.approved       | operator:<user>    | number (the credential became dispositivo) |
 * | conversione.rejected       | operator:<user>    | number, reason                           |
 * | conversione.files_attached | citizen:<CF>       | number, files, bytes (as rewritten), replaced (the draft's earlier files, erased) |
 * | conversione.files_refused  | citizen:<CF>       | number, reason ('quota'|'type'|'unreadable'|'too_large'|'encrypted') |
 * | documenti.erased           | system:retention   | number (null for an orphan), reason ('bozza_abbandonata'|'respinta'|'approvata'|'orfano'), files |
 * | operator.created           | system:cli         | operatorId, username, role               |
 * | operator.login             | operator:<user>    | operatorId                               |
 * | operator.login_failed      | anonymous          | username, reason? ('totp_replayed'), blockedUntil? (this failure blocked) |
 * | operator.login_refused_blocked | anonymous      | username, blockedUntil (F13: refused unchecked while blocked) |
 * | approval.requested         | operator:<user>    | number, kind ('revoca'|'remote_issue'), waiting for a supervisore (F7) |
 * | approval.approved          | operator:<supervisore> | number, kind, requestedBy, notBefore?, notified (channels told) |
 * | approval.rejected          | operator:<supervisore> | number, kind, requestedBy, reason          |
 * | approval.self_refused      | operator:<supervisore> | number, kind (tried to approve their own request) |
 * | approval.stopped           | anonymous          | number (the stop link of the contacts on record) |
 * | approval.issued            | system:worker / operator | number, credentialId (after the delay)  |
 * | approval.issue_refused     | system:worker / operator | number, reason (R1 at issue time)       |
 * | operator.contacts_changed  | operator:<sede>    | kinds, documentType, documentNumber (values not audited) |
 * | operator.logout            | operator:<user>    | operatorId                               |
 * | operator.viewed_citizen    | operator:<user>    | (subject: the CF looked up)              |
 * | operator.viewed_file       | operator:<user>    | fileId                                   |
 * | operator.intermediary_changed | operator:<user> | intermediario (granted or removed)       |
 * | operator.state_changed     | operator:<user>    | username, disabled                       |
 * | documento.scaricato        | citizen:<CF>       | documentId, kind, year (a dispositive download, R18) |
 * | quota.exceeded             | citizen/anonymous/operator | limit ('sms_country'|'sms_cf_day'|'sms_number_day'|'sms_cooldown'|'letters_cf'), flow, number (masked) |
 * | sms.global_cap_reached     | system:worker      | day, cap, queued (SMS left waiting for the next day; an alert to supervisori) |
 * | demo.seeded                | system:demo        | kind ('citizen': credentialId, level, reset? \| 'operator': operatorId, username, role) — development only |
 * Every record also carries the user agent in details.userAgent when there is one.
 */
export type AuditEventName =
  | 'client.state_changed'
  | 'client.removed'
  | 'registry.imported'
  | 'client.added'
  | 'client.refused'
  | 'certificato.ricevuto'
  | 'certificato.ripetuto'
  | 'certificato.ricerca'
  | 'certificato.avviso_richiesto'
  | 'certificato.avviso_aggiornato'
  | 'certificato.avviso_codice_errato'
  | 'covid.domanda_inviata'
  | 'covid.domanda_rifiutata'
  | 'covid.domanda_consultata'
  | 'covid.iban_verificato'
  | 'covid.esito'
  | 'pin.requested'
  | 'pin.request_refused'
  | 'contact.replaced_at_first_access'
  | 'richiesta.code_required'
  | 'richiesta.code_failed'
  | 'outbox.sent'
  | 'outbox.abandoned'
  | 'letters.batch_created'
  | 'letters.batch_confirmed'
  | 'letters.batch_erased'
  | 'ratelimit.exceeded'
  | 'login.succeeded'
  | 'login.failed'
  | 'login.refused_blocked'
  | 'session.ended'
  | 'pin.changed'
  | 'login.locked'
  | 'pin.verified'
  | 'profile.switched'
  | 'ripristino.requested'
  | 'ripristino.failed'
  | 'ripristino.completed'
  | 'revoca.refused'
  | 'revoca.requested'
  | 'revoca.control_code'
  | 'revoca.completed'
  | 'contact.change_requested'
  | 'contact.changed'
  | 'contact.change_failed'
  | 'contact.change_reauth'
  | 'contact.not_me_reported'
  | 'ripristino.unblocked'
  | 'conversione.started'
  | 'conversione.submitted'
  | 'conversione.approved'
  | 'conversione.rejected'
  | 'conversione.files_attached'
  | 'conversione.files_refused'
  | 'documenti.erased'
  | 'operator.created'
  | 'operator.login'
  | 'operator.login_failed'
  | 'operator.login_refused_blocked'
  | 'approval.requested'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval.self_refused'
  | 'approval.stopped'
  | 'approval.issued'
  | 'approval.issue_refused'
  | 'operator.contacts_changed'
  | 'operator.logout'
  | 'operator.viewed_citizen'
  | 'operator.viewed_file'
  | 'operator.intermediary_changed'
  | 'operator.state_changed'
  | 'documento.scaricato'
  | 'login.federated_refused'
  | 'oidc.code_issued'
  | 'oidc.token_issued'
  | 'oidc.token_refused'
  | 'oidc.consent'
  | 'keys.rotated'
  | 'quota.exceeded'
  | 'sms.global_cap_reached'
  | 'demo.seeded';

export interface AuditContext {
  actor: string;
  ip?: string | null;
  channel?: string | null;
  userAgent?: string | null;
}

type Executor = Kysely<Database>;

/** The row of one audit record: for the rare statement that writes it together with its change. */
export function auditValues(event: AuditEventName, ctx: AuditContext, subjectCf: string | null, details: Record<string, unknown>) {
  // Details and subject may hold what a user typed: never a NUL into text or jsonb (docs/security.md).
  const all = dbSafeDeep(ctx.userAgent ? { ...details, userAgent: ctx.userAgent.slice(0, 300) } : details);
  return {
    event,
    actor: dbSafe(ctx.actor),
    ip: ctx.ip ?? null,
    channel: ctx.channel ?? null,
    subject_cf: subjectCf === null ? null : dbSafe(subjectCf),
    details: JSON.stringify(all),
  };
}

async function record(db: Executor, event: AuditEventName, ctx: AuditContext, subjectCf: string | null, details: Record<string, unknown>) {
  await db
    .insertInto('audit_events')
    .values(auditValues(event, ctx, subjectCf, details))
    .execute();
}

export const audit = {
  /** Issue 13 §3: a demo citizen or operator seeded at start (development only, src/dev/demo.ts). */
  demoSeeded: (
    db: Executor,
    ctx: AuditContext,
    cf: string | null,
    details: { kind: 'citizen'; credentialId: string; level: string; reset?: true } | { kind: 'operator'; operatorId: string; username: string; role: string },
  ) => record(db, 'demo.seeded', ctx, cf, details),
  /** Issue 12 F6: a message refused by a quota (the back office lists them for supervisori). */
  quotaExceeded: (db: Executor, ctx: AuditContext, cf: string, details: { limit: string; flow: string; number: string | null }) =>
    record(db, 'quota.exceeded', ctx, cf, details),
  /** Issue 12 F6: the day's SMS cap was reached with SMS still waiting; once per day. */
  smsGlobalCapReached: (db: Executor, details: { day: string; cap: number; queued: number }) =>
    record(db, 'sms.global_cap_reached', { actor: 'system:worker' }, null, details),
  pinRequested: (
    db: Executor,
    ctx: AuditContext,
    cf: string,
    details: {
      credentialId: string;
      messageIds: string[];
      identification?: string;
      existingRecord?: boolean;
      letter?: 'registry' | 'typed' | 'none';
      noticeIds?: string[];
      via?: 'profilo';
    },
  ) => record(db, 'pin.requested', ctx, cf, details),
  pinRequestRefused: (db: Executor, ctx: AuditContext, cf: string, reason: 'already_assigned' | 'federated' | 'no_residence' | 'no_contacts') =>
    record(db, 'pin.request_refused', ctx, cf, { reason }),
  contactsReplacedAtFirstAccess: (db: Executor, ctx: AuditContext, cf: string, details: { credentialId: string; kinds: string[]; noticeIds: string[] }) =>
    record(db, 'contact.replaced_at_first_access', { ...ctx, actor: `citizen:${cf}` }, cf, details),
  requestCodeRequired: (db: Executor, ctx: AuditContext, scope: 'ip' | 'global') => record(db, 'richiesta.code_required', ctx, null, { scope }),
  requestCodeFailed: (db: Executor, ctx: AuditContext) => record(db, 'richiesta.code_failed', ctx, null, {}),
  /** One record per message delivered, written together for a batch. */
  outboxSentMany: async (db: Executor, events: { details: { messageId: string; channel: string; attempt: number; worker: string }; cf: string | null }[]) => {
    if (events.length === 0) return;
    await db
      .insertInto('audit_events')
      .values(
        events.map((e) => ({ event: 'outbox.sent', actor: 'system:worker', ip: null, channel: null, subject_cf: e.cf, details: JSON.stringify(e.details) })),
      )
      .execute();
  },
  outboxAbandoned: (db: Executor, details: { messageId: string; channel: string; attempts: number; error: string }, cf: string | null) =>
    record(db, 'outbox.abandoned', { actor: 'system:worker' }, cf, details),
  lettersBatchCreated: (db: Executor, details: { batchId: string; count: number }) =>
    record(db, 'letters.batch_created', { actor: 'system:letters' }, null, details),
  lettersBatchConfirmed: (db: Executor, actor: string, details: { batchId: string }) => record(db, 'letters.batch_confirmed', { actor }, null, details),
  lettersBatchErased: (db: Executor, details: { batchId: string; reason: 'confirmed' | 'retention' }) =>
    record(db, 'letters.batch_erased', { actor: 'system:letters' }, null, details),
  loginSucceeded: (db: Executor, ctx: AuditContext, cf: string, details: { level: string; firstAccess: boolean; expired: boolean }) =>
    record(db, 'login.succeeded', { ...ctx, actor: `citizen:${cf}` }, cf, details),
  loginFailed: (db: Executor, ctx: AuditContext, cf: string, details: { failures: number; blockedUntil: Date | null; purpose?: string }) =>
    record(db, 'login.failed', ctx, cf, details),
  loginRefusedBlocked: (db: Executor, ctx: AuditContext, cf: string, blockedUntil: Date, purpose = 'login') =>
    record(db, 'login.refused_blocked', ctx, cf, { blockedUntil, purpose }),
  pinVerified: (db: Executor, ctx: AuditContext, cf: string, purpose: string) => record(db, 'pin.verified', ctx, cf, { purpose }),
  sessionEnded: (db: Executor, ctx: AuditContext, cf: string, reason: string) =>
    record(db, 'session.ended', { ...ctx, actor: `citizen:${cf}` }, cf, { reason }),
  pinChanged: (db: Executor, ctx: AuditContext, cf: string, details: { reason: string; level: string; otherSessionsEnded: number }) =>
    record(db, 'pin.changed', { ...ctx, actor: `citizen:${cf}` }, cf, details),
  loginLocked: (db: Executor, ctx: AuditContext, cf: string, blockedUntil: Date, purpose = 'login') =>
    record(db, 'login.locked', ctx, cf, { blockedUntil, purpose }),
  profileSwitched: (db: Executor, ctx: AuditContext, cf: string, role: string) => record(db, 'profile.switched', ctx, cf, { role }),
  ripristinoRequested: (db: Executor, ctx: AuditContext, cf: string, details: { outcome: string; contacts: string[] }) =>
    record(db, 'ripristino.requested', ctx, cf, details),
  ripristinoFailed: (db: Executor, ctx: AuditContext, cf: string) => record(db, 'ripristino.failed', ctx, cf, {}),
  ripristinoCompleted: (db: Executor, ctx: AuditContext, cf: string, details: { first: string; second: string; previousContactsTold: number }) =>
    record(db, 'ripristino.completed', ctx, cf, details),
  revocaRefused: (db: Executor, ctx: AuditContext, cf: string, reason: string) => record(db, 'revoca.refused', ctx, cf, { reason }),
  revocaRequested: (db: Executor, ctx: AuditContext, cf: string, details: { contact: string }) => record(db, 'revoca.requested', ctx, cf, details),
  revocaControlCode: (db: Executor, ctx: AuditContext, cf: string, details: { outcome: 'sent' | 'no_match' | 'limited'; channel: 'email' | 'pec' | null }) =>
    record(db, 'revoca.control_code', ctx, cf, details),
  revocaCompleted: (
    db: Executor,
    ctx: AuditContext,
    cf: string,
    details: { credentialId: string; identification?: string; approvedBy?: string; approval?: string },
  ) => record(db, 'revoca.completed', ctx, cf, details),
  operatorStateChanged: (db: Executor, ctx: AuditContext, details: { username: string; disabled: boolean }) =>
    record(db, 'operator.state_changed', ctx, null, details),
  documentDownloaded: (db: Executor, ctx: AuditContext, cf: string, details: { documentId: string; kind: string; year: number }) =>
    record(db, 'documento.scaricato', ctx, cf, details),
  intermediaryChanged: (db: Executor, ctx: AuditContext, cf: string, details: { intermediario: boolean }) =>
    record(db, 'operator.intermediary_changed', ctx, cf, details),
  contactChangeRequested: (db: Executor, ctx: AuditContext, cf: string, kind: string) => record(db, 'contact.change_requested', ctx, cf, { kind }),
  contactChanged: (db: Executor, ctx: AuditContext, cf: string, kind: string) => record(db, 'contact.changed', ctx, cf, { kind }),
  contactChangeFailed: (db: Executor, ctx: AuditContext, cf: string) => record(db, 'contact.change_failed', ctx, cf, {}),
  contactChangeReauth: (db: Executor, ctx: AuditContext, cf: string, method: string) => record(db, 'contact.change_reauth', ctx, cf, { method }),
  notMeReported: (db: Executor, ctx: AuditContext, cf: string, details: { reason: string; channel: string; sessionsEnded: number }) =>
    record(db, 'contact.not_me_reported', ctx, cf, details),
  ripristinoUnblocked: (db: Executor, ctx: AuditContext, cf: string) => record(db, 'ripristino.unblocked', ctx, cf, {}),
  conversioneStarted: (db: Executor, ctx: AuditContext, cf: string, details: { number: string }) => record(db, 'conversione.started', ctx, cf, details),
  conversioneSubmitted: (db: Executor, ctx: AuditContext, cf: string, details: { number: string }) => record(db, 'conversione.submitted', ctx, cf, details),
  conversioneApproved: (db: Executor, ctx: AuditContext, cf: string, details: { number: string }) => record(db, 'conversione.approved', ctx, cf, details),
  conversioneRejected: (db: Executor, ctx: AuditContext, cf: string, details: { number: string; reason: string }) =>
    record(db, 'conversione.rejected', ctx, cf, details),
  conversioneFilesAttached: (db: Executor, ctx: AuditContext, cf: string, details: { number: string; files: number; bytes: number; replaced: number }) =>
    record(db, 'conversione.files_attached', ctx, cf, details),
  conversioneFilesRefused: (
    db: Executor,
    ctx: AuditContext,
    cf: string,
    details: { number: string; reason: 'quota' | 'type' | 'unreadable' | 'too_large' | 'encrypted' },
  ) => record(db, 'conversione.files_refused', ctx, cf, details),
  documentsErased: (
    db: Executor,
    cf: string | null,
    details: { number: string | null; reason: 'bozza_abbandonata' | 'respinta' | 'approvata' | 'orfano'; files: number },
  ) => record(db, 'documenti.erased', { actor: 'system:retention' }, cf, details),
  operatorCreated: (db: Executor, ctx: AuditContext, details: { operatorId: string; username: string; role: string }) =>
    record(db, 'operator.created', ctx, null, details),
  operatorLoggedIn: (db: Executor, ctx: AuditContext, details: { operatorId: string }) => record(db, 'operator.login', ctx, null, details),
  operatorLoggedOut: (db: Executor, ctx: AuditContext, details: { operatorId: string }) => record(db, 'operator.logout', ctx, null, details),
  operatorLoginFailed: (db: Executor, ctx: AuditContext, details: { username: string; reason?: 'totp_replayed'; blockedUntil?: Date }) =>
    record(db, 'operator.login_failed', ctx, null, details),
  operatorLoginRefusedBlocked: (db: Executor, ctx: AuditContext, details: { username: string; blockedUntil: Date }) =>
    record(db, 'operator.login_refused_blocked', ctx, null, details),
  approvalRequested: (db: Executor, ctx: AuditContext, cf: string, details: { number: string; kind: string }) =>
    record(db, 'approval.requested', ctx, cf, details),
  approvalApproved: (
    db: Executor,
    ctx: AuditContext,
    cf: string,
    details: { number: string; kind: string; requestedBy: string; notBefore?: Date; notified: string[] },
  ) => record(db, 'approval.approved', ctx, cf, details),
  approvalRejected: (db: Executor, ctx: AuditContext, cf: string, details: { number: string; kind: string; requestedBy: string; reason: string }) =>
    record(db, 'approval.rejected', ctx, cf, details),
  approvalSelfRefused: (db: Executor, ctx: AuditContext, cf: string, details: { number: string; kind: string }) =>
    record(db, 'approval.self_refused', ctx, cf, details),
  approvalStopped: (db: Executor, ctx: AuditContext, cf: string, details: { number: string }) => record(db, 'approval.stopped', ctx, cf, details),
  approvalIssued: (db: Executor, ctx: AuditContext, cf: string, details: { number: string; credentialId: string }) =>
    record(db, 'approval.issued', ctx, cf, details),
  approvalIssueRefused: (db: Executor, ctx: AuditContext, cf: string, details: { number: string; reason: string }) =>
    record(db, 'approval.issue_refused', ctx, cf, details),
  operatorContactsChanged: (db: Executor, ctx: AuditContext, cf: string, details: { kinds: string[]; documentType: string; documentNumber: string }) =>
    record(db, 'operator.contacts_changed', ctx, cf, details),
  operatorViewedCitizen: (db: Executor, ctx: AuditContext, cf: string) => record(db, 'operator.viewed_citizen', ctx, cf, {}),
  operatorViewedFile: (db: Executor, ctx: AuditContext, cf: string | null, details: { fileId: string }) => record(db, 'operator.viewed_file', ctx, cf, details),
  registryImported: (
    db: Executor,
    ctx: AuditContext,
    details: { registry: 'tessere' | 'iban' | 'residenze'; file: string; imported: number; rejected: number },
  ) => record(db, 'registry.imported', ctx, null, details),
  clientStateChanged: (db: Executor, ctx: AuditContext, details: { clientId: string; disabled: boolean }) =>
    record(db, 'client.state_changed', ctx, null, details),
  clientAdded: (db: Executor, ctx: AuditContext, details: { clientId: string; scopes: string[]; auth: 'secret' | 'jwt' }) =>
    record(db, 'client.added', ctx, null, details),
  signingKeyRotated: (db: Executor, ctx: AuditContext, details: { use: 'op' | 'rp' | 'federation' | 'rp-enc'; kid: string; retired: string | null }) =>
    record(db, 'keys.rotated', ctx, null, details),
  clientRemoved: (db: Executor, ctx: AuditContext, details: { clientId: string }) => record(db, 'client.removed', ctx, null, details),
  clientRefused: (db: Executor, ctx: AuditContext, details: { reason: string }) => record(db, 'client.refused', ctx, null, details),
  certificateReceived: (db: Executor, ctx: AuditContext, cf: string, details: { protocollo: string; clientId: string; messageIds: string[] }) =>
    record(db, 'certificato.ricevuto', ctx, cf, details),
  certificateReplayed: (db: Executor, ctx: AuditContext, cf: string, details: { protocollo: string; clientId: string; conflict: boolean }) =>
    record(db, 'certificato.ripetuto', ctx, cf, details),
  certificatesSearched: (db: Executor, ctx: AuditContext, cf: string, details: { numero: string | null; found: number }) =>
    record(db, 'certificato.ricerca', ctx, cf, details),
  certificateNoticeRequested: (db: Executor, ctx: AuditContext, cf: string, details: { channel: string; active: boolean }) =>
    record(db, 'certificato.avviso_richiesto', ctx, cf, details),
  certificateNoticeChanged: (db: Executor, ctx: AuditContext, cf: string, details: { channel: string; active: boolean }) =>
    record(db, 'certificato.avviso_aggiornato', ctx, cf, details),
  certificateNoticeFailed: (db: Executor, ctx: AuditContext, cf: string, details: { channel: string }) =>
    record(db, 'certificato.avviso_codice_errato', ctx, cf, details),
  covidRefused: (db: Executor, ctx: AuditContext, cf: string, details: { categoria: string; reason: 'art31' | 'art23'; existing: string }) =>
    record(db, 'covid.domanda_rifiutata', ctx, cf, details),
  covidViewed: (db: Executor, ctx: AuditContext, cf: string, details: { protocollo: string; what: 'detail' | 'receipt' }) =>
    record(db, 'covid.domanda_consultata', ctx, cf, details),
  covidIbanVerified: (db: Executor, ctx: AuditContext, cf: string, details: { protocollo: string }) => record(db, 'covid.iban_verificato', ctx, cf, details),
  covidOutcome: (db: Executor, ctx: AuditContext, cf: string, details: { protocollo: string; esito: string }) => record(db, 'covid.esito', ctx, cf, details),
  federatedLoginSucceeded: (
    db: Executor,
    ctx: AuditContext,
    cf: string,
    details: { level: string; method: 'spid' | 'cie' | 'cns'; provider: string; issuer?: string; subject?: string; newCitizen: boolean },
  ) => record(db, 'login.succeeded', ctx, cf, { ...details, firstAccess: false, expired: false }),
  federatedLoginRefused: (
    db: Executor,
    ctx: AuditContext,
    cf: string | null,
    details: { method: 'spid' | 'cie' | 'cns'; provider: string | null; issuer?: string; reason: string },
  ) => record(db, 'login.federated_refused', ctx, cf, details),
  oidcCodeIssued: (db: Executor, ctx: AuditContext, cf: string | null, details: { clientId: string | null; acr: string | null }) =>
    record(db, 'oidc.code_issued', ctx, cf, details),
  oidcTokenIssued: (db: Executor, ctx: AuditContext, cf: string | null, details: { clientId: string | null; grantType: string; scope: string }) =>
    record(db, 'oidc.token_issued', ctx, cf, details),
  oidcTokenRefused: (db: Executor, ctx: AuditContext, details: { clientId: string | null; grantType: string; error: string }) =>
    record(db, 'oidc.token_refused', ctx, null, details),
  oidcConsent: (db: Executor, ctx: AuditContext, cf: string, details: { clientId: string; granted: boolean; scopes: string[] }) =>
    record(db, 'oidc.consent', ctx, cf, details),
  rateLimitExceeded: (db: Executor, ctx: AuditContext, details: { key: string; limit: number }) => record(db, 'ratelimit.exceeded', ctx, null, details),
};
