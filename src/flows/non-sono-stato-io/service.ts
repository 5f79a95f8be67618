import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, NotMeTokensTable } from '../../db/schema.js';
import type { SecretBox } from '../../security/secret-box.js';

/** The page the "Non sono stato io" link opens. */
export const NOT_ME_PATH = '/non-sono-stato-io';

export interface NotMeDeps {
  db: Kysely<Database>;
  box: SecretBox;
  now: () => Date;
  publicUrl: string;
  /** VARCO_NOT_ME_LINK_DAYS */
  notMeLinkDays: number;
}

const fingerprintOf = (box: SecretBox, token: string) => box.fingerprint(`not-me:${token}`);

/**
 * Issue 12 F2: a single-use "Non sono stato io" link for a message to a contact (a replaced one,
 * or one told of a ripristino). Random, kept only as an HMAC, expiring; written in the caller's
 * transaction, beside the message that carries it (the link is that message's secret).
 */
export async function issueNotMeLink(
  trx: Kysely<Database>,
  deps: Omit<NotMeDeps, 'db'>,
  o: { citizenId: string; reason: NotMeTokensTable['reason']; channel: NotMeTokensTable['channel'] },
): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await trx
    .insertInto('not_me_tokens')
    .values({
      id: randomUUID(),
      citizen_id: o.citizenId,
      reason: o.reason,
      channel: o.channel,
      token_hmac: fingerprintOf(deps.box, token),
      expires_at: new Date(deps.now().getTime() + deps.notMeLinkDays * 86_400_000),
    })
    .execute();
  return `${deps.publicUrl}${NOT_ME_PATH}?t=${token}`;
}

/** A live link (unused, unexpired), looked up without using it: the page that asks to confirm. */
export async function findNotMeToken(deps: NotMeDeps, token: string) {
  if (!token || token.length > 100) return undefined;
  return deps.db
    .selectFrom('not_me_tokens')
    .innerJoin('citizens', 'citizens.id', 'not_me_tokens.citizen_id')
    .select(['not_me_tokens.id', 'not_me_tokens.citizen_id', 'not_me_tokens.reason', 'not_me_tokens.channel', 'citizens.codice_fiscale'])
    .where('not_me_tokens.token_hmac', '=', fingerprintOf(deps.box, token))
    .where('not_me_tokens.used_at', 'is', null)
    .where('not_me_tokens.expires_at', '>', deps.now())
    .executeTakeFirst();
}

export type NotMeResult = { ok: true; sessionsEnded: number } | { ok: false };

/**
 * The citizen says a change or a ripristino was not theirs. In one transaction: the link is used
 * (once), ripristino is blocked for the account until a supervisore lifts it, every session ends,
 * pending ripristino codes and contact changes die, and the report is audited for the supervisori.
 * The change itself is never reverted: the Contact Center does that after identifying the caller.
 */
export async function reportNotMe(deps: NotMeDeps, token: string, ctx: AuditContext): Promise<NotMeResult> {
  const found = await findNotMeToken(deps, token);
  if (!found) return { ok: false };
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const used = await trx.updateTable('not_me_tokens').set({ used_at: now }).where('id', '=', found.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return { ok: false as const };
    await trx
      .updateTable('citizens')
      .set({ ripristino_blocked_at: now })
      .where('id', '=', found.citizen_id)
      .where('ripristino_blocked_at', 'is', null)
      .execute();
    const ended = await trx
      .updateTable('sessions')
      .set({ ended_at: now, end_reason: 'not_me' })
      .where('citizen_id', '=', found.citizen_id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    await trx.updateTable('ripristino_codes').set({ used_at: now }).where('citizen_id', '=', found.citizen_id).where('used_at', 'is', null).execute();
    await trx.updateTable('contact_changes').set({ used_at: now }).where('citizen_id', '=', found.citizen_id).where('used_at', 'is', null).execute();
    const sessionsEnded = Number(ended.numUpdatedRows);
    await audit.notMeReported(trx, ctx, found.codice_fiscale, { reason: found.reason, channel: found.channel, sessionsEnded });
    return { ok: true as const, sessionsEnded };
  });
}

/** A supervisore lifts the block after identifying the citizen (audited). */
export async function liftRipristinoBlock(db: Kysely<Database>, citizenId: string, ctx: AuditContext): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const lifted = await trx
      .updateTable('citizens')
      .set({ ripristino_blocked_at: null })
      .where('id', '=', citizenId)
      .where('ripristino_blocked_at', 'is not', null)
      .returning('codice_fiscale')
      .executeTakeFirst();
    if (!lifted) return false;
    await audit.ripristinoUnblocked(trx, ctx, lifted.codice_fiscale);
    return true;
  });
}

/** Issue 12 F2: the "Non sono stato io" reports, newest first, with the citizen's ripristino block (the supervisori's list). */
export function notMeReports(db: Kysely<Database>, limit = 200) {
  return db
    .selectFrom('not_me_tokens')
    .innerJoin('citizens', 'citizens.id', 'not_me_tokens.citizen_id')
    .select(['not_me_tokens.used_at', 'not_me_tokens.reason', 'citizens.codice_fiscale', 'citizens.cognome', 'citizens.nome', 'citizens.ripristino_blocked_at'])
    .where('not_me_tokens.used_at', 'is not', null)
    .orderBy('not_me_tokens.used_at', 'desc')
    .limit(limit)
    .execute();
}
