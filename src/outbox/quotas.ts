import { type Kysely, sql } from 'kysely';
import { audit, type AuditContext } from '../audit/events.js';
import type { MessageQuotas } from '../config/config.js';
import type { Database } from '../db/schema.js';
import { canonicalCf, omocodiaFamily } from '../domain/codice-fiscale/index.js';
import { smsAllowed, smsPrefixes } from '../domain/contacts.js';
import type { Translate } from '../i18n/index.js';
import { romeDate } from '../domain/rome-time.js';
import type { SecretBox } from '../security/secret-box.js';

/**
 * Issue 12 F6 (SMS pumping): the policies that decide whether a message may be sent now.
 * - `reserveSmsCode`: every flow that sends an SMS code asks it first, outside its own
 *   transaction; a refusal is audited and the flow shows the citizen another way.
 * - `letterQuotaReached`: a PIN request past the letters per codice fiscale goes to a sede.
 * - The global daily cap is the worker's (src/outbox/worker.ts): SMS past it wait queued.
 */
export interface QuotaDeps {
  db: Kysely<Database>;
  box: SecretBox;
  now: () => Date;
  quotas: MessageQuotas;
}

/** The flows that send SMS codes; named in the audit record of a refusal. */
export type SmsCodeFlow = 'richiesta' | 'recapiti' | 'certificati' | 'ripristino' | 'backoffice';

/** Which limit stopped a message (the audit's `limit`). */
export type QuotaLimit = 'sms_country' | 'sms_cf_day' | 'sms_number_day' | 'sms_cooldown' | 'letters_cf';

export type SmsLimit = Exclude<QuotaLimit, 'letters_cf'>;

export type SmsReservation = { ok: true } | { ok: false; limit: SmsLimit };

class Refused extends Error {}

/** '+39333•••567': enough for a supervisore to recognise a pattern, not to dial it. */
export function maskNumber(e164: string): string {
  return e164.length > 9 ? `${e164.slice(0, 6)}•••${e164.slice(-3)}` : '•••';
}

/**
 * "May this codice fiscale be sent an SMS code at this number now?" Counts it when yes.
 * The count is one conditional upsert over the two counters (per CF and per number, today in
 * Rome): each row is incremented only while under its daily limit and past the cooldown, under
 * the row lock the upsert takes, so concurrent requests in any process never pass a limit
 * together. When either row refuses, the transaction is rolled back (neither counts).
 * Call it outside a transaction (PGlite has one connection).
 */
export async function reserveSmsCode(deps: QuotaDeps, request: { cf: string; number: string; flow: SmsCodeFlow }, ctx: AuditContext): Promise<SmsReservation> {
  const q = deps.quotas;
  const refuse = async (limit: SmsLimit): Promise<SmsReservation> => {
    await audit.quotaExceeded(deps.db, ctx, request.cf, { limit, flow: request.flow, number: maskNumber(request.number) });
    return { ok: false, limit };
  };
  if (!smsAllowed(request.number, q.smsCountries)) return refuse('sms_country');
  const now = deps.now();
  const day = romeDate(now);
  // One counter for a codice fiscale and its omocodic variants (docs/security.md).
  const cfKey = deps.box.fingerprint(`sms-quota:cf:${canonicalCf(request.cf)}`);
  const numberKey = deps.box.fingerprint(`sms-quota:number:${request.number}`);
  const cooledBefore = new Date(now.getTime() - q.smsCooldownSeconds * 1000);
  try {
    await deps.db.transaction().execute(async (trx) => {
      const counted = await sql<{ scope: string }>`
        insert into sms_quota_counters as c (scope, key_hash, day, sends, last_sent_at)
        values ('cf', ${cfKey}, ${day}, 1, ${now}), ('number', ${numberKey}, ${day}, 1, ${now})
        on conflict (scope, key_hash, day) do update
           set sends = c.sends + 1, last_sent_at = excluded.last_sent_at
         where c.sends < (case c.scope when 'cf' then ${q.smsPerCfDay}::integer else ${q.smsPerNumberDay}::integer end)
           and c.last_sent_at <= ${cooledBefore}
        returning c.scope`.execute(trx);
      if (counted.rows.length !== 2) throw new Refused();
    });
    return { ok: true };
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
  }
  // Only to name the limit: the decision above was the statement's.
  const rows = await deps.db
    .selectFrom('sms_quota_counters')
    .select(['scope', 'sends'])
    .where('day', '=', day)
    .where((eb) => eb.or([eb.and([eb('scope', '=', 'cf'), eb('key_hash', '=', cfKey)]), eb.and([eb('scope', '=', 'number'), eb('key_hash', '=', numberKey)])]))
    .execute();
  const sends = (scope: 'cf' | 'number') => rows.find((r) => r.scope === scope)?.sends ?? 0;
  return refuse(sends('cf') >= q.smsPerCfDay ? 'sms_cf_day' : sends('number') >= q.smsPerNumberDay ? 'sms_number_day' : 'sms_cooldown');
}

