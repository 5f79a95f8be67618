import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ContactKind, Database } from '../../db/schema.js';
import type { Session } from '../../sessions/store.js';

/**
 * Issue 12 F2: how a session proves it is still the citizen before a contact change. A session
 * opened with the PIN types the current PIN (checked under R9); one opened with SPID, CIE or CNS
 * must come from a login no older than VARCO_CONTACT_FRESH_LOGIN_MINUTES — every login makes a
 * new session (R10), so the session's creation is the time of its authentication.
 */
export type ChangeProof = { by: 'pin'; credentialId: string } | { by: 'fresh_login' } | { by: 'login_again'; method: Session['authMethod'] };

export function contactChangeProof(session: Session, now: Date, freshLoginMinutes: number): ChangeProof {
  if (session.authMethod === 'pin' && session.credentialId) return { by: 'pin', credentialId: session.credentialId };
  const age = now.getTime() - new Date(session.createdAt).getTime();
  return age >= 0 && age <= freshLoginMinutes * 60_000 ? { by: 'fresh_login' } : { by: 'login_again', method: session.authMethod };
}

/** A contact change, with the value it replaced, written in the change's transaction. */
export async function recordContactChange(
  trx: Kysely<Database>,
  o: { citizenId: string; kind: ContactKind; previous: string | null; next: string; source: 'recapiti'; at: Date },
): Promise<void> {
  await trx
    .insertInto('contact_history')
    .values({ id: randomUUID(), citizen_id: o.citizenId, kind: o.kind, previous_value: o.previous, new_value: o.next, source: o.source, changed_at: o.at })
    .execute();
}

/**
 * F2 policy "may a ripristino use these contacts now?": no while one of the kinds given was
 * changed less than `coolOffDays` ago. Returns when the last of them becomes usable, or null.
 */
export async function coolOffUntil(
  db: Kysely<Database>,
  citizenId: string,
  kinds: readonly ContactKind[],
  now: Date,
  coolOffDays: number,
): Promise<Date | null> {
  if (coolOffDays <= 0 || kinds.length === 0) return null;
  const window = coolOffDays * 86_400_000;
  const latest = await db
    .selectFrom('contact_history')
    .select((eb) => eb.fn.max('changed_at').as('changed_at'))
    .where('citizen_id', '=', citizenId)
    .where('kind', 'in', [...kinds])
    .where('changed_at', '>', new Date(now.getTime() - window))
    .executeTakeFirst();
  return latest?.changed_at ? new Date(new Date(latest.changed_at).getTime() + window) : null;
}

/**
 * The contacts replaced in the last `days` and no longer on record: they are told of a
 * ripristino (the record's own contacts may be an intruder's). Distinct, oldest change first.
 */
export async function replacedContacts(db: Kysely<Database>, citizenId: string, now: Date, days: number): Promise<{ kind: ContactKind; value: string }[]> {
  if (days <= 0) return [];
  const rows = await db
    .selectFrom('contact_history')
    .innerJoin('citizens', 'citizens.id', 'contact_history.citizen_id')
    .select(['contact_history.kind', 'contact_history.previous_value', 'citizens.cellulare', 'citizens.email', 'citizens.pec'])
    .where('contact_history.citizen_id', '=', citizenId)
    .where('contact_history.previous_value', 'is not', null)
    .where('contact_history.changed_at', '>', new Date(now.getTime() - days * 86_400_000))
    .orderBy('contact_history.changed_at')
    .execute();
  const seen = new Set<string>();
  const out: { kind: ContactKind; value: string }[] = [];
  for (const r of rows) {
    const value = r.previous_value;
    if (value === null) continue;
    const key = `${r.kind}:${value.toLowerCase()}`;
    const current = [r.cellulare, r.email, r.pec].map((v) => v?.toLowerCase());
    if (seen.has(key) || current.includes(value.toLowerCase())) continue;
    seen.add(key);
    out.push({ kind: r.kind, value });
  }
  return out;
}
