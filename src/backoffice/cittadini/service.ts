import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database } from '../../db/schema.js';
import { normalizeCf } from '../../domain/codice-fiscale/index.js';
import { requestsOfCitizen } from '../../flows/conversione/service.js';
import { hasControlChars } from '../../ui/validators.js';
import { openApprovalsFor } from '../approvazioni/service.js';

/** The CF of a lookup as typed (spaces dropped, upper case, at most 16 characters). */
export const lookupCf = (raw: unknown): string => normalizeCf(String(raw ?? '')).slice(0, 16);

/** The citizen a form's CF names; a control character is no codice fiscale (and PostgreSQL refuses a NUL): nobody. */
export async function citizenByCf(db: Kysely<Database>, raw: unknown) {
  const cf = lookupCf(raw);
  return cf && !hasControlChars(cf)
    ? db.selectFrom('citizens').select(['id', 'codice_fiscale']).where('codice_fiscale', '=', cf).executeTakeFirst()
    : undefined;
}

/**
 * What an operator sees of a citizen: the record, the latest credential, the conversion
 * requests, the last 50 audit events and the open approvals. Every lookup that finds someone is
 * audited; undefined when nobody has that CF.
 */
export async function citizenOverview(db: Kysely<Database>, cf: string, ctx: AuditContext) {
  const citizen = cf && !hasControlChars(cf) ? await db.selectFrom('citizens').selectAll().where('codice_fiscale', '=', cf).executeTakeFirst() : undefined;
  if (!citizen) return undefined;
  await audit.operatorViewedCitizen(db, ctx, citizen.codice_fiscale);
  const credential = await db
    .selectFrom('credentials')
    .select(['state', 'dispositivo'])
    .where('citizen_id', '=', citizen.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const requests = await requestsOfCitizen(db, citizen.id);
  const trail = await db
    .selectFrom('audit_events')
    .select(['occurred_at', 'event', 'actor', 'ip'])
    .where('subject_cf', '=', citizen.codice_fiscale)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  const approvals = await openApprovalsFor(db, citizen.codice_fiscale);
  return { citizen, credential, requests, trail, approvals };
}

/** Issue 5: a supervisore grants or removes the intermediary profile (R8's 3-month rule follows it); audited. */
export async function setIntermediario(
  deps: { db: Kysely<Database>; now: () => Date },
  citizen: { id: string; codice_fiscale: string },
  intermediario: boolean,
  ctx: AuditContext,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('citizens').set({ intermediario, updated_at: deps.now() }).where('id', '=', citizen.id).execute();
    await audit.intermediaryChanged(trx, ctx, citizen.codice_fiscale, { intermediario });
  });
}

/** The citizen's live credential (initial or active), if any. */
export function liveCredential(db: Kysely<Database>, citizenId: string) {
  return db.selectFrom('credentials').select('id').where('citizen_id', '=', citizenId).where('state', 'in', ['initial', 'active']).executeTakeFirst();
}
