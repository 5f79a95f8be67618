import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../audit/events.js';
import { personColumns } from '../../db/columns.js';
import type { Database, RequestChannel, Residenza } from '../../db/schema.js';
import { enqueue, type OutboxEntry, type PostalAddress } from '../../outbox/outbox.js';
import { datedNotices } from '../../outbox/notices.js';
import { generatePin, splitInitialPin } from '../../security/pin.js';
import type { PinHasher } from '../../security/hasher.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { PinRequestData } from './form.js';
import { type ResidenceDeps, registryAddress, typedAddress } from '../../adapters/residence.js';
import { semplificatoBound } from '../accesso/service.js';
import { omocodiaFamily } from '../../domain/codice-fiscale/index.js';

export interface RequestPinDeps {
  db: Kysely<Database>;
  hasher: PinHasher;
  box: SecretBox;
  /** R6: while PIN semplificato is open the first half is hashed too, for login with it alone. */
  semplificatoOpen?: () => boolean;
  /** Issue 12 F1: where the second half's letter goes. */
  residence: ResidenceDeps;
  now?: () => Date;
}

export interface RequestContext {
  /** R5: web, contact-center or sede; operators pass their own actor. */
  channel: RequestChannel;
  actor: string;
  ip: string | null;
  locale: string;
  /**
   * R5/issue 5, at a sede: the citizen was identified in person with a document, so the PIN is
   * issued whole, already dispositivo, and handed over on paper — no message carries it.
   */
  inPerson?: boolean;
  /**
   * Issue 5, "riconoscimento a distanza" (seed 003): a contact-center operator identified the
   * citizen by video; the PIN is dispositivo and its halves go by SMS and by email — no letter.
   */
  remote?: boolean;
  /** What the operator recorded of the identification (document seen), kept in the audit trail. */
  identification?: string;
}

export type RefusalReason = 'already_assigned' | 'federated' | 'no_residence' | 'no_contacts';

export type RequestPinResult =
  | {
      ok: true;
      credentialId: string;
      protocol: string;
      /** Only when issued in person: the PIN to print, never stored. */
      pin?: string;
      /** The CF had a record already (e.g. after a revoca): it was not written; the typed contacts wait for the first access. */
      existingRecord: boolean;
      /** Where the second half's letter went: the registry's residence, the typed one (development), or no letter. */
      letter: 'registry' | 'typed' | 'none';
    }
  | { ok: false; reason: RefusalReason };

/**
 * R1: does this codice fiscale already hold a PIN that is not revoked? docs/security.md: an
 * omocodic variant is a distinct code, so asking about the exact code alone let a variant of a CF
 * holding a PIN request another one. `family` (the default: every request whose identity nobody
 * saw) asks about the whole omocodia family — the base code and its variants; `exact` is for a
 * request whose identity was proven (a sede's operator saw the document; a SPID/CIE/CNS session
 * of that very CF), so that a real citizen given an omocodic code by the Agenzia delle Entrate,
 * whose homonym holds a PIN, can still get one there.
 */
export type OmocodiaMatch = 'family' | 'exact';

export async function hasLivePin(db: Kysely<Database>, codiceFiscale: string, match: OmocodiaMatch = 'family'): Promise<boolean> {
  const row = await db
    .selectFrom('credentials')
    .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
    .select('credentials.id')
    .where('citizens.codice_fiscale', 'in', match === 'exact' ? [codiceFiscale] : omocodiaFamily(codiceFiscale))
    .where('credentials.state', 'in', ['initial', 'active'])
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Issue 12 F1, "may this CF get a PIN from an anonymous request?": no when it holds a live PIN
 * (R1), no when its record was created by a SPID, CIE or CNS login (then only from that
 * citizen's session, Profilo → Richiedi il PIN, or at a sede); otherwise a new record or an
 * existing one (after a revoca) that the request attaches to without writing it.
 */
export async function anonymousRequestPolicy(
  db: Kysely<Database>,
  codiceFiscale: string,
  match: OmocodiaMatch = 'family',
): Promise<'new' | 'existing' | 'already_assigned' | 'federated'> {
  if (await hasLivePin(db, codiceFiscale, match)) return 'already_assigned';
  const citizen = await db.selectFrom('citizens').select(['id', 'registered_by']).where('codice_fiscale', '=', codiceFiscale).executeTakeFirst();
  if (!citizen) return 'new';
  return citizen.registered_by === 'richiesta' ? 'existing' : 'federated';
}

/**
 * Issue 12 F1: the address of the second half's letter. `table`: the residence the registry
 * holds (null when it holds none: the request cannot be completed online); `typed`
 * (development only): the residence typed, or the registry's when none was typed.
 */
export async function letterAddress(
  residence: ResidenceDeps,
  codiceFiscale: string,
  name: string,
  typed: Residenza | null,
  now: Date,
): Promise<{ address: PostalAddress; source: 'registry' | 'typed' } | null> {
  if (residence.mode === 'typed' && typed) return { address: typedAddress(name, typed), source: 'typed' };
  const record = await residence.registry.lookup(codiceFiscale, now);
  return record ? { address: registryAddress(name, record), source: 'registry' } : null;
}

class Refused extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
  }
}

