import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A timestamptz column with a default (now()) or nullable: an insert may leave it out. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A NOT NULL timestamptz column without a default: every insert gives it (test/schema-drift.test.ts checks which is which). */
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;

/** Where a citizen lives: an Italian address (comune by Belfiore code) or a foreign one (country by Z code). */
export type Residenza =
  | { tipo: 'IT'; indirizzo: string; numeroCivico: string; provincia: string; comune: string; cap: string }
  | { tipo: 'EE'; paese: string; citta: string; indirizzo: string; codicePostale: string };

export interface CitizensTable {
  id: string;
  /** Upper case, 16 characters, as typed by the citizen (omocodia variant kept). */
  codice_fiscale: string;
  cognome: string;
  nome: string;
  /** 'YYYY-MM-DD', never shifted by time zones. */
  data_nascita: string;
  sesso: 'M' | 'F';
  /** Belfiore code of the comune of birth, or the Z code of the foreign country of birth. */
  luogo_nascita: string;
  /** Null for a citizen known only from SPID, CIE or CNS (issue 7). */
  residenza: ColumnType<Residenza | null, string | null, string | null>;
  /** Phones in E.164 (+39… by default). */
  telefono_abitazione: string | null;
  cellulare: string | null;
  email: string | null;
  pec: string | null;
  /** 'cellulare' | 'abitazione' */
  telefono_preferenziale: string;
  /** One of the fixed slots of ORARI_PREFERENZIALI. */
  orario_preferenziale: string;
  /** Language the citizen used: messages to the citizen are written in it. */
  locale: string;
  /** R7: the contacts that received the first half count as verified once the first access is done. */
  contacts_verified_at: Timestamp | null;
  /** Institutional intermediary (patronato, CAF, professional): PIN expires after 3 months (R8). */
  intermediario: Generated<boolean>;
  /** How the record came to exist: a PIN request, or a SPID/CIE/CNS login (then a PIN only from its own session or at a sede). */
  registered_by: Generated<CitizenOrigin>;
  /** Issue 12 F2: set by a "Non sono stato io" link; no ripristino online until a supervisore lifts it. */
  ripristino_blocked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type CitizenOrigin = 'richiesta' | 'spid' | 'cie' | 'cns';

export type CredentialState = 'initial' | 'active' | 'revoked';
export type RequestChannel = 'web' | 'contact-center' | 'sede';

export interface CredentialsTable {
  id: string;
  citizen_id: string;
  /** initial: the 16-character PIN, never used; active: replaced at first access (R7); revoked (R14). */
  state: CredentialState;
  /** argon2id PHC string of the PIN (upper case). The PIN itself is never stored. */
  pin_hash: string;
  /** R15: allowed to perform dispositive operations. */
  dispositivo: boolean;
  /** R5: where the request was made. */
  channel: RequestChannel;
  created_at: Timestamp;
  updated_at: Timestamp;
  revoked_at: Timestamp | null;
  /** Last PIN change (R8 expiry counts from here). */
  changed_at: Generated<Date>;
  /** R6: argon2id of the first 8 characters of the initial PIN, stored only while PIN semplificato is open. */
  semplificato_hash: string | null;
  /** The residence typed with the request (R6: its comune must match the residence registry). */
  requested_residence: ColumnType<Residenza | null, string | null | undefined, string | null>;
}

/**
 * R7: the argon2id hashes of the last PINs a citizen chose (issue 13: of all the citizen's
 * credentials, kept across a ripristino and a revoca), so a new PIN cannot repeat one of the last 5.
 */
export interface PinHistoryTable {
  id: Generated<number>;
  citizen_id: string;
  credential_id: string;
  pin_hash: string;
  replaced_at: Generated<Date>;
}

/** R9: consecutive failures and block per normalised codice fiscale, whether or not a citizen has it. */
export interface LockoutsTable {
  /** Upper-case CF with omocodia mapped back to the base code (or the raw input when it is no CF). */
  cf_key: string;
  failures: number;
  blocked_until: Timestamp | null;
  updated_at: Timestamp;
}

export type Level = 'semplificato' | 'ordinario' | 'dispositivo';

/** R10: server-side sessions; the cookie holds the id, the table its SHA-256. */
export type AuthMethod = 'pin' | 'spid' | 'cie' | 'cns';

export interface SessionsTable {
  id_hash: string;
  citizen_id: string;
  /** The PIN the citizen logged in with; null after SPID, CIE or CNS. */
  credential_id: string | null;
  auth_method: Generated<AuthMethod>;
  /** The SPID/CIE identity provider or the CNS issuer that vouched for the citizen. */
  auth_provider: string | null;
  /** Level of assurance of this session (R18). */
  level: Level;
  /** Set while the PIN must be replaced before anything else (R7 first access, R8 expiry). */
  must_change_pin: 'first_access' | 'expired' | null;
  /** First access only: keyed fingerprints of the two halves of the initial PIN, so the new PIN cannot reuse them; erased at the change. */
  initial_fingerprints: ColumnType<string[] | null, string | null, string | null>;
  created_at: Timestamp;
  /** Idle timeout counts from here (30 minutes, R10). */
  last_seen_at: Timestamp;
  /** Absolute lifetime (12 hours). */
  expires_at: RequiredTimestamp;
  /** Seed 003's "Cambia profilo": a citizen who is also an intermediary acts as one or the other. */
  role: Generated<'cittadino' | 'intermediario'>;
  ip: string | null;
  user_agent: string | null;
  ended_at: Timestamp | null;
  end_reason: string | null;
}

export type OutboxChannel = 'sms' | 'email' | 'pec' | 'letter';
export type OutboxState = 'queued' | 'processing' | 'sent' | 'abandoned';

export interface OutboxMessagesTable {
  /** Stable id: the SMTP Message-ID and the SMS idempotency key derive from it, so a re-send after a crash is recognisable. */
  id: string;
  channel: OutboxChannel;
  /** Message template key (see src/outbox/templates.ts). */
  template: string;
  /** Phone (E.164), email address, or for letters a JSON postal address. */
  recipient: string;
  locale: string;
  /** Non-secret template parameters (names, dates). */
  params: ColumnType<Record<string, unknown>, string, string>;
  /** AES-256-GCM ciphertext of the secret part (a PIN half); null once delivered or abandoned. */
  secret_ciphertext: string | null;
  citizen_id: string | null;
  state: OutboxState;
  /** Delivery attempts started so far. */
  send_count: Generated<number>;
  next_attempt_at: Timestamp;
  /** Worker that holds the message while processing, and until when; an expired lease is taken over. */
  lease_owner: string | null;
  lease_until: Timestamp | null;
  last_error: string | null;
  /** Letters: the print batch that took the letter. */
  batch_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface OutboxAttemptsTable {
  id: Generated<number>;
  message_id: string;
  attempt: number;
  worker: string;
  started_at: RequiredTimestamp;
  finished_at: Timestamp;
  outcome: 'sent' | 'failed' | 'abandoned';
  error: string | null;
}

export interface LetterBatchesTable {
  id: string;
  created_at: Timestamp;
  letter_count: number;
  /** Folder holding the batch PDF (PIN halves in clear) and its CSV manifest. */
  folder: string;
  /** Printer's receipt (`varco letters --confirm`). */
  confirmed_at: Timestamp | null;
  /** When the PDF with the PINs was erased. */
  erased_at: Timestamp | null;
}

export interface DevMailboxTable {
  id: Generated<number>;
  message_id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  /** [{ filename, contentType, base64 }] */
  attachments: ColumnType<DevAttachment[], string, string>;
  delivered_at: Timestamp;
}

export interface DevAttachment {
  filename: string;
  contentType: string;
  base64: string;
}

export interface FlowsTable {
  /** SHA-256 of the flow id held in the citizen's cookie; the id itself is not stored. */
  id_hash: string;
  kind: string;
  state: string;
  data: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: RequiredTimestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: RequiredTimestamp;
  hits: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  /** One of the names in src/audit/events.ts. */
  event: string;
  /** Who did it: 'citizen:<CF>', 'operator:<id>', 'system:<component>'. */
  actor: string;
  subject_cf: string | null;
  channel: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
}

export interface Database {
  citizens: CitizensTable;
  credentials: CredentialsTable;
  outbox_messages: OutboxMessagesTable;
  outbox_attempts: OutboxAttemptsTable;
  letter_batches: LetterBatchesTable;
  dev_mailbox: DevMailboxTable;
  flows: FlowsTable;
  rate_limits: RateLimitsTable;
  audit_events: AuditEventsTable;
  pin_history: PinHistoryTable;
  lockouts: LockoutsTable;
  sessions: SessionsTable;
  audit_seals: AuditSealsTable;
  ripristino_codes: RipristinoCodesTable;
  ripristino_requests: RipristinoRequestsTable;
  tessere_sanitarie: TessereSanitarieTable;
  captchas: CaptchasTable;
  revoca_tokens: RevocaTokensTable;
  contact_changes: ContactChangesTable;
  contact_history: ContactHistoryTable;
  not_me_tokens: NotMeTokensTable;
  stored_files: StoredFilesTable;
  conversion_requests: ConversionRequestsTable;
  operators: OperatorsTable;
  operator_approvals: OperatorApprovalsTable;
  operator_sessions: OperatorSessionsTable;
  citizen_documents: CitizenDocumentsTable;
  clients: ClientsTable;
  client_assertions: ClientAssertionsTable;
  oidc_payloads: OidcPayloadsTable;
  signing_keys: SigningKeysTable;
  sick_certificates: SickCertificatesTable;
  certificate_notices: CertificateNoticesTable;
  certificate_notice_changes: CertificateNoticeChangesTable;
  covid_applications: CovidApplicationsTable;
  iban_holders: IbanHoldersTable;
  iban_usage: IbanUsageTable;
  residenze: ResidenzeTable;
  pending_contacts: PendingContactsTable;
  request_notices: RequestNoticesTable;
  sms_quota_counters: SmsQuotaCountersTable;
  sms_daily_totals: SmsDailyTotalsTable;
}

/**
 * Issue 12 F1: the default residence registry (docs/residence-registry.md), loaded by
 * `varco import residenze FILE.csv`. ANPR: a residence in Italy; AIRE: a registration abroad.
 */
export interface ResidenzeTable {
  codice_fiscale: string;
  tipo: 'ANPR' | 'AIRE';
  /** ANPR: street and number ("Via Roma, 12"); AIRE: the foreign address lines joined by a newline. */
  indirizzo: string;
  /** Belfiore code: ANPR the comune of residence; AIRE the comune of AIRE registration (optional). */
  comune: string | null;
  cap: string | null;
  provincia: string | null;
  /** AIRE: the country (Z code), the city and its postal code. */
  paese: string | null;
  citta: string | null;
  codice_postale: string | null;
  /** 'YYYY-MM-DD': the residence holds from/until these days (null: open). */
  valid_from: ColumnType<string | null, string | null | undefined, string | null>;
  valid_to: ColumnType<string | null, string | null | undefined, string | null>;
  imported_at: Generated<Date>;
}

/** Contacts typed with a request for an existing record: they replace the record's only at the first access. */
export interface PendingContactsTable extends Pick<
  CitizensTable,
  'telefono_abitazione' | 'cellulare' | 'email' | 'pec' | 'telefono_preferenziale' | 'orario_preferenziale' | 'locale'
> {
  credential_id: string;
  citizen_id: string;
  created_at: Generated<Date>;
}

/** The last "a PIN was requested for your codice fiscale" notice to a record's contacts (at most one a day). */
export interface RequestNoticesTable {
  citizen_id: string;
  notified_at: RequiredTimestamp;
}

/** Issue 12 F6: SMS codes sent per codice fiscale and per number per day (VARCO_SMS_PER_CF_DAY, VARCO_SMS_PER_NUMBER_DAY). */
export interface SmsQuotaCountersTable {
  scope: 'cf' | 'number';
  /** Keyed fingerprint of the codice fiscale or the E.164 number: neither is kept in clear here. */
  key_hash: string;
  /** Calendar day in Rome, 'YYYY-MM-DD'. */
  day: string;
  sends: number;
  /** The last SMS counted, for VARCO_SMS_COOLDOWN_SECONDS. */
  last_sent_at: RequiredTimestamp;
}

/** Issue 12 F6: SMS the worker handed to the gateway per day in Rome, against VARCO_SMS_GLOBAL_DAY. */
export interface SmsDailyTotalsTable {
  day: string;
  sends: Generated<number>;
  /** When the cap was first reached that day (supervisori were alerted then); null while under it. */
  cap_reached_at: Timestamp | null;
}

/**
 * Documents the institute deposits for a citizen (the Certificazione Unica, seed 001), loaded
 * with `varco import documento`; downloading one is a dispositive operation (R18).
 */
export interface CitizenDocumentsTable {
  id: string;
  citizen_id: string;
  kind: 'cu';
  year: number;
  file_id: string;
  created_at: Generated<Date>;
}

export type OperatorRole = 'contact-center' | 'sede' | 'supervisore';

/** Back-office accounts, separate from citizens: password (argon2id) and a TOTP second factor. */
export interface OperatorsTable {
  id: string;
  username: string;
  display_name: string;
  role: OperatorRole;
  password_hash: string;
  /** RFC 6238 secret, encrypted with VARCO_SECRET_KEY. */
  totp_secret_sealed: string;
  /** RFC 6238 §5.2 (F4): the last TOTP time step accepted; a login needs a later one. Null before the first login. */
  totp_last_step: number | null;
  created_at: Generated<Date>;
  disabled_at: Timestamp | null;
}

export type ApprovalKind = 'revoca' | 'remote_issue';
/**
 * pending: waiting for a supervisore; rejected; waiting: approved, the delay running (remote_issue
 * only); issuing: taken by the worker or a back-office request; stopped: by the citizen's link;
 * done: revoked or issued; refused: at issue time the CF already held a live PIN (R1).
 */
export type ApprovalState = 'pending' | 'rejected' | 'waiting' | 'issuing' | 'stopped' | 'done' | 'refused';

/**
 * F7, four eyes: what one operator may not do alone — an operator revocation (R14 without a
 * tessera) and a PIN dispositivo issued after a remote identification — waits for a different
 * supervisore (a check constraint holds decided_by <> requested_by), then, for an issuance,
 * VARCO_REMOTE_ISSUE_DELAY_HOURS during which the contacts on record can stop it.
 */
export interface OperatorApprovalsTable {
  id: string;
  /** Shown to operators: APP-<12 hex>. */
  number: string;
  kind: ApprovalKind;
  codice_fiscale: string;
  /** The record at request time (a remote issuance for a CF never seen has none). */
  citizen_id: string | null;
  /** revoca: the credential to revoke. */
  credential_id: string | null;
  /** remote_issue: the request form (PinRequestData, locale) sealed with VARCO_SECRET_KEY. */
  payload_sealed: string | null;
  /** The operator's notes on how the citizen was identified (questions and answers, document seen). */
  identification: string;
  requested_by: string;
  requested_at: RequiredTimestamp;
  state: ApprovalState;
  decided_by: string | null;
  decided_at: Timestamp | null;
  /** Why a supervisore rejected it. */
  reason: string | null;
  /** remote_issue: not issued before this instant (approval + delay). */
  not_before: Timestamp | null;
  /** HMAC of the single-use stop link sent to the contacts on record. */
  stop_token_hmac: string | null;
  stopped_at: Timestamp | null;
  /** When the worker or a back-office request took it for issuance (a crash leaves it to be taken again). */
  claimed_at: Timestamp | null;
  done_at: Timestamp | null;
  issued_credential_id: string | null;
}

/** Operator sessions: the cookie holds the id, the table its SHA-256 (same timeouts as citizens). */
export interface OperatorSessionsTable {
  id_hash: string;
  operator_id: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: RequiredTimestamp;
  ip: string | null;
  ended_at: Timestamp | null;
  end_reason: string | null;
}

/** An uploaded file (R15): kept under VARCO_FILES_DIR, checked by content, with its SHA-256. */
export interface StoredFilesTable {
  id: string;
  citizen_id: string;
  /** 'modulo_firmato' | 'documento_identita' (citizen uploads, R15), 'cu' (deposited by the institute) */
  kind: string;
  /** Sniffed from the bytes and rewritten to it (issue 12 F14): application/pdf, image/jpeg, image/png. */
  content_type: string;
  size_bytes: number;
  sha256: string;
  /** Relative to VARCO_FILES_DIR. */
  path: string;
  created_at: Generated<Date>;
}

export type ConversionState = 'bozza' | 'in_lavorazione' | 'approvata' | 'respinta';
export type DocumentType = 'carta_identita' | 'patente' | 'passaporto';

/** R15: a request to make a PIN dispositivo, from the draft to the operator's decision. */
export interface ConversionRequestsTable {
  id: string;
  /** Printed on the module: CONV-… */
  number: string;
  citizen_id: string;
  credential_id: string;
  state: ConversionState;
  doc_type: DocumentType;
  doc_number: string;
  doc_authority: string;
  /** 'YYYY-MM-DD' */
  doc_issued: string;
  doc_expires: string;
  module_file_id: string | null;
  id_file_id: string | null;
  /** 'online', 'fax', 'sede' */
  channel: Generated<string>;
  created_at: Generated<Date>;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  /** 'operator:<id>' */
  decided_by: string | null;
  reason: string | null;
  /** Issue 12 F5: the draft's last change (document, files); a draft untouched for VARCO_DOCUMENT_RETENTION_DAYS is erased. */
  touched_at: Timestamp;
  /** When the retention policy erased the request's documents (the decision itself is kept). */
  files_erased_at: Timestamp | null;
}

export type ContactKind = 'cellulare' | 'email' | 'pec';

/** A contact change waiting for its verification code (sent to the new contact, kept as an HMAC). */
export interface ContactChangesTable {
  id: string;
  citizen_id: string;
  kind: ContactKind;
  /** E.164 phone or email address, already normalised. */
  new_value: string;
  code_hmac: string;
  created_at: Generated<Date>;
  expires_at: RequiredTimestamp;
  used_at: Timestamp | null;
  failed_attempts: Generated<number>;
}

/**
 * Issue 12 F2: a contact change after the first access, with the value it replaced: a ripristino
 * refuses a contact changed less than VARCO_CONTACT_COOLOFF_DAYS ago and tells the replaced ones.
 */
export interface ContactHistoryTable {
  id: string;
  citizen_id: string;
  kind: ContactKind;
  /** The contact replaced (null when there was none). */
  previous_value: string | null;
  new_value: string;
  /** Who changed it: 'recapiti' (the citizen's profile). */
  source: string;
  changed_at: RequiredTimestamp;
}

/**
 * Issue 12 F2: a "Non sono stato io" link sent to a replaced contact or with a ripristino; kept
 * only as an HMAC, single use, expiring. Using it blocks ripristino, ends the sessions and alerts
 * the supervisori (the used ones are their list).
 */
export interface NotMeTokensTable {
  id: string;
  citizen_id: string;
  reason: 'contact_changed' | 'ripristino';
  /** Where the link went. */
  channel: 'sms' | 'email' | 'pec';
  token_hmac: string;
  created_at: Generated<Date>;
  expires_at: RequiredTimestamp;
  used_at: Timestamp | null;
}

/** R14: the default tessera sanitaria registry, loaded by `varco import tessere FILE.csv`. */
export interface TessereSanitarieTable {
  codice_fiscale: string;
  /** The 20-digit card number. */
  numero: string;
  /** 'YYYY-MM-DD' */
  scadenza: string;
  imported_at: Generated<Date>;
}

/** R14 "Codice di Controllo": the answer only as an HMAC; single use, expiring. */
export interface CaptchasTable {
  id: string;
  /** 'image': 7 characters drawn in a PNG; 'email': the accessible alternative, a code sent to the Email/PEC on record (F8). */
  kind: 'image' | 'email';
  /** What to draw or ask, encrypted (the image is drawn on request). */
  prompt_sealed: string;
  answer_hmac: string;
  expires_at: RequiredTimestamp;
  used_at: Timestamp | null;
  /** 'email': fingerprint of the codice fiscale the code was asked for (it answers for that CF only). */
  subject_hmac: string | null;
  /** 'email': wrong answers so far (a few allowed); an image dies at its first answer. */
  failed_attempts: Generated<number>;
}

/** R14: the link that completes a revoca, sent to the Email/PEC given; kept only as an HMAC. */
export interface RevocaTokensTable {
  id: string;
  citizen_id: string;
  credential_id: string;
  token_hmac: string;
  contact: ColumnType<{ channel: 'email' | 'pec'; to: string }, string, string>;
  created_at: Generated<Date>;
  expires_at: RequiredTimestamp;
  used_at: Timestamp | null;
}

/** The contacts a ripristino uses, in delivery order: the first half goes to `first`, the second to `second`. */
export interface RipristinoContacts {
  first: { channel: 'sms' | 'email' | 'pec'; to: string };
  second: { channel: 'email' | 'pec'; to: string };
}

/**
 * R13: a ripristino request waiting for the worker. The web request only stores it (encrypted:
 * CF and contacts) and answers, so every outcome costs the same; the row is deleted once handled.
 */
export interface RipristinoRequestsTable {
  id: string;
  payload_sealed: string;
  created_at: Generated<Date>;
}

/** R13: a codice di ripristino, kept only as an HMAC; single use, expiring. */
export interface RipristinoCodesTable {
  id: string;
  citizen_id: string;
  code_hmac: string;
  contacts: ColumnType<RipristinoContacts, string, string>;
  created_at: Generated<Date>;
  expires_at: RequiredTimestamp;
  used_at: Timestamp | null;
  failed_attempts: Generated<number>;
}

/**
 * R11: the hash chain over the audit trail. Writers only insert audit events (no shared row, no
 * serialisation); the sealer takes committed, unsealed events in id order and appends one seal
 * each: seal = HMAC-SHA-256(VARCO_AUDIT_SEAL_KEY, prev_seal | chain_seq | canonical event), or
 * SHA-256 of the same text for the unkeyed seals made before the seal key (F15). Append-only like the events.
 */
export interface AuditSealsTable {
  chain_seq: number;
  event_id: number;
  prev_seal: string;
  seal: string;
  sealed_at: Generated<Date>;
  /** The seal is an HMAC with the seal key (the database administrators do not hold it); false: a SHA-256 from before it. */
  keyed: Generated<boolean>;
}

export type Citizen = Selectable<CitizensTable>;
export type NewCitizen = Insertable<CitizensTable>;
export type OutboxMessage = Selectable<OutboxMessagesTable>;

/**
 * Machine clients (issue 6: doctors' systems sending sickness certificates), registered with
 * `varco client add`. They authenticate with a secret (kept as an HMAC fingerprint: it is 256
 * random bits, so a slow hash adds nothing) or with a JWT signed by one of their keys.
 */
export interface ClientsTable {
  id: string;
  name: string;
  secret_fingerprint: string | null;
  /** Public keys (JWK Set) for signed-JWT authentication. */
  jwks: ColumnType<{ keys: Record<string, unknown>[] } | null, string | null, string | null>;
  /** What the client may do, e.g. 'certificati:write'. */
  scopes: ColumnType<string[], string, string>;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  /** Relying parties of the OpenID Provider: where codes may be sent (empty for API clients). */
  redirect_uris: ColumnType<string[], string | undefined, string>;
  post_logout_redirect_uris: ColumnType<string[], string | undefined, string>;
  /** The lowest session level the relying party accepts (never semplificato). */
  min_level: 'ordinario' | 'dispositivo' | null;
  /** The secret sealed (AES-GCM): the provider must compare it in clear. */
  secret_sealed: string | null;
}

/** oidc-provider's artefacts (codes, tokens, interactions, its sessions, grants), one row each. */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  uid: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

/**
 * Keys (private JWKs sealed with the secret key): 'op' signs ID tokens, 'rp' signs Varco's requests to SPID/CIE,
 * 'federation' signs its entity configuration, 'rp-enc' decrypts the userinfo SPID/CIE providers encrypt to Varco.
 */
export interface SigningKeysTable {
  kid: string;
  use: 'op' | 'rp' | 'federation' | 'rp-enc';
  sealed_jwk: string;
  created_at: Generated<Date>;
  retired_at: Timestamp | null;
}

/** `jti` of client JWTs already used, kept until they expire: a JWT is accepted once. */
export interface ClientAssertionsTable {
  client_id: string;
  jti: string;
  expires_at: RequiredTimestamp;
}

export type CertificateKind = 'inizio' | 'continuazione' | 'ricaduta';

/** R20: sickness certificates as the doctors' systems send them (the worker's copy, no diagnosis). */
export interface SickCertificatesTable {
  id: string;
  /** Numero di protocollo (PUC): unique, it makes the API call idempotent. */
  protocollo: string;
  codice_fiscale: string;
  tipo: CertificateKind;
  data_rilascio: ColumnType<string, string, string>;
  inizio_prognosi: ColumnType<string, string, string>;
  fine_prognosi: ColumnType<string, string, string>;
  medico_nome: string;
  medico_cognome: string;
  /** SHA-256 of the canonical body: the same protocol with another body is a conflict. */
  payload_sha256: string;
  client_id: string;
  received_at: Generated<Date>;
}

export type NoticeChannel = 'sms' | 'pec';

/** R20: `Invio con sms` / `Invio con P.E.C.` settings of a worker (seed 000). */
export interface CertificateNoticesTable {
  citizen_id: string;
  channel: NoticeChannel;
  address: string;
  active: boolean;
  updated_at: Generated<Date>;
}

/** A new number or PEC address for the notices, waiting for its verification code. */
export interface CertificateNoticeChangesTable {
  id: string;
  citizen_id: string;
  channel: NoticeChannel;
  address: string;
  active: boolean;
  code_hmac: string;
  failed_attempts: Generated<number>;
  expires_at: RequiredTimestamp;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export type CovidCategory = 'art27' | 'art28' | 'art29' | 'art30' | 'art38' | 'art23';
export type CovidState = 'in_verifica' | 'in_istruttoria' | 'accolta' | 'respinta';

/** R21: applications for the COVID-19 indemnities of Decree-Law 18/2020 (seed 003). */
export interface CovidApplicationsTable {
  id: string;
  protocollo: string;
  citizen_id: string;
  categoria: CovidCategory;
  /** Art. 31: the indemnities of arts. 27–30 and 38 exclude one another ('art31'); art. 23 stands alone. */
  gruppo: 'art31' | 'art23';
  /** The category's own declarations and fields, as validated. */
  dichiarazioni: ColumnType<Record<string, unknown>, string, string>;
  iban: string;
  importo_cents: number;
  /** 'in_verifica' until the IBAN holder check answers yes. */
  stato: CovidState;
  iban_verified_at: Date | null;
  iban_checked_at: Date | null;
  esito_motivo: string | null;
  esito_at: Date | null;
  /** 'operator:<username>' or 'import:<file>'. */
  esito_by: string | null;
  submitted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The default IBAN holder registry: who holds which account, loaded with `varco import iban`. */
export interface IbanHoldersTable {
  iban: string;
  codice_fiscale: string;
  loaded_at: Generated<Date>;
}

/**
 * How many distinct applicants named each IBAN (the row lock serialises concurrent applications).
 * An application is flagged for an operator while its IBAN has more than VARCO_IBAN_MAX_APPLICANTS.
 */
export interface IbanUsageTable {
  iban: string;
  applicants: number;
}
