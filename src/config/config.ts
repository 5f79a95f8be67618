import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadTrustAnchors, type TrustAnchorConfig } from './trust-anchors.js';
import { type FederationLeaf, loadFederationLeaf } from './federation-leaf.js';
import { type IdentityProvider, loadIdentityProviders } from './identity-providers.js';

/**
 * Every setting Varco reads, validated once at start. Units are in the names.
 * README.md lists each environment variable; keep the two in step.
 */
export type Mode = 'development' | 'production';

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  secretKey: Buffer;
  istituto: { name: string; logoUrl: string | undefined; contactCenter: string; contactCenterMobile: string };
  trustedProxies: string[];
  rateLimit: { requestsPerWindow: number; windowSeconds: number };
  flowTtlMinutes: number;
  /** R8: months after the last change before the PIN must be changed (citizens, intermediaries), and days of notice. */
  pinExpiry: { citizenMonths: number; intermediarioMonths: number; noticeDays: number };
  /** F8: Codici di Controllo sent by email/PEC (the accessible alternative of the image) per codice fiscale and day (UTC). */
  controlCodesPerCfDay: number;
  /** R13: how long a codice di ripristino stays valid. */
  ripristinoCodeTtlMinutes: number;
  /** F7: hours between a supervisore's approval of a remote PIN dispositivo and its issuance (the contacts on record can stop it meanwhile). */
  remoteIssueDelayHours: number;
  /**
   * Issue 12 F2: a contact change asks for the current PIN, or a SPID/CIE/CNS login no older than
   * `freshLoginMinutes`; a ripristino to a contact changed less than `coolOffDays` ago is refused;
   * the previous contact's "Non sono stato io" link lives `notMeLinkDays`; a ripristino tells the
   * contacts replaced in the last `previousNoticeDays`.
   */
  contactSecurity: { freshLoginMinutes: number; coolOffDays: number; notMeLinkDays: number; previousNoticeDays: number };
  /** R6: PIN semplificato (first 8 characters only, emergency services), open until the given day inclusive. */
  pinSemplificato: { enabled: boolean; until: Date | undefined };
  /** Issue 12 F1: where the second half's letter goes — the residence registry ('table'), or where typed ('typed', development only). */
  residenceRegistry: 'table' | 'typed';
  /** Issue 12 F13: past these many R1 answers (per IP per hour, for everyone per minute) the first request step asks for the Codice di Controllo. */
  r1Oracle: { perIpHour: number; globalPerMinute: number };
  smtpUrl: string | undefined;
  pecSmtpUrl: string | undefined;
  mailFrom: string;
  pecFrom: string;
  smsGatewayUrl: string | undefined;
  smsGatewayToken: string | undefined;
  letterDelivery: 'mailbox' | 'batch';
  lettersDir: string;
  /** Uploaded documents (R15), never served but to their owner and operators. */
  filesDir: string;
  uploadLimitBytes: number;
  /** Issue 12 F5/F14: what one citizen may keep uploaded, and the largest image the rewrite decodes. */
  uploads: { quotaBytes: number; maxMegapixels: number; maxPdfPages: number; timeoutSeconds: number };
  /**
   * Issue 12 F5: drafts untouched and rejected requests' documents are erased after `days`;
   * approved requests' documents are kept `evidenceYears` after the decision (docs/decisions.md).
   */
  documentRetention: { days: number; evidenceYears: number };
  /** R21: IBAN checks of the COVID-19 indemnity. */
  indennita: { ibanMaxApplicants: number; ibanRecheckMinutes: number };
  /** Where each new head of the audit hash chain is appended, outside the database (R11). */
  auditHeadFile: string;
  /** F15: the HMAC key of the audit seals, held by the portal and the auditors, not by the database administrators. */
  auditSealKey: Buffer;
  /** F15: unkeyed seals accepted by verify up to this number (the chain sealed before the seal key); 0: none. */
  auditUnkeyedUntilSeal: number;
  letterRetentionDays: number;
  worker: { inProcess: boolean; batchSize: number; pollIntervalMs: number; maxAttempts: number; leaseSeconds: number };
  argon2: { memoryKib: number; timeCost: number; parallelism: number };
  devMailbox: boolean;
  demoData: boolean;
  logLevel: string;
  /** Issue 12 F6: who may be sent SMS, and how many (SMS pumping); letters per codice fiscale. */
  messageQuotas: MessageQuotas;
  /** Issue 7: SPID and CIE OpenID Connect providers pinned by hand (VARCO_FEDERATION_FILE): development only. */
  identityProviders: IdentityProvider[];
  /** Issue 15: the SPID and CIE federations' trust anchors, whose providers' chains Varco resolves (VARCO_TRUST_ANCHORS). */
  trustAnchors: TrustAnchorConfig[];
  /** Issue 15: Varco as a leaf of the SPID/CIE federations (its superiors, trust marks, contacts). */
  federationLeaf: FederationLeaf;
  /** Issue 7: CNS login by TLS client certificate, on Varco's own HTTPS listener or behind a verifying proxy. */
  cns: {
    tls: { port: number; cert: string; key: string; caBundle: string; crl: string | undefined } | undefined;
    /** Header in which a trusted proxy forwards the verified client certificate (URL-escaped PEM). */
    proxyHeader: string | undefined;
    /** Header in which the proxy states its verification result (nginx $ssl_client_verify). */
    proxyVerifyHeader: string;
  };
}