/**
 * R4 and issue 12 F1: one transaction creates the citizen when the CF has no record — an
 * existing record is never written: the new credential attaches to it and the contacts typed
 * wait in `pending_contacts` until the first access —, an `initial` credential holding only the
 * argon2id hash of a fresh 16-character PIN, the outbox messages carrying its halves (the letter
 * to the registry's residence in `table` mode), the notice to the record's email/PEC (at most
 * one a day), and the audit record. The partial unique index on live credentials makes a
 * concurrent second request for the same CF fail here (R1), whatever the interleaving.
 */
/** What a completed request gives the step that asked it, inside the request's own transaction. */
export type RequestCompleted = (
  trx: Kysely<Database>,
  done: { credentialId: string; protocol: string; letter: 'registry' | 'typed' | 'none' },
) => Promise<void>;

/**
 * `completed`, when given, runs inside the request's transaction: the web flow records its
 * confirmation there, so a portal killed after the commit still answers a retry with it (issue 16).
 */
export async function requestPin(deps: RequestPinDeps, data: PinRequestData, ctx: RequestContext, completed?: RequestCompleted): Promise<RequestPinResult> {
  const now = deps.now?.() ?? new Date();
  // A PIN handed over in person follows the document the operator saw: the exact code (R1).
  const policy = await anonymousRequestPolicy(deps.db, data.codiceFiscale, ctx.inPerson ? 'exact' : 'family');
  if (policy === 'already_assigned') return refuse(deps, data.codiceFiscale, ctx, 'already_assigned');
  // At a sede an operator saw the citizen's document: a federated record may get its PIN there.
  if (policy === 'federated' && ctx.channel !== 'sede') return refuse(deps, data.codiceFiscale, ctx, 'federated');
  // Every request but one handed over in person sends the second half by letter (F7: the remote one too).
  const sendsLetter = !ctx.inPerson;
  const existing =
    policy === 'new'
      ? undefined
      : await deps.db.selectFrom('citizens').select(['nome', 'cognome']).where('codice_fiscale', '=', data.codiceFiscale).executeTakeFirst();
  const name = existing ? `${existing.nome} ${existing.cognome}` : `${data.nome} ${data.cognome}`;
  const letter = sendsLetter ? await letterAddress(deps.residence, data.codiceFiscale, name, data.residenza, now) : null;
  if (sendsLetter && !letter) return refuse(deps, data.codiceFiscale, ctx, 'no_residence');
  const pin = generatePin();
  const pinHash = await deps.hasher.hash(pin);
  const halves = splitInitialPin(pin);
  const semplificatoHash = !ctx.inPerson && deps.semplificatoOpen?.() ? await deps.hasher.hash(halves.first) : null;
  const semplificatoBinds = semplificatoHash !== null && (await semplificatoBound(deps.residence, data.codiceFiscale, data.residenza, now));
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const record = await citizenFor(trx, data, ctx);
      const credentialId = randomUUID();
      await trx
        .insertInto('credentials')
        .values({
          id: credentialId,
          citizen_id: record.id,
          state: 'initial',
          pin_hash: pinHash,
          semplificato_hash: semplificatoHash,
          dispositivo: ctx.inPerson === true || ctx.remote === true,
          channel: ctx.channel,
          requested_residence: JSON.stringify(data.residenza),
        })
        .execute();
      if (record.existing) await keepContactsWithRequest(trx, credentialId, record.id, data, ctx.locale);
      const params = { nome: record.nome, cognome: record.cognome };
      // R6: the first-half messages say what the 8 characters open alone, when they will (as loginWithPin decides).
      const firstParams = semplificatoBinds && (await credentialCount(trx, record.id)) === 1 ? { ...params, semplificato: 'si' } : params;
      const entries =
        ctx.inPerson || !letter
          ? []
          : ctx.remote
            ? remoteMessages(data, params, record.id, ctx.locale, halves, letter.address)
            : pinMessages(data, firstParams, record.id, ctx.locale, halves, letter.address);
      const messageIds = await enqueue(trx, deps.box, entries);
      const noticeIds = record.existing ? await noticeToRecord(trx, deps.box, record, now) : [];
      await audit.pinRequested(trx, ctx, data.codiceFiscale, {
        credentialId,
        messageIds,
        existingRecord: record.existing,
        letter: letter?.source ?? 'none',
        noticeIds,
        ...(ctx.identification ? { identification: ctx.identification } : {}),
      });
      const protocol = protocolOf(credentialId);
      await completed?.(trx, { credentialId, protocol, letter: letter?.source ?? 'none' });
      return {
        ok: true as const,
        credentialId,
        protocol,
        existingRecord: record.existing,
        letter: letter?.source ?? 'none',
        ...(ctx.inPerson ? { pin } : {}),
      };
    });
  } catch (err) {
    if (err instanceof Refused) return refuse(deps, data.codiceFiscale, ctx, err.reason);
    if (isUniqueViolation(err)) return refuse(deps, data.codiceFiscale, ctx, 'already_assigned');
    throw err;
  }
}

