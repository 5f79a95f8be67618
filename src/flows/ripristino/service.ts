import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, RipristinoContacts } from '../../db/schema.js';
import type { MessageQuotas } from '../../config/config.js';
import { enqueue, type OutboxEntry } from '../../outbox/outbox.js';
import { reserveSmsCode, type SmsLimit } from '../../outbox/quotas.js';
import type { PinHasher } from '../../security/hasher.js';
import { generatePin, splitInitialPin } from '../../security/pin.js';
import { recordWrongCode, sameFingerprint } from '../../security/one-time-code.js';
import type { SecretBox } from '../../security/secret-box.js';
import { lockoutKey } from '../accesso/lockout.js';
import { rememberReplacedPin } from '../cambio-pin/history.js';
import { formatRome } from '../../domain/rome-time.js';
import { issueNotMeLink } from '../non-sono-stato-io/service.js';
import { coolOffUntil, replacedContacts } from '../recapiti/history.js';
import { columns } from '../../db/columns.js';

export interface RipristinoDeps {
  db: Kysely<Database>;
  box: SecretBox;
  hasher: PinHasher;
  now: () => Date;
  codeTtlMinutes: number;
  publicUrl: string;
  /** Issue 12 F2 (VARCO_CONTACT_COOLOFF_DAYS, VARCO_NOT_ME_LINK_DAYS, VARCO_CONTACT_PREVIOUS_NOTICE_DAYS). */
  contactSecurity: { coolOffDays: number; notMeLinkDays: number; previousNoticeDays: number };
  /** Issue 12 F6: the first half by SMS is an SMS code, counted by the SMS quotas. */
  quotas?: MessageQuotas;
}

/** What the citizen typed, normalised; absent contacts are null. */
export interface RipristinoRequest {
  codiceFiscale: string;
  cellulare: string | null;
  email: string | null;
  pec: string | null;
}

const ripristinoRequestSchema = z.object({
  codiceFiscale: z.string(),
  cellulare: z.string().nullable(),
  email: z.string().nullable(),
  pec: z.string().nullable(),
}) satisfies z.ZodType<RipristinoRequest>;
/** A queued request as it comes back from its sealed JSON (the audit context kept whole). */
const queuedSchema = z.object({
  input: ripristinoRequestSchema,
  ctx: z.object({ actor: z.string(), ip: z.string().nullish(), channel: z.string().nullish(), userAgent: z.string().nullish() }).passthrough(),
});

/** Wrong codes a single codice di ripristino survives before it is burnt. */
export const MAX_CODE_FAILURES = 5;

export type RequestOutcome = 'code_sent' | 'initial_pin' | 'no_match' | 'cooling_off' | 'blocked';

/**
 * R13, first step. The answer to the citizen is the same whatever happens here; only the
 * mailbox of a matching citizen learns something. A code is sent when the CF holds an active
 * PIN (first access done) and every contact given — at least two — matches a verified contact
 * on record; a citizen still on the initial PIN is told to revoke instead. Issue 12 F2: no code
 * while one of the contacts given was changed less than VARCO_CONTACT_COOLOFF_DAYS ago, nor
 * after a "Non sono stato io" — the email says why, and whom to call.
 */
