import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type IdentityProvider, loadIdentityProviders } from './federation/providers.js';

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
  istituto: { name: string; logoUrl: string | undefined; contactCenter: string };
  trustedProxies: string[];
  rateLimit: { requestsPerWindow: number; windowSeconds: number };
  flowTtlMinutes: number;
  /** R8: months after the last change before the PIN must be changed (citizens, intermediaries), and days of notice. */
  pinExpiry: { citizenMonths: number; intermediarioMonths: number; noticeDays: number };
  /** F8: Codici di Controllo sent by email/PEC (the accessible alternative of the image) per codice fiscale and day (UTC). */
  controlCodesPerCfDay: number;
  /** R13: how long a codice di ripristino stays valid. */
  ripristinoCodeTtlMinutes: number;
  /** R6: PIN semplificato (first 8 characters only, emergency services), open until the given day inclusive. */
  pinSemplificato: { enabled: boolean; until: Date | undefined };
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
  /** Issue 7: SPID and CIE OpenID Connect providers (VARCO_FEDERATION_FILE). */
  identityProviders: IdentityProvider[];
  /** Issue 7: CNS login by TLS client certificate, on Varco's own HTTPS listener or behind a verifying proxy. */
  cns: {
    tls: { port: number; cert: string; key: string; caBundle: string; crl: string | undefined } | undefined;
    /** Header in which a trusted proxy forwards the verified client certificate (URL-escaped PEM). */
    proxyHeader: string | undefined;
    /** Header in which the proxy states its verification result (nginx $ssl_client_verify). */
    proxyVerifyHeader: string;
  };
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  VARCO_MODE: z.enum(['development', 'production']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  VARCO_PUBLIC_URL: z.string().url().optional(),
  VARCO_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  VARCO_SECRET_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)').optional(),
  VARCO_ISTITUTO: z.string().min(1).max(80).default('INPS'),
  VARCO_ISTITUTO_LOGO_URL: z.string().optional(),
  VARCO_CONTACT_CENTER: z.string().min(1).default('803164'),
  VARCO_TRUSTED_PROXIES: z.string().default(''),
  VARCO_RATE_LIMIT_REQUESTS: int(1, 1_000_000).default(30),
  VARCO_RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(60),
  VARCO_FLOW_TTL_MINUTES: int(1, 1440).default(30),
  VARCO_PIN_EXPIRY_MONTHS: int(1, 120).default(6),
  VARCO_PIN_EXPIRY_MONTHS_INTERMEDIARI: int(1, 120).default(3),
  VARCO_PIN_EXPIRY_NOTICE_DAYS: int(0, 90).default(15),
  VARCO_PIN_SEMPLIFICATO: bool.default('false'),
  VARCO_RIPRISTINO_CODE_TTL_MINUTES: int(5, 1440).default(60),
  VARCO_CONTROL_CODES_PER_CF_DAY: int(1, 100).default(3),
  VARCO_PIN_SEMPLIFICATO_UNTIL: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  PEC_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  VARCO_MAIL_FROM: z.string().email().default('noreply@varco.invalid'),
  VARCO_PEC_FROM: z.string().email().default('pec@varco.invalid'),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  VARCO_LETTER_DELIVERY: z.enum(['mailbox', 'batch']).optional(),
  VARCO_LETTERS_DIR: z.string().optional(),
  VARCO_AUDIT_HEAD_FILE: z.string().optional(),
  VARCO_AUDIT_SEAL_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)').optional(),
  VARCO_AUDIT_UNKEYED_UNTIL_SEAL: int(0, Number.MAX_SAFE_INTEGER).default(0),
  VARCO_FILES_DIR: z.string().optional(),
  VARCO_UPLOAD_LIMIT_MB: int(1, 50).default(5),
  VARCO_LETTER_RETENTION_DAYS: int(1, 365).default(14),
  VARCO_WORKER_IN_PROCESS: bool.optional(),
  VARCO_WORKER_BATCH_SIZE: int(1, 1000).default(50),
  VARCO_WORKER_POLL_INTERVAL_MS: int(10, 60_000).default(500),
  VARCO_WORKER_MAX_ATTEMPTS: int(1, 100).default(8),
  VARCO_WORKER_LEASE_SECONDS: int(1, 3600).default(60),
  VARCO_ARGON2_MEMORY_KIB: int(19_456, 4_194_304).default(19_456),
  VARCO_ARGON2_TIME_COST: int(2, 20).default(2),
  VARCO_ARGON2_PARALLELISM: int(1, 16).default(1),
  VARCO_DEMO_DATA: bool.optional(),
  VARCO_IBAN_MAX_APPLICANTS: int(1, 1000).default(2),
  VARCO_IBAN_RECHECK_MINUTES: int(1, 10_080).default(60),
  VARCO_FEDERATION_FILE: z.string().optional(),
  VARCO_TLS_CERT: z.string().optional(),
  VARCO_TLS_KEY: z.string().optional(),
  VARCO_TLS_PORT: int(0, 65535).default(3443),
  VARCO_CNS_CA_BUNDLE: z.string().optional(),
  VARCO_CNS_CRL: z.string().optional(),
  VARCO_CNS_HEADER: z.string().regex(/^[a-z0-9-]{1,64}$/i, 'a header name').optional(),
  VARCO_CNS_VERIFY_HEADER: z.string().regex(/^[a-z0-9-]{1,64}$/i, 'a header name').default('x-ssl-client-verify'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

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
    if (e.VARCO_DEMO_DATA) throw new ConfigError('VARCO_DEMO_DATA is not allowed in production mode');
    if (e.VARCO_LETTER_DELIVERY === 'mailbox') throw new ConfigError('VARCO_LETTER_DELIVERY=mailbox is for development only');
  }
  if (e.VARCO_AUDIT_SEAL_KEY && e.VARCO_SECRET_KEY && e.VARCO_AUDIT_SEAL_KEY.toLowerCase() === e.VARCO_SECRET_KEY.toLowerCase()) {
    throw new ConfigError('VARCO_AUDIT_SEAL_KEY must differ from VARCO_SECRET_KEY (the seal key is held apart from the database and its secrets)');
  }
  const port = e.PORT;
  const tlsParts = [e.VARCO_TLS_CERT, e.VARCO_TLS_KEY, e.VARCO_CNS_CA_BUNDLE];
  if (tlsParts.some(Boolean) && !tlsParts.every(Boolean)) throw new ConfigError('CNS over TLS needs VARCO_TLS_CERT, VARCO_TLS_KEY and VARCO_CNS_CA_BUNDLE together');
  if (e.VARCO_CNS_HEADER && !e.VARCO_TRUSTED_PROXIES) throw new ConfigError('VARCO_CNS_HEADER is read only from VARCO_TRUSTED_PROXIES: set them');
  if (production && e.VARCO_TLS_CERT && !e.VARCO_CNS_CRL) throw new ConfigError('Production mode checks CNS revocation: set VARCO_CNS_CRL');
  const publicUrl = (e.VARCO_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  let identityProviders: IdentityProvider[];
  try {
    identityProviders = loadIdentityProviders(e.VARCO_FEDERATION_FILE, publicUrl, production);
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
    istituto: { name: e.VARCO_ISTITUTO, logoUrl: e.VARCO_ISTITUTO_LOGO_URL, contactCenter: e.VARCO_CONTACT_CENTER },
    trustedProxies: e.VARCO_TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean),
    rateLimit: { requestsPerWindow: e.VARCO_RATE_LIMIT_REQUESTS, windowSeconds: e.VARCO_RATE_LIMIT_WINDOW_SECONDS },
    flowTtlMinutes: e.VARCO_FLOW_TTL_MINUTES,
    ripristinoCodeTtlMinutes: e.VARCO_RIPRISTINO_CODE_TTL_MINUTES,
    controlCodesPerCfDay: e.VARCO_CONTROL_CODES_PER_CF_DAY,
    pinSemplificato: { enabled: e.VARCO_PIN_SEMPLIFICATO, until: e.VARCO_PIN_SEMPLIFICATO_UNTIL ? new Date(`${e.VARCO_PIN_SEMPLIFICATO_UNTIL}T23:59:59.999+01:00`) : undefined },
    pinExpiry: { citizenMonths: e.VARCO_PIN_EXPIRY_MONTHS, intermediarioMonths: e.VARCO_PIN_EXPIRY_MONTHS_INTERMEDIARI, noticeDays: e.VARCO_PIN_EXPIRY_NOTICE_DAYS },
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
    demoData: e.VARCO_DEMO_DATA ?? !production,
    logLevel: e.LOG_LEVEL,
    identityProviders,
    cns: {
      tls: e.VARCO_TLS_CERT && e.VARCO_TLS_KEY && e.VARCO_CNS_CA_BUNDLE
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
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}
