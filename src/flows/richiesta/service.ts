import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../audit/events.js';
import type { Database, RequestChannel } from '../../db/schema.js';
import { findByBelfiore, findCountry } from '../../domain/geo/index.js';
import { enqueue, type OutboxEntry, type PostalAddress } from '../../outbox/outbox.js';
import { generatePin, splitInitialPin } from '../../security/pin.js';
import type { PinHasher } from '../../security/hasher.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { PinRequestData } from './form.js';

export interface RequestPinDeps {
  db: Kysely<Database>;
  hasher: PinHasher;
  box: SecretBox;
  /** R6: while PIN semplificato is open the first half is hashed too, for login with it alone. */
  semplificatoOpen?: () => boolean;
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

export type RequestPinResult =
  | { ok: true; credentialId: string; protocol: string; /** Only when issued in person: the PIN to print, never stored. */ pin?: string }
  | { ok: false; reason: 'already_assigned' };

/** R1: does this codice fiscale already hold a PIN that is not revoked? */
export async function hasLivePin(db: Kysely<Database>, codiceFiscale: string): Promise<boolean> {
  const row = await db
    .selectFrom('credentials')
    .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
    .select('credentials.id')
    .where('citizens.codice_fiscale', '=', codiceFiscale)
    .where('credentials.state', 'in', ['initial', 'active'])
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * R4: one transaction creates (or updates) the citizen, an `initial` credential holding only the
 * argon2id hash of a fresh 16-character PIN, the outbox messages carrying its halves, and the
 * audit record. The partial unique index on live credentials makes a concurrent second request
 * for the same CF fail here (R1), whatever the interleaving.
 */
export async function requestPin(deps: RequestPinDeps, data: PinRequestData, ctx: RequestContext): Promise<RequestPinResult> {
  if (await hasLivePin(deps.db, data.codiceFiscale)) return refuse(deps, data, ctx);
  const pin = generatePin();
  const pinHash = await deps.hasher.hash(pin);
  const halves = splitInitialPin(pin);
  const semplificatoHash = !ctx.inPerson && deps.semplificatoOpen?.() ? await deps.hasher.hash(halves.first) : null;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const citizenId = await upsertCitizen(trx, data, ctx.locale);
      const credentialId = randomUUID();
      await trx
        .insertInto('credentials')
        .values({ id: credentialId, citizen_id: citizenId, state: 'initial', pin_hash: pinHash, semplificato_hash: semplificatoHash, dispositivo: ctx.inPerson === true || ctx.remote === true, channel: ctx.channel })
        .execute();
      const messageIds = ctx.inPerson ? [] : await enqueue(trx, deps.box, ctx.remote ? remoteMessages(data, citizenId, ctx.locale, halves) : pinMessages(data, citizenId, ctx.locale, halves));
      await audit.pinRequested(trx, ctx, data.codiceFiscale, { credentialId, messageIds, ...(ctx.identification ? { identification: ctx.identification } : {}) });
      return { ok: true as const, credentialId, protocol: protocolOf(credentialId), ...(ctx.inPerson ? { pin } : {}) };
    });
  } catch (err) {
    if (isUniqueViolation(err)) return refuse(deps, data, ctx);
    throw err;
  }
}

async function refuse(deps: RequestPinDeps, data: PinRequestData, ctx: RequestContext): Promise<RequestPinResult> {
  await audit.pinRequestRefused(deps.db, ctx, data.codiceFiscale, 'already_assigned');
  return { ok: false, reason: 'already_assigned' };
}

/** The request number shown to the citizen: derived from the credential id, stable across retries. */
export function protocolOf(credentialId: string): string {
  return `PIN-${credentialId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}

async function upsertCitizen(trx: Kysely<Database>, data: PinRequestData, locale: string): Promise<string> {
  const values = {
    cognome: data.cognome,
    nome: data.nome,
    data_nascita: data.dataNascita,
    sesso: data.sesso,
    luogo_nascita: data.luogoNascita,
    residenza: JSON.stringify(data.residenza),
    telefono_abitazione: data.telefonoAbitazione,
    cellulare: data.cellulare,
    email: data.email,
    pec: data.pec,
    telefono_preferenziale: data.telefonoPreferenziale,
    orario_preferenziale: data.orarioPreferenziale,
    locale,
  };
  const row = await trx
    .insertInto('citizens')
    .values({ id: randomUUID(), codice_fiscale: data.codiceFiscale, ...values })
    .onConflict((oc) => oc.column('codice_fiscale').doUpdateSet({ ...values, updated_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * R4: the first 8 characters by SMS to the cellulare when there is one, and by email — or PEC
 * when there is no email — (seed 001's "duplice messaggio"); the second 8 by post.
 */
export function pinMessages(data: PinRequestData, citizenId: string, locale: string, halves: { first: string; second: string }): OutboxEntry[] {
  const params = { nome: data.nome, cognome: data.cognome };
  const entries: OutboxEntry[] = [];
  if (data.cellulare) entries.push({ channel: 'sms', template: 'pin.firstHalf', recipient: data.cellulare, locale, params, secret: halves.first, citizenId });
  if (data.email) entries.push({ channel: 'email', template: 'pin.firstHalf', recipient: data.email, locale, params, secret: halves.first, citizenId });
  else if (data.pec) entries.push({ channel: 'pec', template: 'pin.firstHalf', recipient: data.pec, locale, params, secret: halves.first, citizenId });
  entries.push({ channel: 'letter', template: 'pin.secondHalf', recipient: postalAddress(data), locale, params, secret: halves.second, citizenId });
  return entries;
}

/**
 * After a video identification (F7: once a supervisore approved it and the delay passed): the
 * first 8 characters by SMS to the cellulare the operator typed, the second 8 by letter to the
 * residence — never both halves to contacts an operator typed.
 */
export function remoteMessages(data: PinRequestData, citizenId: string, locale: string, halves: { first: string; second: string }): OutboxEntry[] {
  const params = { nome: data.nome, cognome: data.cognome };
  return [
    { channel: 'sms', template: 'pin.firstHalf', recipient: data.cellulare!, locale, params, secret: halves.first, citizenId },
    { channel: 'letter', template: 'pin.secondHalf', recipient: postalAddress(data), locale, params, secret: halves.second, citizenId },
  ];
}

export function postalAddress(data: PinRequestData): PostalAddress {
  const name = `${data.nome} ${data.cognome}`;
  const r = data.residenza;
  if (r.tipo === 'IT') {
    const comune = findByBelfiore(r.comune);
    return { name, lines: [`${r.indirizzo} ${r.numeroCivico}`, `${r.cap} ${comune?.name.toUpperCase() ?? ''} (${r.provincia})`], provincia: r.provincia, country: null };
  }
  const country = findCountry(r.paese);
  return { name, lines: [r.indirizzo, `${r.codicePostale} ${r.citta.toUpperCase()}`, (country?.name ?? r.paese).toUpperCase()], provincia: null, country: r.paese };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === '23505';
}