async function handleRipristino(deps: RipristinoDeps, trx: Kysely<Database>, input: RipristinoRequest, ctx: AuditContext): Promise<RequestOutcome> {
  const row = await trx
    .selectFrom('citizens')
    .innerJoin('credentials', 'credentials.citizen_id', 'citizens.id')
    .select([
      ...columns('citizens', ['id as citizenId', 'nome', 'cognome', 'locale', 'cellulare', 'email', 'pec', 'contacts_verified_at', 'ripristino_blocked_at']),
      'credentials.state',
    ])
    .where('citizens.codice_fiscale', '=', input.codiceFiscale)
    .where('credentials.state', 'in', ['initial', 'active'])
    .executeTakeFirst();
  const given = (
    [
      ['cellulare', input.cellulare],
      ['email', input.email],
      ['pec', input.pec],
    ] as const
  ).filter(([, v]) => v !== null);
  const matches = row !== undefined && given.length >= 2 && given.every(([k, v]) => sameContact(row[k], v ?? ''));
  let outcome: RequestOutcome = !row || !matches ? 'no_match' : row.state === 'active' && row.contacts_verified_at ? 'code_sent' : 'initial_pin';
  let usableFrom: Date | null = null;
  if (row && outcome === 'code_sent') {
    usableFrom = await coolOffUntil(
      trx,
      row.citizenId,
      given.map(([k]) => k),
      deps.now(),
      deps.contactSecurity.coolOffDays,
    );
    outcome = row.ripristino_blocked_at ? 'blocked' : usableFrom ? 'cooling_off' : 'code_sent';
  }
  // The instructions go to the email given, or to the PEC when no email was given (a match has one of them).
  const to = mailContact(input);
  if (row && outcome !== 'no_match' && to) {
    const params = { nome: row.nome, cognome: row.cognome, link: `${deps.publicUrl}/pin/ripristino/conferma`, minutes: String(deps.codeTtlMinutes) };
    // The code exists only for a matching citizen: the web step is already the same for everyone.
    const code = outcome === 'code_sent' ? generatePin(8) : undefined;
    const base = { channel: to.channel, recipient: to.to, locale: row.locale, citizenId: row.citizenId };
    const entry: OutboxEntry = code
      ? { ...base, template: 'ripristino.code', params, secret: code }
      : outcome === 'cooling_off' && usableFrom
        ? {
            ...base,
            template: 'ripristino.coolingOff',
            params: { nome: row.nome, cognome: row.cognome, days: String(deps.contactSecurity.coolOffDays), date: formatRome(usableFrom).slice(0, 16) },
          }
        : outcome === 'blocked'
          ? { ...base, template: 'ripristino.blocked', params: { nome: row.nome, cognome: row.cognome } }
          : { ...base, template: 'ripristino.initialLost', params };
    if (code) {
      await trx.updateTable('ripristino_codes').set({ used_at: deps.now() }).where('citizen_id', '=', row.citizenId).where('used_at', 'is', null).execute();
      await trx
        .insertInto('ripristino_codes')
        .values({
          id: randomUUID(),
          citizen_id: row.citizenId,
          code_hmac: deps.box.fingerprint(`ripristino:${code}`),
          contacts: JSON.stringify(halvesTo(input)),
          expires_at: new Date(deps.now().getTime() + deps.codeTtlMinutes * 60_000),
        })
        .execute();
    }
    await enqueue(trx, deps.box, [entry]);
  }
  await audit.ripristinoRequested(trx, ctx, input.codiceFiscale, { outcome, contacts: given.map(([k]) => k) });
  return outcome;
}

/**
 * The web step of R13: store the request, encrypted, and answer. Whatever the data, this is all
 * the work the request does, so neither the answer nor its time tells anything.
 */
export async function queueRipristino(deps: RipristinoDeps, input: RipristinoRequest, ctx: AuditContext): Promise<void> {
  const id = randomUUID();
  await deps.db
    .insertInto('ripristino_requests')
    .values({ id, payload_sealed: deps.box.seal(JSON.stringify({ input, ctx }), id) })
    .execute();
}

/** The worker's step: handles queued requests one by one, each in one transaction with its deletion. */
export async function processRipristinoRequests(deps: RipristinoDeps, limit = 50): Promise<number> {
  let handled = 0;
  for (; handled < limit; handled++) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const next = await sql<{ id: string; payload_sealed: string }>`
        select id, payload_sealed from ripristino_requests order by created_at limit 1 for update skip locked`.execute(trx);
      const row = next.rows[0];
      if (!row) return false;
      await trx.deleteFrom('ripristino_requests').where('id', '=', row.id).execute();
      const queued = queuedSchema.safeParse(JSON.parse(deps.box.open(row.payload_sealed, row.id)));
      // A payload of another shape (written by another version) is dropped: retrying it would stop the queue.
      if (queued.success) await handleRipristino(deps, trx, queued.data.input, queued.data.ctx);
      return true;
    });
    if (!done) break;
  }
  return handled;
}

/**
 * R13: the first 8 characters by SMS when a cellulare is among the contacts given, otherwise by
 * email, then PEC; the second 8 to the other contact.
 */
export function halvesTo(input: RipristinoRequest): RipristinoContacts {
  const mail = mailContact(input);
  if (input.cellulare && mail) return { first: { channel: 'sms', to: input.cellulare }, second: mail };
  if (input.email && input.pec) return { first: { channel: 'email', to: input.email }, second: { channel: 'pec', to: input.pec } };
  // validateRipristino asks for two contacts, and a code is sent only when two match.
  throw new Error('a ripristino needs two contacts');
}

/** The email given, else the PEC. */
function mailContact(input: RipristinoRequest): { channel: 'email' | 'pec'; to: string } | undefined {
  if (input.email) return { channel: 'email', to: input.email };
  return input.pec ? { channel: 'pec', to: input.pec } : undefined;
}

function sameContact(onRecord: string | null, given: string): boolean {
  return onRecord !== null && onRecord.toLowerCase() === given.toLowerCase();
}

export type ConfirmResult =
  { ok: true; contacts: RipristinoContacts } | { ok: false; /** The code was right but the SMS was refused: the code stays usable. */ smsRefused?: SmsLimit };

/**
 * R13, second step: a correct, unused, unexpired code gives a new 16-character PIN split over
 * the two contacts; the credential returns to `initial` (first access again, R7) keeping its
 * dispositivo status; every session ends and the lockout resets. The contacts replaced in the last
 * VARCO_CONTACT_PREVIOUS_NOTICE_DAYS are told (F2); after a "Non sono stato io" no code works.
 */
