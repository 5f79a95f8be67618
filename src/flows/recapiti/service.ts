import type { Kysely, Selectable } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { ContactChangesTable, ContactKind, Database } from '../../db/schema.js';
import { enqueue, type OutboxEntry } from '../../outbox/outbox.js';
import { sendNewContactCode } from '../../security/one-time-code.js';
import { confirmNewContactCode, type NewContactCode } from '../../security/new-contact-code.js';
import type { SecretBox } from '../../security/secret-box.js';
import { issueNotMeLink } from '../non-sono-stato-io/service.js';
import { recordContactChange } from './history.js';

export const CONTACT_CODE_TTL_MINUTES = 30;
export const MAX_CONTACT_CODE_FAILURES = 5;
const CONTACT_CODE: NewContactCode = {
  table: 'contact_changes',
  purpose: 'contact',
  ttlMinutes: CONTACT_CODE_TTL_MINUTES,
  maxFailures: MAX_CONTACT_CODE_FAILURES,
};

export interface RecapitiDeps {
  db: Kysely<Database>;
  box: SecretBox;
  now: () => Date;
  publicUrl: string;
  /** VARCO_NOT_ME_LINK_DAYS: the replaced contact's "Non sono stato io" link. */
  notMeLinkDays: number;
}

const channelOf = (kind: ContactKind) => (kind === 'cellulare' ? 'sms' : kind);

/** Issue 4: a new contact gets a code first; it is saved only when the code comes back. */
export async function requestContactChange(
  deps: RecapitiDeps,
  citizenId: string,
  kind: ContactKind,
  value: string,
  ctx: AuditContext & { cf: string },
): Promise<string> {
  const citizen = await deps.db.selectFrom('citizens').select(['nome', 'cognome', 'locale']).where('id', '=', citizenId).executeTakeFirstOrThrow();
  return deps.db.transaction().execute(async (trx) => {
    const id = await sendNewContactCode(trx, deps.box, {
      ...CONTACT_CODE,
      citizenId,
      now: deps.now(),
      store: async (code) =>
        trx
          .insertInto('contact_changes')
          .values({ ...code, citizen_id: citizenId, kind, new_value: value })
          .execute(),
      message: {
        channel: channelOf(kind),
        template: 'contact.code',
        recipient: value,
        locale: citizen.locale,
        params: { nome: citizen.nome, cognome: citizen.cognome },
      },
    });
    await audit.contactChangeRequested(trx, ctx, ctx.cf, kind);
    return id;
  });
}

export type ConfirmContactResult = { ok: true; kind: ContactKind } | { ok: false };

/**
 * The right code saves the contact, records it in the contact history (a ripristino to it waits
 * out the cool-off, F2) and tells the previous contact, with a single-use "Non sono stato io"
 * link; wrong codes burn it after 5 tries.
 */
export async function confirmContactChange(
  deps: RecapitiDeps,
  citizenId: string,
  code: string,
  ctx: AuditContext & { cf: string },
): Promise<ConfirmContactResult> {
  const now = deps.now();
  const changed = await confirmNewContactCode(deps, CONTACT_CODE, {
    now,
    pending: await pendingContactChange(deps.db, citizenId, now),
    code,
    wrong: () => audit.contactChangeFailed(deps.db, ctx, ctx.cf),
    right: (trx, pending) => saveContact(trx, deps, citizenId, pending, ctx, now),
  });
  return changed ?? { ok: false };
}

/** The citizen's latest contact change still waiting for its code. */
function pendingContactChange(db: Kysely<Database>, citizenId: string, now: Date) {
  return db
    .selectFrom('contact_changes')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The confirmed contact saved, recorded in the history, the previous contact told. */
async function saveContact(
  trx: Kysely<Database>,
  deps: RecapitiDeps,
  citizenId: string,
  pending: Selectable<ContactChangesTable>,
  ctx: AuditContext & { cf: string },
  now: Date,
): Promise<ConfirmContactResult> {
  const before = await trx
    .selectFrom('citizens')
    .select(['nome', 'cognome', 'locale', 'cellulare', 'email', 'pec'])
    .where('id', '=', citizenId)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('citizens')
    .set({ [pending.kind]: pending.new_value, updated_at: now })
    .where('id', '=', citizenId)
    .execute();
  const old = before[pending.kind];
  await recordContactChange(trx, { citizenId, kind: pending.kind, previous: old, next: pending.new_value, source: 'recapiti', at: now });
  if (old && old !== pending.new_value) {
    const channel = channelOf(pending.kind);
    const link = await issueNotMeLink(trx, deps, { citizenId, reason: 'contact_changed', channel });
    // The link is the secret of the message: encrypted in the outbox, erased once sent.
    await enqueue(trx, deps.box, [
      {
        channel,
        template: 'contact.replaced',
        recipient: old,
        locale: before.locale,
        params: { nome: before.nome, cognome: before.cognome, kind: pending.kind },
        secret: link,
        citizenId,
      },
    ]);
  }
  await audit.contactChanged(trx, ctx, ctx.cf, pending.kind);
  return { ok: true, kind: pending.kind };
}

/** A citizen's contacts on record, as a sede replaces them. */
export function contactsOnRecord(db: Kysely<Database>, citizenId: string) {
  return db
    .selectFrom('citizens')
    .select(['id', 'codice_fiscale', 'nome', 'cognome', 'locale', 'cellulare', 'email', 'pec'])
    .where('id', '=', citizenId)
    .executeTakeFirstOrThrow();
}

/**
 * F7: a sede replaces contacts with the citizen and an identity document in front of it. Every
 * previous contact that changed is told, ripristino codes still on their way to the old contacts
 * die; audited with the kinds and the document, not the values.
 */
export async function replaceContactsAtSede(
  deps: { db: Kysely<Database>; box: SecretBox; now: () => Date },
  record: Awaited<ReturnType<typeof contactsOnRecord>>,
  changes: readonly { kind: ContactKind; value: string }[],
  document: { type: string; number: string },
  ctx: AuditContext,
): Promise<void> {
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('citizens')
      .set({ ...Object.fromEntries(changes.map((c) => [c.kind, c.value])), updated_at: now })
      .where('id', '=', record.id)
      .execute();
    await trx.updateTable('ripristino_codes').set({ used_at: now }).where('citizen_id', '=', record.id).where('used_at', 'is', null).execute();
    const params = { nome: record.nome, cognome: record.cognome };
    const told: OutboxEntry[] = changes.flatMap((c) => {
      const previous = record[c.kind];
      if (!previous) return [];
      return [
        {
          channel: c.kind === 'cellulare' ? ('sms' as const) : c.kind,
          template: 'contact.changedByOperator' as const,
          recipient: previous,
          locale: record.locale,
          params: { ...params, kind: c.kind },
          citizenId: record.id,
        },
      ];
    });
    await enqueue(trx, deps.box, told);
    await audit.operatorContactsChanged(trx, ctx, record.codice_fiscale, {
      kinds: changes.map((c) => c.kind),
      documentType: document.type,
      documentNumber: document.number,
    });
  });
}