/**
 * Issue 12 F1, Profilo → Richiedi il PIN: a citizen in a SPID, CIE or CNS session asks for a PIN
 * bound to the record of that session. The first half goes to the record's contacts, the second
 * by letter to the registry's residence (`table`), or to the record's residence (`typed`).
 */
export async function requestPinForCitizen(deps: RequestPinDeps, citizenId: string, ctx: RequestContext): Promise<RequestPinResult> {
  const now = deps.now?.() ?? new Date();
  const c = await deps.db.selectFrom('citizens').selectAll().where('id', '=', citizenId).executeTakeFirstOrThrow();
  // The session proved this very code (SPID/CIE/CNS): R1 on the exact code.
  if (await hasLivePin(deps.db, c.codice_fiscale, 'exact')) return refuse(deps, c.codice_fiscale, ctx, 'already_assigned');
  if (!c.email && !c.pec) return refuse(deps, c.codice_fiscale, ctx, 'no_contacts');
  const letter = await letterAddress(deps.residence, c.codice_fiscale, `${c.nome} ${c.cognome}`, c.residenza, now);
  if (!letter) return refuse(deps, c.codice_fiscale, ctx, 'no_residence');
  const pin = generatePin();
  const pinHash = await deps.hasher.hash(pin);
  const halves = splitInitialPin(pin);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const credentialId = randomUUID();
      await trx
        .insertInto('credentials')
        .values({ id: credentialId, citizen_id: c.id, state: 'initial', pin_hash: pinHash, semplificato_hash: null, dispositivo: false, channel: ctx.channel })
        .execute();
      const params = { nome: c.nome, cognome: c.cognome };
      const messageIds = await enqueue(trx, deps.box, pinMessages(c, params, c.id, c.locale, halves, letter.address));
      await audit.pinRequested(trx, ctx, c.codice_fiscale, {
        credentialId,
        messageIds,
        existingRecord: true,
        letter: letter.source,
        noticeIds: [],
        via: 'profilo',
      });
      return { ok: true as const, credentialId, protocol: protocolOf(credentialId), existingRecord: true, letter: letter.source };
    });
  } catch (err) {
    if (isUniqueViolation(err)) return refuse(deps, c.codice_fiscale, ctx, 'already_assigned');
    throw err;
  }
}

async function refuse(deps: RequestPinDeps, codiceFiscale: string, ctx: RequestContext, reason: RefusalReason): Promise<RequestPinResult> {
  await audit.pinRequestRefused(deps.db, ctx, codiceFiscale, reason);
  return { ok: false, reason };
}