export async function confirmRipristino(deps: RipristinoDeps, input: { codiceFiscale: string; code: string }, ctx: AuditContext): Promise<ConfirmResult> {
  const now = deps.now();
  const presented = deps.box.fingerprint(`ripristino:${input.code.toUpperCase()}`);
  const pending = await deps.db
    .selectFrom('ripristino_codes')
    .innerJoin('citizens', 'citizens.id', 'ripristino_codes.citizen_id')
    .select([
      ...columns('ripristino_codes', ['id', 'code_hmac', 'contacts', 'failed_attempts']),
      ...columns('citizens', ['id as citizenId', 'nome', 'cognome', 'locale']),
    ])
    .where('citizens.codice_fiscale', '=', input.codiceFiscale)
    .where('citizens.ripristino_blocked_at', 'is', null)
    .where('ripristino_codes.used_at', 'is', null)
    .where('ripristino_codes.expires_at', '>', now)
    .orderBy('ripristino_codes.created_at', 'desc')
    .executeTakeFirst();
  if (!pending || !sameFingerprint(pending.code_hmac, presented)) {
    if (pending) await recordWrongCode(deps.db, 'ripristino_codes', pending.id, pending.failed_attempts, MAX_CODE_FAILURES, now);
    await audit.ripristinoFailed(deps.db, ctx, input.codiceFiscale);
    return { ok: false };
  }
  const contacts = pending.contacts;
  if (deps.quotas && contacts.first.channel === 'sms') {
    const sms = await reserveSmsCode(
      { db: deps.db, box: deps.box, now: deps.now, quotas: deps.quotas },
      { cf: input.codiceFiscale, number: contacts.first.to, flow: 'ripristino' },
      ctx,
    );
    if (!sms.ok) return { ok: false, smsRefused: sms.limit };
  }
  const pin = generatePin();
  const pinHash = await deps.hasher.hash(pin);
  const halves = splitInitialPin(pin);
  const params = { nome: pending.nome, cognome: pending.cognome };
  return deps.db.transaction().execute(async (trx) => {
    const used = await trx.updateTable('ripristino_codes').set({ used_at: now }).where('id', '=', pending.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return { ok: false as const };
    // Issue 13 item 7: the PIN being replaced joins the last 5, which the new PIN chosen at first access may not repeat.
    const live = await trx
      .selectFrom('credentials')
      .select('id')
      .where('citizen_id', '=', pending.citizenId)
      .where('state', 'in', ['initial', 'active'])
      .execute();
    for (const c of live) await rememberReplacedPin(trx, c.id, now);
    await trx
      .updateTable('credentials')
      .set({ pin_hash: pinHash, state: 'initial', changed_at: now, updated_at: now, semplificato_hash: null })
      .where('citizen_id', '=', pending.citizenId)
      .where('state', 'in', ['initial', 'active'])
      .execute();
    await trx
      .updateTable('sessions')
      .set({ ended_at: now, end_reason: 'ripristino' })
      .where('citizen_id', '=', pending.citizenId)
      .where('ended_at', 'is', null)
      .execute();
    await trx
      .updateTable('lockouts')
      .set({ failures: 0, blocked_until: null, updated_at: now })
      .where('cf_key', '=', lockoutKey(input.codiceFiscale))
      .execute();
    await enqueue(trx, deps.box, [
      {
        channel: contacts.first.channel,
        template: 'pin.restoredFirst',
        recipient: contacts.first.to,
        locale: pending.locale,
        params,
        secret: halves.first,
        citizenId: pending.citizenId,
      },
      {
        channel: contacts.second.channel,
        template: 'pin.restoredSecond',
        recipient: contacts.second.to,
        locale: pending.locale,
        params,
        secret: halves.second,
        citizenId: pending.citizenId,
      },
    ]);
    // Issue 12 F2: the contacts replaced recently are told too, each with its "Non sono stato io" link.
    const notices: OutboxEntry[] = [];
    for (const replaced of await replacedContacts(trx, pending.citizenId, now, deps.contactSecurity.previousNoticeDays)) {
      const channel = replaced.kind === 'cellulare' ? 'sms' : replaced.kind;
      const link = await issueNotMeLink(
        trx,
        { ...deps, notMeLinkDays: deps.contactSecurity.notMeLinkDays },
        { citizenId: pending.citizenId, reason: 'ripristino', channel },
      );
      notices.push({
        channel,
        template: 'ripristino.previousContact',
        recipient: replaced.value,
        locale: pending.locale,
        params,
        secret: link,
        citizenId: pending.citizenId,
      });
    }
    await enqueue(trx, deps.box, notices);
    await audit.ripristinoCompleted(trx, ctx, input.codiceFiscale, {
      first: contacts.first.channel,
      second: contacts.second.channel,
      previousContactsTold: notices.length,
    });
    return { ok: true as const, contacts };
  });
}