/** Issue 12 F6: the policies against SMS pumping and letter flooding. */
export interface MessageQuotas {
  /** Calling codes (without '+') of the numbers that may receive SMS; a cellulare outside them is refused at the field. */
  smsCountries: string[];
  /** SMS codes to one codice fiscale per day (Rome). */
  smsPerCfDay: number;
  /** SMS codes to one number per day (Rome), whatever the codice fiscale. */
  smsPerNumberDay: number;
  /** Seconds between two SMS codes to the same codice fiscale or number. */
  smsCooldownSeconds: number;
  /** SMS the worker hands to the gateway per day (Rome); past it they wait queued for the next day. Undefined: no cap. */
  smsGlobalDay: number | undefined;
  /** Postal letters to one codice fiscale within `letterWindowDays`; a PIN request past it is sent to a sede. */
  lettersPerCf: number;
  letterWindowDays: number;
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const hexKey = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)');
const smtpUrl = z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://');
const headerName = z.string().regex(/^[a-z0-9-]{1,64}$/i, 'a header name');

/** The whole-number settings: [least, greatest, default]; one without a default is unset unless given. */
const WHOLE_NUMBERS = {
  PORT: [0, 65535, 3000],
  VARCO_RATE_LIMIT_REQUESTS: [1, 1_000_000, 30],
  VARCO_RATE_LIMIT_WINDOW_SECONDS: [1, 86_400, 60],
  VARCO_FLOW_TTL_MINUTES: [1, 1440, 30],
  VARCO_PIN_EXPIRY_MONTHS: [1, 120, 6],
  VARCO_PIN_EXPIRY_MONTHS_INTERMEDIARI: [1, 120, 3],
  VARCO_PIN_EXPIRY_NOTICE_DAYS: [0, 90, 15],
  VARCO_R1_PER_IP_HOUR: [1, 1_000_000, 20],
  VARCO_R1_GLOBAL_PER_MINUTE: [1, 10_000_000, 600],
  VARCO_RIPRISTINO_CODE_TTL_MINUTES: [5, 1440, 60],
  VARCO_REMOTE_ISSUE_DELAY_HOURS: [24, 720, 48],
  VARCO_CONTACT_FRESH_LOGIN_MINUTES: [1, 60, 5],
  VARCO_CONTACT_COOLOFF_DAYS: [0, 365, 14],
  VARCO_NOT_ME_LINK_DAYS: [1, 365, 30],
  VARCO_CONTACT_PREVIOUS_NOTICE_DAYS: [0, 3650, 90],
  VARCO_CONTROL_CODES_PER_CF_DAY: [1, 100, 3],
  VARCO_AUDIT_UNKEYED_UNTIL_SEAL: [0, Number.MAX_SAFE_INTEGER, 0],
  VARCO_UPLOAD_LIMIT_MB: [1, 50, 5],
  VARCO_UPLOAD_QUOTA_MB: [1, 10_000, 50],
  VARCO_UPLOAD_MAX_MEGAPIXELS: [1, 100, 25],
  VARCO_DOCUMENT_RETENTION_DAYS: [1, 3650, 30],
  VARCO_DOCUMENT_EVIDENCE_YEARS: [1, 30, 10],
  VARCO_LETTER_RETENTION_DAYS: [1, 365, 14],
  VARCO_WORKER_BATCH_SIZE: [1, 1000, 50],
  VARCO_WORKER_POLL_INTERVAL_MS: [10, 60_000, 500],
  VARCO_WORKER_MAX_ATTEMPTS: [1, 100, 8],
  VARCO_WORKER_LEASE_SECONDS: [1, 3600, 60],
  VARCO_ARGON2_MEMORY_KIB: [19_456, 4_194_304, 19_456],
  VARCO_ARGON2_TIME_COST: [2, 20, 2],
  VARCO_ARGON2_PARALLELISM: [1, 16, 1],
  VARCO_IBAN_MAX_APPLICANTS: [1, 1000, 2],
  VARCO_IBAN_RECHECK_MINUTES: [1, 10_080, 60],
  VARCO_TLS_PORT: [0, 65535, 3443],
  VARCO_SMS_PER_CF_DAY: [1, 1000, 6],
  VARCO_SMS_PER_NUMBER_DAY: [1, 1000, 6],
  VARCO_SMS_COOLDOWN_SECONDS: [0, 3600, 60],
  VARCO_SMS_GLOBAL_DAY: [1, 100_000_000],
  VARCO_LETTERS_PER_CF: [1, 100, 2],
  VARCO_LETTER_WINDOW_DAYS: [1, 365, 30],
} as const;