/** The request number shown to the citizen: derived from the credential id, stable across retries. */
export function protocolOf(credentialId: string): string {
  return `PIN-${credentialId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}

interface RecordOfRequest {
  id: string;
  existing: boolean;
  nome: string;
  cognome: string;
  email: string | null;
  pec: string | null;
  locale: string;
}

/**
 * The record the credential attaches to: a new one made from the request, or the existing one,
 * read (locked) and never written — an anonymous request does not change a record (issue 12 F1).
 */
async function citizenFor(trx: Kysely<Database>, data: PinRequestData, ctx: RequestContext): Promise<RecordOfRequest> {
  const inserted = await trx
    .insertInto('citizens')
    .values({
      id: randomUUID(),
      ...personColumns(data),
      residenza: JSON.stringify(data.residenza),
      ...contactColumns(data),
      locale: ctx.locale,
      registered_by: 'richiesta',
    })
    .onConflict((oc) => oc.column('codice_fiscale').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, existing: false, nome: data.nome, cognome: data.cognome, email: null, pec: null, locale: ctx.locale };
  const row = await trx
    .selectFrom('citizens')
    .select(['id', 'nome', 'cognome', 'email', 'pec', 'locale', 'registered_by'])
    .where('codice_fiscale', '=', data.codiceFiscale)
    .forUpdate()
    .executeTakeFirstOrThrow();
  // Registered by a federated login since the policy was read.
  if (row.registered_by !== 'richiesta' && ctx.channel !== 'sede') throw new Refused('federated');
  return { id: row.id, existing: true, nome: row.nome, cognome: row.cognome, email: row.email, pec: row.pec, locale: row.locale };
}

/** The contacts of a request, as the columns of `citizens` and `pending_contacts` name them. */
function contactColumns(data: PinRequestData) {
  return {
    telefono_abitazione: data.telefonoAbitazione,
    cellulare: data.cellulare,
    email: data.email,
    pec: data.pec,
    telefono_preferenziale: data.telefonoPreferenziale,
    orario_preferenziale: data.orarioPreferenziale,
  };
}

/** Issue 12 F1: the contacts typed for an existing record wait with the credential until its first access. */
async function keepContactsWithRequest(trx: Kysely<Database>, credentialId: string, citizenId: string, data: PinRequestData, locale: string): Promise<void> {
  await trx
    .insertInto('pending_contacts')
    .values({
      credential_id: credentialId,
      citizen_id: citizenId,
      ...contactColumns(data),
      locale,
    })
    .execute();
}

/**
 * Issue 12 F1: "a PIN was requested for your codice fiscale", to the record's email and PEC
 * (never SMS), at most once per record per day: the conditional upsert on `request_notices`
 * lets one transaction a day through, whatever the interleaving.
 */
async function noticeToRecord(trx: Kysely<Database>, box: SecretBox, record: RecordOfRequest, now: Date): Promise<string[]> {
  const to = [record.email && { channel: 'email' as const, to: record.email }, record.pec && { channel: 'pec' as const, to: record.pec }].filter(
    (x): x is { channel: 'email' | 'pec'; to: string } => Boolean(x),
  );
  if (to.length === 0) return [];
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const due = await trx
    .insertInto('request_notices')
    .values({ citizen_id: record.id, notified_at: now })
    .onConflict((oc) => oc.column('citizen_id').doUpdateSet({ notified_at: now }).where('request_notices.notified_at', '<=', dayAgo))
    .returning('citizen_id')
    .executeTakeFirst();
  if (!due) return [];
  return enqueue(
    trx,
    box,
    datedNotices('pin.requestedNotice', to, { citizenId: record.id, nome: record.nome, cognome: record.cognome, locale: record.locale }, now),
  );
}

/**
 * R4: the first 8 characters by SMS to the cellulare when there is one, and by email — or PEC
 * when there is no email — (seed 001's "duplice messaggio"); the second 8 by post, to `letter`.
 */
export function pinMessages(
  to: { cellulare: string | null; email: string | null; pec: string | null },
  params: { nome: string; cognome: string; semplificato?: string },
  citizenId: string,
  locale: string,
  halves: { first: string; second: string },
  letter: PostalAddress,
): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  if (to.cellulare) entries.push({ channel: 'sms', template: 'pin.firstHalf', recipient: to.cellulare, locale, params, secret: halves.first, citizenId });
  if (to.email) entries.push({ channel: 'email', template: 'pin.firstHalf', recipient: to.email, locale, params, secret: halves.first, citizenId });
  else if (to.pec) entries.push({ channel: 'pec', template: 'pin.firstHalf', recipient: to.pec, locale, params, secret: halves.first, citizenId });
  entries.push({ channel: 'letter', template: 'pin.secondHalf', recipient: letter, locale, params, secret: halves.second, citizenId });
  return entries;
}

/**
 * After a video identification (F7: once a supervisore approved it and the delay passed): the
 * first 8 characters by SMS to the cellulare the operator typed, the second 8 by letter to the
 * residence the registry holds (F1) — never both halves to contacts an operator typed.
 */
export function remoteMessages(
  data: PinRequestData,
  params: { nome: string; cognome: string },
  citizenId: string,
  locale: string,
  halves: { first: string; second: string },
  letter: PostalAddress,
): OutboxEntry[] {
  // The back office asks a remote request for the cellulare (src/backoffice/richiesta.ts).
  if (!data.cellulare) throw new Error('a remote request carries the cellulare the operator typed');
  return [
    { channel: 'sms', template: 'pin.firstHalf', recipient: data.cellulare, locale, params, secret: halves.first, citizenId },
    { channel: 'letter', template: 'pin.secondHalf', recipient: letter, locale, params, secret: halves.second, citizenId },
  ];
}

async function credentialCount(db: Kysely<Database>, citizenId: string): Promise<number> {
  const row = await db
    .selectFrom('credentials')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('citizen_id', '=', citizenId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
}
