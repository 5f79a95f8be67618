import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { audit } from '../audit/events.js';
import type { Database, OutboxChannel, OutboxMessage } from '../db/schema.js';
import { romeDate } from '../domain/rome-time.js';
import type { SecretBox } from '../security/secret-box.js';
import type { ChannelAdapter } from './channels/types.js';
import { queuedSms } from './quotas.js';
import { type RenderDeps, renderMessage } from './render.js';

export interface WorkerOptions {
  db: Kysely<Database>;
  box: SecretBox;
  /** Only channels listed here are taken; letters in batch mode are left to `varco letters`. */
  channels: Partial<Record<OutboxChannel, ChannelAdapter>>;
  render: RenderDeps;
  batchSize: number;
  pollIntervalMs: number;
  maxAttempts: number;
  leaseSeconds: number;
  /** First retry delay; doubles on each attempt, capped at one hour. */
  retryBaseSeconds?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** Periodic upkeep run by the worker loop (expired flows, old rate-limit windows), at most once a minute. */
  housekeeping?: () => Promise<void>;
  /** Run every few seconds by the worker loop (queued ripristino requests, the audit sealer). */
  everyFewSeconds?: () => Promise<void>;
  /** How often `everyFewSeconds` runs; 5 s by default. */
  frequentIntervalMs?: number;
  /** Issue 12 F5: the uploaded documents' retention policy, run at the first round and then at most once an hour. */
  documentRetention?: () => Promise<void>;
  /**
   * Issue 12 F6, VARCO_SMS_GLOBAL_DAY: SMS handed to the gateway per day in Rome. Past it SMS stay
   * queued (never dropped nor failed) until the next day, and supervisori are alerted once.
   */
  smsGlobalDay?: number;
  /** The worker's clock for the day of the SMS cap (tests inject one). */
  now?: () => Date;
}