type Bounds = readonly [number, number] | readonly [number, number, number];
type WholeNumberSchemas<T extends Record<string, Bounds>> = {
  [K in keyof T]: T[K] extends readonly [number, number, number] ? z.ZodDefault<z.ZodNumber> : z.ZodOptional<z.ZodNumber>;
};

function wholeNumbers<T extends Record<string, Bounds>>(table: T): WholeNumberSchemas<T> {
  const entries = Object.entries(table).map(([name, [min, max, fallback]]) => {
    const schema = z.coerce.number().int().min(min).max(max);
    return [name, fallback === undefined ? schema.optional() : schema.default(fallback)];
  });
  return Object.fromEntries(entries) as WholeNumberSchemas<T>;
}

const envSchema = z.object({
  ...wholeNumbers(WHOLE_NUMBERS),
  VARCO_MODE: z.enum(['development', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  VARCO_PUBLIC_URL: z.string().url().optional(),
  VARCO_DATA_DIR: z.string().min(1).default('./data/local'),
  VARCO_ALLOW_EMBEDDED_DB: bool.default('false'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  VARCO_SECRET_KEY: hexKey.optional(),
  VARCO_ISTITUTO: z.string().min(1).max(80).default('INPS'),
  VARCO_ISTITUTO_LOGO_URL: z.string().optional(),
  VARCO_CONTACT_CENTER: z.string().min(1).max(40).default('803 164'),
  VARCO_CONTACT_CENTER_MOBILE: z.string().min(1).max(40).default('06 164164'),
  VARCO_TRUSTED_PROXIES: z.string().default(''),
  VARCO_PIN_SEMPLIFICATO: bool.default('false'),
  VARCO_RESIDENCE_REGISTRY: z.enum(['table', 'typed']).optional(),
  VARCO_PIN_SEMPLIFICATO_UNTIL: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .optional(),
  SMTP_URL: smtpUrl.optional(),
  PEC_SMTP_URL: smtpUrl.optional(),
  VARCO_MAIL_FROM: z.string().email().default('noreply@varco.invalid'),
  VARCO_PEC_FROM: z.string().email().default('pec@varco.invalid'),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  VARCO_LETTER_DELIVERY: z.enum(['mailbox', 'batch']).optional(),
  VARCO_LETTERS_DIR: z.string().optional(),
  VARCO_AUDIT_HEAD_FILE: z.string().optional(),
  VARCO_AUDIT_SEAL_KEY: hexKey.optional(),
  VARCO_FILES_DIR: z.string().optional(),
  VARCO_WORKER_IN_PROCESS: bool.optional(),
  VARCO_DEMO_DATA: bool.optional(),
  VARCO_FEDERATION_FILE: z.string().optional(),
  VARCO_TRUST_ANCHORS: z.string().optional(),
  VARCO_AUTHORITY_HINTS: z.string().default(''),
  VARCO_TRUST_MARKS_FILE: z.string().optional(),
  VARCO_FEDERATION_CONTACTS: z.string().default(''),
  VARCO_TLS_CERT: z.string().optional(),
  VARCO_TLS_KEY: z.string().optional(),
  VARCO_CNS_CA_BUNDLE: z.string().optional(),
  VARCO_CNS_CRL: z.string().optional(),
  VARCO_CNS_HEADER: headerName.optional(),
  VARCO_CNS_VERIFY_HEADER: headerName.default('x-ssl-client-verify'),
  VARCO_SMS_COUNTRIES: z
    .string()
    .regex(/^\s*\+?[1-9]\d{0,2}\s*(,\s*\+?[1-9]\d{0,2}\s*)*$/, 'calling codes separated by commas, e.g. 39,378')
    .default('39'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Every environment variable the schema reads (README.md's configuration table lists them). */
export const environmentVariables: readonly string[] = Object.keys(envSchema.shape);

export class ConfigError extends Error {}

/** Reads and validates the environment. Production refuses to start without its secrets. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.VARCO_MODE === 'production';
  const dataDir = path.resolve(e.VARCO_DATA_DIR);
  if (production) {
    const missing = [
      !e.VARCO_SECRET_KEY && 'VARCO_SECRET_KEY',
      !e.VARCO_PUBLIC_URL && 'VARCO_PUBLIC_URL',
      !e.SMTP_URL && 'SMTP_URL',
      !e.SMS_GATEWAY_URL && 'SMS_GATEWAY_URL',
      !e.VARCO_AUDIT_SEAL_KEY && 'VARCO_AUDIT_SEAL_KEY',
    ].filter(Boolean);
    if (missing.length) throw new ConfigError(`Production mode needs: ${missing.join(', ')}`);
    // F10: the public address is what browsers see; TLS ends at a proxy listed in VARCO_TRUSTED_PROXIES.
    if (!e.VARCO_PUBLIC_URL?.startsWith('https://')) {
      throw new ConfigError(
        'VARCO_PUBLIC_URL must start with https:// in production mode: browsers reach the portal over TLS (terminate it at a reverse proxy listed in VARCO_TRUSTED_PROXIES)',
      );
    }
    // F11: the embedded database is one process on one machine's disk; PostgreSQL is the production database.
    if (!e.DATABASE_URL && !e.VARCO_ALLOW_EMBEDDED_DB) {
      throw new ConfigError(
        'Production mode uses PostgreSQL: set DATABASE_URL (or VARCO_ALLOW_EMBEDDED_DB=true for a single-process installation on the embedded database)',
      );
    }
    if (e.VARCO_DEMO_DATA) throw new ConfigError('VARCO_DEMO_DATA is not allowed in production mode');
    if (e.VARCO_LETTER_DELIVERY === 'mailbox') throw new ConfigError('VARCO_LETTER_DELIVERY=mailbox is for development only');
    if (e.VARCO_RESIDENCE_REGISTRY === 'typed')
      throw new ConfigError('VARCO_RESIDENCE_REGISTRY=typed is for development only: production sends letters to the residence registry (table)');
  }
  // The demo credentials are published in the README: seeded only on a portal reachable from this
  // machine alone (an outside review: VARCO_MODE forgotten and HOST=0.0.0.0 would publish them).
  if (!production && e.VARCO_DEMO_DATA && !isLoopbackHost(e.HOST)) {
    throw new ConfigError(
      `VARCO_DEMO_DATA=true needs a loopback HOST (127.0.0.1, ::1, localhost), not ${e.HOST}: the demo PINs and operator passwords are public`,
    );
  }
  if (e.VARCO_AUDIT_SEAL_KEY && e.VARCO_SECRET_KEY && e.VARCO_AUDIT_SEAL_KEY.toLowerCase() === e.VARCO_SECRET_KEY.toLowerCase()) {
    throw new ConfigError('VARCO_AUDIT_SEAL_KEY must differ from VARCO_SECRET_KEY (the seal key is held apart from the database and its secrets)');
  }
  const port = e.PORT;
  const tlsParts = [e.VARCO_TLS_CERT, e.VARCO_TLS_KEY, e.VARCO_CNS_CA_BUNDLE];
  if (tlsParts.some(Boolean) && !tlsParts.every(Boolean))
    throw new ConfigError('CNS over TLS needs VARCO_TLS_CERT, VARCO_TLS_KEY and VARCO_CNS_CA_BUNDLE together');
  if (e.VARCO_CNS_HEADER && !e.VARCO_TRUSTED_PROXIES) throw new ConfigError('VARCO_CNS_HEADER is read only from VARCO_TRUSTED_PROXIES: set them');
  if (production && e.VARCO_TLS_CERT && !e.VARCO_CNS_CRL) throw new ConfigError('Production mode checks CNS revocation: set VARCO_CNS_CRL');
  const publicUrl = (e.VARCO_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  // Issue 15: in production, providers come only from federations' trust chains, never from a hand-kept list.
  if (production && e.VARCO_FEDERATION_FILE)
    throw new ConfigError('VARCO_FEDERATION_FILE is for development only: in production the SPID and CIE providers come from VARCO_TRUST_ANCHORS');
  let identityProviders: IdentityProvider[];
  let trustAnchors: TrustAnchorConfig[];
  let federationLeaf: FederationLeaf;
  try {
    identityProviders = loadIdentityProviders(e.VARCO_FEDERATION_FILE, publicUrl, production);
    trustAnchors = loadTrustAnchors(e.VARCO_TRUST_ANCHORS, production);
    federationLeaf = loadFederationLeaf({
      hints: e.VARCO_AUTHORITY_HINTS,
      trustMarksFile: e.VARCO_TRUST_MARKS_FILE,
      contacts: e.VARCO_FEDERATION_CONTACTS,
      production,
    });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    mode: e.VARCO_MODE,
    port,
    host: e.HOST,
    publicUrl,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    secretKey: e.VARCO_SECRET_KEY ? Buffer.from(e.VARCO_SECRET_KEY, 'hex') : embeddedSecretKey(dataDir),
    istituto: {
      name: e.VARCO_ISTITUTO,
      logoUrl: e.VARCO_ISTITUTO_LOGO_URL,
      contactCenter: e.VARCO_CONTACT_CENTER,
      contactCenterMobile: e.VARCO_CONTACT_CENTER_MOBILE,
    },
    trustedProxies: e.VARCO_TRUSTED_PROXIES.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    rateLimit: { requestsPerWindow: e.VARCO_RATE_LIMIT_REQUESTS, windowSeconds: e.VARCO_RATE_LIMIT_WINDOW_SECONDS },
    flowTtlMinutes: e.VARCO_FLOW_TTL_MINUTES,
    ripristinoCodeTtlMinutes: e.VARCO_RIPRISTINO_CODE_TTL_MINUTES,
    remoteIssueDelayHours: e.VARCO_REMOTE_ISSUE_DELAY_HOURS,
    contactSecurity: {
      freshLoginMinutes: e.VARCO_CONTACT_FRESH_LOGIN_MINUTES,
      coolOffDays: e.VARCO_CONTACT_COOLOFF_DAYS,
      notMeLinkDays: e.VARCO_NOT_ME_LINK_DAYS,
      previousNoticeDays: e.VARCO_CONTACT_PREVIOUS_NOTICE_DAYS,
    },
    controlCodesPerCfDay: e.VARCO_CONTROL_CODES_PER_CF_DAY,
    pinSemplificato: {
      enabled: e.VARCO_PIN_SEMPLIFICATO,
      until: e.VARCO_PIN_SEMPLIFICATO_UNTIL ? new Date(`${e.VARCO_PIN_SEMPLIFICATO_UNTIL}T23:59:59.999+01:00`) : undefined,
    },
    residenceRegistry: e.VARCO_RESIDENCE_REGISTRY ?? (production ? 'table' : 'typed'),
    r1Oracle: { perIpHour: e.VARCO_R1_PER_IP_HOUR, globalPerMinute: e.VARCO_R1_GLOBAL_PER_MINUTE },
    pinExpiry: {
      citizenMonths: e.VARCO_PIN_EXPIRY_MONTHS,
      intermediarioMonths: e.VARCO_PIN_EXPIRY_MONTHS_INTERMEDIARI,
      noticeDays: e.VARCO_PIN_EXPIRY_NOTICE_DAYS,
    },
    smtpUrl: e.SMTP_URL,
    pecSmtpUrl: e.PEC_SMTP_URL ?? e.SMTP_URL,
    mailFrom: e.VARCO_MAIL_FROM,
    pecFrom: e.VARCO_PEC_FROM,
    smsGatewayUrl: e.SMS_GATEWAY_URL,
    smsGatewayToken: e.SMS_GATEWAY_TOKEN,
    letterDelivery: e.VARCO_LETTER_DELIVERY ?? (production ? 'batch' : 'mailbox'),
    lettersDir: path.resolve(e.VARCO_LETTERS_DIR ?? path.join(dataDir, 'letters')),
    letterRetentionDays: e.VARCO_LETTER_RETENTION_DAYS,
    filesDir: path.resolve(e.VARCO_FILES_DIR ?? path.join(dataDir, 'files')),
    uploadLimitBytes: e.VARCO_UPLOAD_LIMIT_MB * 1024 * 1024,
    uploads: { quotaBytes: e.VARCO_UPLOAD_QUOTA_MB * 1024 * 1024, maxMegapixels: e.VARCO_UPLOAD_MAX_MEGAPIXELS, maxPdfPages: 50, timeoutSeconds: 60 },
    documentRetention: { days: e.VARCO_DOCUMENT_RETENTION_DAYS, evidenceYears: e.VARCO_DOCUMENT_EVIDENCE_YEARS },
    indennita: { ibanMaxApplicants: e.VARCO_IBAN_MAX_APPLICANTS, ibanRecheckMinutes: e.VARCO_IBAN_RECHECK_MINUTES },
    auditHeadFile: path.resolve(e.VARCO_AUDIT_HEAD_FILE ?? path.join(dataDir, 'audit-head.log')),
    auditSealKey: e.VARCO_AUDIT_SEAL_KEY ? Buffer.from(e.VARCO_AUDIT_SEAL_KEY, 'hex') : embeddedSecretKey(dataDir, 'audit-seal.key'),
    auditUnkeyedUntilSeal: e.VARCO_AUDIT_UNKEYED_UNTIL_SEAL,
    worker: {
      inProcess: e.VARCO_WORKER_IN_PROCESS ?? !production,
      batchSize: e.VARCO_WORKER_BATCH_SIZE,
      pollIntervalMs: e.VARCO_WORKER_POLL_INTERVAL_MS,
      maxAttempts: e.VARCO_WORKER_MAX_ATTEMPTS,
      leaseSeconds: e.VARCO_WORKER_LEASE_SECONDS,
    },
    argon2: { memoryKib: e.VARCO_ARGON2_MEMORY_KIB, timeCost: e.VARCO_ARGON2_TIME_COST, parallelism: e.VARCO_ARGON2_PARALLELISM },
    devMailbox: !production,
    demoData: e.VARCO_DEMO_DATA ?? (!production && isLoopbackHost(e.HOST)),
    logLevel: e.LOG_LEVEL,
    messageQuotas: {
      smsCountries: [...new Set(e.VARCO_SMS_COUNTRIES.split(',').map((c) => c.trim().replace(/^\+/, '')))],
      smsPerCfDay: e.VARCO_SMS_PER_CF_DAY,
      smsPerNumberDay: e.VARCO_SMS_PER_NUMBER_DAY,
      smsCooldownSeconds: e.VARCO_SMS_COOLDOWN_SECONDS,
      smsGlobalDay: e.VARCO_SMS_GLOBAL_DAY,
      lettersPerCf: e.VARCO_LETTERS_PER_CF,
      letterWindowDays: e.VARCO_LETTER_WINDOW_DAYS,
    },
    identityProviders,
    trustAnchors,
    federationLeaf,
    cns: {
      tls:
        e.VARCO_TLS_CERT && e.VARCO_TLS_KEY && e.VARCO_CNS_CA_BUNDLE
          ? { port: e.VARCO_TLS_PORT, cert: e.VARCO_TLS_CERT, key: e.VARCO_TLS_KEY, caBundle: e.VARCO_CNS_CA_BUNDLE, crl: e.VARCO_CNS_CRL }
          : undefined,
      proxyHeader: e.VARCO_CNS_HEADER?.toLowerCase(),
      proxyVerifyHeader: e.VARCO_CNS_VERIFY_HEADER.toLowerCase(),
    },
  };
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== ''));
}

/**
 * Development only: a key generated once and kept in the data folder, so restarts can still decrypt
 * the outbox (secret.key) and verify the audit seals (audit-seal.key).
 */
function embeddedSecretKey(dataDir: string, name = 'secret.key'): Buffer {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

/** A listening address only this machine reaches. */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