/** The citizen's message for a refused SMS code, in their language. */
export function smsRefusalMessage(t: Translate, limit: SmsLimit, quotas: MessageQuotas): string {
  if (limit === 'sms_country') return t('error.cellulare.country', { prefixes: smsPrefixes(quotas.smsCountries) });
  return t(limit === 'sms_cooldown' ? 'error.sms.cooldown' : 'error.sms.quota');
}

/**
 * "Has this codice fiscale had its letters for now?" Letters (queued or sent) to the CF within
 * VARCO_LETTER_WINDOW_DAYS; at VARCO_LETTERS_PER_CF a new PIN request is sent to a sede. A hit
 * is audited. R1's unique live credential already serialises requests of one CF.
 */
export async function letterQuotaReached(deps: Omit<QuotaDeps, 'box'>, cf: string, ctx: AuditContext): Promise<boolean> {
  const since = new Date(deps.now().getTime() - deps.quotas.letterWindowDays * 86_400_000);
  const row = await deps.db
    .selectFrom('outbox_messages')
    .innerJoin('citizens', 'citizens.id', 'outbox_messages.citizen_id')
    .select((eb) => eb.fn.countAll<string>().as('letters'))
    // The letters of the whole omocodia family count (docs/security.md).
    .where('citizens.codice_fiscale', 'in', omocodiaFamily(cf))
    .where('outbox_messages.channel', '=', 'letter')
    .where('outbox_messages.created_at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(row.letters) < deps.quotas.lettersPerCf) return false;
  await audit.quotaExceeded(deps.db, ctx, cf, { limit: 'letters_cf', flow: 'richiesta', number: null });
  return true;
}

/** What the back office shows of the global SMS cap today. */
export interface SmsGlobalState {
  day: string;
  cap: number | undefined;
  /** SMS handed to the gateway today (counted by the worker when the cap is set). */
  sends: number;
  capReachedAt: Date | null;
  /** SMS waiting in the outbox now. */
  queued: number;
}

export async function smsGlobalState(db: Kysely<Database>, now: Date, cap: number | undefined): Promise<SmsGlobalState> {
  const day = romeDate(now);
  const total = await db.selectFrom('sms_daily_totals').select(['sends', 'cap_reached_at']).where('day', '=', day).executeTakeFirst();
  return { day, cap, sends: total?.sends ?? 0, capReachedAt: total?.cap_reached_at ?? null, queued: await queuedSms(db) };
}

/** SMS waiting in the outbox now. */
export async function queuedSms(db: Kysely<Database>): Promise<number> {
  const queued = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('channel', '=', 'sms')
    .where('state', '=', 'queued')
    .executeTakeFirstOrThrow();
  return Number(queued.n);
}

/** Counters of past days are no longer read. */
export async function purgeQuotaCounters(db: Kysely<Database>, now: Date): Promise<void> {
  const before = romeDate(new Date(now.getTime() - 2 * 86_400_000));
  await db.deleteFrom('sms_quota_counters').where('day', '<', before).execute();
}