export interface Worker {
  readonly id: string;
  /** Claims one batch and delivers it; resolves to the number of messages taken. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The outbox courier. Guarantee: at-least-once delivery with a stable id.
 * - A message is claimed with a lease (FOR UPDATE SKIP LOCKED): two workers never hold it at once.
 * - It is marked sent only after the channel accepted it; a crash between the two leaves it
 *   'processing' until the lease expires, then it is delivered again with the same id.
 * - The secret is erased in the transaction that marks it sent or abandoned.
 */
export function createWorker(opts: WorkerOptions): Worker {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const channels = Object.keys(opts.channels) as OutboxChannel[];
  const base = opts.retryBaseSeconds ?? 30;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const cap = opts.smsGlobalDay;
  const clock = opts.now ?? (() => new Date());

  async function claim(): Promise<OutboxMessage[]> {
    if (cap === undefined || !channels.includes('sms')) return claimOf(opts.db, channels, opts.batchSize);
    const others = channels.filter((c) => c !== 'sms');
    const rest = others.length ? await claimOf(opts.db, others, opts.batchSize) : [];
    return [...rest, ...(await claimSmsUnderCap(cap))];
  }

  /**
   * SMS under the day's cap: the day's row is locked while claiming, so workers take turns and
   * never claim past the cap together. A claim counts (a retry counts again): the cap errs on
   * the side of fewer SMS. The first time an SMS is left waiting, the day's row records it and
   * the alert is audited.
   */
  async function claimSmsUnderCap(dayCap: number): Promise<OutboxMessage[]> {
    const now = clock();
    const day = romeDate(now);
    return opts.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sms_daily_totals')
        .values({ day })
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
      const total = await trx.selectFrom('sms_daily_totals').select(['sends', 'cap_reached_at']).where('day', '=', day).forUpdate().executeTakeFirstOrThrow();
      const room = Math.max(0, dayCap - total.sends);
      const taken = room > 0 ? await claimOf(trx, ['sms'], Math.min(opts.batchSize, room)) : [];
      let reachedAt = total.cap_reached_at;
      if (total.sends + taken.length >= dayCap && !reachedAt) {
        const queued = await queuedSms(trx);
        if (queued > 0) {
          reachedAt = now;
          await audit.smsGlobalCapReached(trx, { day, cap: dayCap, queued });
          opts.log?.('SMS daily cap reached: SMS wait for the next day', { day, cap: dayCap, queued });
        }
      }
      if (taken.length || reachedAt !== total.cap_reached_at) {
        await trx
          .updateTable('sms_daily_totals')
          .set({ sends: total.sends + taken.length, cap_reached_at: reachedAt })
          .where('day', '=', day)
          .execute();
      }
      return taken;
    });
  }

  async function claimOf(db: Kysely<Database>, which: OutboxChannel[], limit: number): Promise<OutboxMessage[]> {
    if (which.length === 0 || limit <= 0) return [];
    const result = await sql<OutboxMessage>`
      update outbox_messages
         set state = 'processing', lease_owner = ${id},
             lease_until = now() + make_interval(secs => ${opts.leaseSeconds}),
             send_count = send_count + 1
       where id in (
         select id from outbox_messages
          where channel in (${sql.join(which)})
            and ((state = 'queued' and next_attempt_at <= now()) or (state = 'processing' and lease_until < now()))
          order by next_attempt_at
          limit ${limit}
          for update skip locked)
      returning *`.execute(db);
    return result.rows;
  }

  /** Delivers one message; resolves to its start time when the channel accepted it. */
  async function deliver(message: OutboxMessage): Promise<{ message: OutboxMessage; started: Date } | undefined> {
    const started = new Date();
    try {
      const adapter = opts.channels[message.channel];
      if (!adapter) throw new Error(`no adapter for ${message.channel}`);
      const secret = message.secret_ciphertext ? opts.box.open(message.secret_ciphertext, message.id) : undefined;
      const rendered = await renderMessage(message, secret, opts.render);
      await adapter.deliver(rendered);
      return { message, started };
    } catch (err) {
      await markFailed(message, started, err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  async function subjectCf(trx: Kysely<Database>, citizenId: string | null): Promise<string | null> {
    if (!citizenId) return null;
    const row = await trx.selectFrom('citizens').select('codice_fiscale').where('id', '=', citizenId).executeTakeFirst();
    return row?.codice_fiscale ?? null;
  }

  /**
   * One transaction for every message of the batch the channels accepted: marked sent, secrets
   * erased, attempts logged, audited. A crash before it commits re-sends them with the same ids.
   */
  async function markSent(delivered: { message: OutboxMessage; started: Date }[]): Promise<void> {
    if (delivered.length === 0) return;
    await opts.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('outbox_messages')
        .set({ state: 'sent', secret_ciphertext: null, sent_at: new Date(), lease_owner: null, lease_until: null, last_error: null })
        .where(
          'id',
          'in',
          delivered.map((d) => d.message.id),
        )
        .where('state', '=', 'processing')
        .returning('id')
        .execute();
      await trx
        .insertInto('outbox_attempts')
        .values(
          delivered.map(({ message, started }) => ({
            message_id: message.id,
            attempt: message.send_count,
            worker: id,
            started_at: started,
            outcome: 'sent' as const,
            error: null,
          })),
        )
        .execute();
      const markedIds = new Set(marked.map((m) => m.id));
      const citizenIds = [...new Set(delivered.map((d) => d.message.citizen_id).filter((c): c is string => c !== null))];
      const cfs = citizenIds.length
        ? new Map(
            (await trx.selectFrom('citizens').select(['id', 'codice_fiscale']).where('id', 'in', citizenIds).execute()).map((c) => [c.id, c.codice_fiscale]),
          )
        : new Map<string, string>();
      const events = delivered
        .filter(({ message }) => markedIds.has(message.id))
        .map(({ message }) => ({
          details: { messageId: message.id, channel: message.channel, attempt: message.send_count, worker: id },
          cf: message.citizen_id ? (cfs.get(message.citizen_id) ?? null) : null,
        }));
      await audit.outboxSentMany(trx, events);
    });
  }

  async function markFailed(message: OutboxMessage, started: Date, error: string): Promise<void> {
    const abandon = message.send_count >= opts.maxAttempts;
    const delaySeconds = Math.min(3600, base * 2 ** (message.send_count - 1)) * (0.75 + Math.random() * 0.5);
    opts.log?.('delivery failed', { messageId: message.id, channel: message.channel, attempt: message.send_count, error, abandon });
    await opts.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox_messages')
        .set(
          abandon
            ? { state: 'abandoned', secret_ciphertext: null, lease_owner: null, lease_until: null, last_error: error.slice(0, 500) }
            : {
                state: 'queued',
                next_attempt_at: new Date(Date.now() + delaySeconds * 1000),
                lease_owner: null,
                lease_until: null,
                last_error: error.slice(0, 500),
              },
        )
        .where('id', '=', message.id)
        .where('state', '=', 'processing')
        .execute();
      await trx
        .insertInto('outbox_attempts')
        .values({
          message_id: message.id,
          attempt: message.send_count,
          worker: id,
          started_at: started,
          outcome: abandon ? 'abandoned' : 'failed',
          error: error.slice(0, 500),
        })
        .execute();
      if (abandon) {
        await audit.outboxAbandoned(
          trx,
          { messageId: message.id, channel: message.channel, attempts: message.send_count, error: error.slice(0, 200) },
          await subjectCf(trx, message.citizen_id),
        );
      }
    });
  }

  async function runOnce(): Promise<number> {
    const batch = await claim();
    const delivered = await Promise.all(batch.map(deliver));
    await markSent(delivered.filter((d) => d !== undefined));
    return batch.length;
  }

  let lastHousekeeping = 0;
  let lastFrequent = 0;
  let lastRetention = 0;

  async function run(): Promise<void> {
    while (running) {
      if (opts.housekeeping && Date.now() - lastHousekeeping > 60_000) {
        lastHousekeeping = Date.now();
        await opts.housekeeping().catch((err: unknown) => opts.log?.('housekeeping failed', { error: String(err) }));
      }
      if (opts.documentRetention && Date.now() - lastRetention > 3_600_000) {
        lastRetention = Date.now();
        await opts.documentRetention().catch((err: unknown) => opts.log?.('document retention failed', { error: String(err) }));
      }
      if (opts.everyFewSeconds && Date.now() - lastFrequent > (opts.frequentIntervalMs ?? 5_000)) {
        lastFrequent = Date.now();
        await opts.everyFewSeconds().catch((err: unknown) => opts.log?.('periodic task failed', { error: String(err) }));
      }
      let taken = 0;
      try {
        taken = await runOnce();
      } catch (err) {
        opts.log?.('outbox batch failed', { error: err instanceof Error ? err.message : String(err) });
      }
      if (taken < opts.batchSize && running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, opts.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  return {
    id,
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
