import { purgeClientAssertions } from '../clients/clients.js';
import { issueDueRemoteIssues } from '../backoffice/approvazioni/service.js';
import { tableResidenceRegistry } from '../adapters/residence.js';
import { purgeOidcPayloads } from '../oidc/adapter.js';
import { type IbanHolderCheck, tableIbanHolderCheck } from '../adapters/iban-holders.js';
import { recheckIbans } from '../flows/indennita/service.js';
import { fileHeadSink, sealPending } from '../audit/chain.js';
import type { Config } from '../config/config.js';
import { createFlowStore } from '../sessions/flow-store.js';
import { processRipristinoRequests } from '../flows/ripristino/service.js';
import { purgeRateLimits } from '../security/rate-limit.js';
import { type Db, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { OutboxChannel } from '../db/schema.js';
import { createDevMailboxChannel } from '../outbox/channels/dev-mailbox.js';
import { createSmsHttpChannel } from '../outbox/channels/sms-http.js';
import { createSmtpChannel } from '../outbox/channels/smtp.js';
import type { ChannelAdapter } from '../outbox/channels/types.js';
import type { RenderDeps } from '../outbox/render.js';
import { createWorker, type Worker } from '../outbox/worker.js';
import { eraseExpiredDocuments } from '../flows/conversione/retention.js';
import { purgeQuotaCounters } from '../outbox/quotas.js';
import { createPinHasher, type PinHasher } from '../security/hasher.js';
import { createSecretBox, type SecretBox } from '../security/secret-box.js';

/** The services of one process, built from the validated configuration. */
export interface Runtime {
  config: Config;
  db: Db;
  hasher: PinHasher;
  box: SecretBox;
  render: RenderDeps;
  /** R21: the IBAN holder check, one for the portal and the worker (the registry table by default). */
  ibanHolders: IbanHolderCheck;
}

export async function openRuntime(
  config: Config,
  opts: { migrate?: boolean; log?: (msg: string, fields?: Record<string, unknown>) => void } = {},
): Promise<Runtime> {
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    // Issue 16: a PostgreSQL restart closes idle connections; the process logs it and carries on.
    onIdleError: (error) => opts.log?.('database connection lost (idle)', { error: error.message }),
  });
  if (opts.migrate !== false) await migrateToLatest(db);
  return {
    config,
    db,
    hasher: createPinHasher(config.argon2),
    box: createSecretBox(config.secretKey),
    render: { istituto: config.istituto.name, contactCenter: config.istituto.contactCenter, contactCenterMobile: config.istituto.contactCenterMobile },
    ibanHolders: tableIbanHolderCheck(db),
  };
}

/**
 * The channel adapters this configuration delivers with. In development every channel without
 * a real endpoint lands in the dev mailbox; letters in batch mode are left to `varco letters`.
 */
export function channelsFor(rt: Runtime): Partial<Record<OutboxChannel, ChannelAdapter>> {
  const { config } = rt;
  const mailbox = config.devMailbox ? createDevMailboxChannel(rt.db) : undefined;
  const domain = new URL(config.publicUrl).hostname || 'varco.invalid';
  const channels: Partial<Record<OutboxChannel, ChannelAdapter>> = {};
  const email = config.smtpUrl ? createSmtpChannel({ url: config.smtpUrl, from: config.mailFrom, messageIdDomain: domain }) : mailbox;
  const pec = config.pecSmtpUrl ? createSmtpChannel({ url: config.pecSmtpUrl, from: config.pecFrom, messageIdDomain: domain }) : mailbox;
  const sms = config.smsGatewayUrl ? createSmsHttpChannel({ url: config.smsGatewayUrl, token: config.smsGatewayToken }) : mailbox;
  if (email) channels.email = email;
  if (pec) channels.pec = pec;
  if (sms) channels.sms = sms;
  if (config.letterDelivery === 'mailbox' && mailbox) channels.letter = mailbox;
  return channels;
}

export function workerFor(rt: Runtime, log?: (msg: string, fields?: Record<string, unknown>) => void): Worker {
  const w = rt.config.worker;
  return createWorker({
    db: rt.db,
    box: rt.box,
    channels: channelsFor(rt),
    render: rt.render,
    batchSize: w.batchSize,
    pollIntervalMs: w.pollIntervalMs,
    maxAttempts: w.maxAttempts,
    leaseSeconds: w.leaseSeconds,
    smsGlobalDay: rt.config.messageQuotas.smsGlobalDay,
    log,
    everyFewSeconds: async () => {
      await processRipristinoRequests({
        db: rt.db,
        box: rt.box,
        hasher: rt.hasher,
        now: () => new Date(),
        codeTtlMinutes: rt.config.ripristinoCodeTtlMinutes,
        publicUrl: rt.config.publicUrl,
        contactSecurity: rt.config.contactSecurity,
      });
      await recheckIbans({ db: rt.db, ibanHolders: rt.ibanHolders, now: () => new Date() }, { everyMinutes: rt.config.indennita.ibanRecheckMinutes });
      await sealPending(rt.db, fileHeadSink(rt.config.auditHeadFile), { key: rt.config.auditSealKey });
    },
    documentRetention: async () => {
      const erased = await eraseExpiredDocuments({ db: rt.db, filesDir: rt.config.filesDir, now: () => new Date() }, rt.config.documentRetention);
      if (erased.requests || erased.files) log?.('expired documents erased', erased);
    },
    housekeeping: async () => {
      const flows = await createFlowStore(rt.db, rt.config.flowTtlMinutes).purgeExpired();
      await purgeRateLimits(rt.db, new Date(Date.now() - 86_400_000));
      await purgeQuotaCounters(rt.db, new Date());
      await purgeClientAssertions(rt.db, new Date());
      await purgeOidcPayloads(rt.db, new Date());
      if (flows) log?.('expired flows purged', { flows });
      // F7: approved remote PINs dispositivo whose delay has passed.
      const now = () => new Date();
      const ps = rt.config.pinSemplificato;
      const issued = await issueDueRemoteIssues(
        {
          db: rt.db,
          box: rt.box,
          hasher: rt.hasher,
          now,
          publicUrl: rt.config.publicUrl,
          remoteIssueDelayHours: rt.config.remoteIssueDelayHours,
          semplificatoOpen: () => ps.enabled && (!ps.until || now() <= ps.until),
          residence: { mode: rt.config.residenceRegistry, registry: tableResidenceRegistry(rt.db) },
        },
        'system:worker',
      );
      if (issued) log?.('remote PINs dispositivo issued', { issued });
    },
  });
}
