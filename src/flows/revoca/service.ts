import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { rememberReplacedPin } from '../cambio-pin/history.js';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database } from '../../db/schema.js';
import { enqueue, type OutboxEntry } from '../../outbox/outbox.js';
import { type Captcha, CAPTCHA_TTL_MINUTES, createMailedCaptcha, formatControlCode } from '../../security/captcha.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { TesseraRegistry } from './tessere.js';
import { columns } from '../../db/columns.js';

export const REVOCA_LINK_TTL_HOURS = 24;

export interface RevocaDeps {
  db: Kysely<Database>;
  box: SecretBox;
  tessere: TesseraRegistry;
  now: () => Date;
  publicUrl: string;
}

export interface RevocaRequest {
  codiceFiscale: string;
  numeroTessera: string;
  /** 'YYYY-MM-DD' */
  scadenzaTessera: string;
  /** R14: the citizen's own address, not necessarily the one on record: the tessera is the proof. */
  contact: { channel: 'email' | 'pec'; to: string };
}

/** A RevocaRequest as it comes back from JSON (the flow's row). */
export const revocaRequestSchema = z.object({
  codiceFiscale: z.string(),
  numeroTessera: z.string(),
  scadenzaTessera: z.string(),
  contact: z.object({ channel: z.enum(['email', 'pec']), to: z.string() }),
}) satisfies z.ZodType<RevocaRequest>;

export type RevocaCheck = 'ok' | 'tessera_mismatch' | 'no_pin';

/** R14, before the confirmation page: the tessera must belong to the CF, and the CF must hold a PIN. */
export async function checkRevoca(deps: RevocaDeps, input: RevocaRequest, ctx: AuditContext): Promise<RevocaCheck> {
  const tesseraOk = await deps.tessere.matches(input.codiceFiscale, input.numeroTessera, input.scadenzaTessera);
  if (!tesseraOk) {
    await audit.revocaRefused(deps.db, ctx, input.codiceFiscale, 'tessera_mismatch');
    return 'tessera_mismatch';
  }
  const live = await liveCredential(deps.db, input.codiceFiscale);
  if (!live) {
    await audit.revocaRefused(deps.db, ctx, input.codiceFiscale, 'no_pin');
    return 'no_pin';
  }
  return 'ok';
}

async function liveCredential(db: Kysely<Database>, codiceFiscale: string) {
  return db
    .selectFrom('credentials')
    .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
    .select(['credentials.id as credentialId', ...columns('citizens', ['id as citizenId', 'nome', 'cognome', 'locale', 'email', 'pec'])])
    .where('citizens.codice_fiscale', '=', codiceFiscale)
    .where('credentials.state', 'in', ['initial', 'active'])
    .executeTakeFirst();
}

/** What the citizen typed as their own address (either or both). */
export interface TypedContacts {
  email?: string;
  pec?: string;
}

export type ControlCodeResult = { status: 'asked'; captcha: Captcha } | { status: 'limited' };

/**
 * F8, policy: may this codice fiscale be sent another Codice di Controllo today? One atomic counter
 * per CF and UTC day (in rate_limits, keyed by the CF's fingerprint), counted whether or not the
 * address matches, so the limit reveals nothing about the record.
 */
export async function controlCodeAllowed(deps: Pick<RevocaDeps, 'db' | 'box' | 'now'>, codiceFiscale: string, perDay: number): Promise<boolean> {
  const now = deps.now();
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const row = await deps.db
    .insertInto('rate_limits')
    .values({ key: `revoca-controllo:${deps.box.fingerprint(`captcha-subject:${codiceFiscale}`)}`, window_start: day, hits: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits <= perDay;
}

/** The address on record the citizen typed, if any: the email first, then the PEC. */
function matchingContact(onRecord: { email: string | null; pec: string | null }, typed: TypedContacts): { channel: 'email' | 'pec'; to: string } | undefined {
  const same = (a: string | null, b: string | undefined): a is string => a !== null && b !== undefined && a.toLowerCase() === b.toLowerCase();
  if (same(onRecord.email, typed.email)) return { channel: 'email', to: onRecord.email };
  if (same(onRecord.pec, typed.pec)) return { channel: 'pec', to: onRecord.pec };
  return undefined;
}

/**
 * F8, the accessible alternative of the Codice di Controllo (R14): a code sent to the Email/PEC
 * typed, only when it is the one on record for a CF holding a PIN. A code is made either way and
 * the page says the same ("if the address matches…"), so neither the page nor its timing tells.
 */
export async function requestControlCode(
  deps: RevocaDeps & { controlCodesPerCfDay: number },
  codiceFiscale: string,
  typed: TypedContacts,
  ctx: AuditContext,
): Promise<ControlCodeResult> {
  if (!(await controlCodeAllowed(deps, codiceFiscale, deps.controlCodesPerCfDay))) {
    await audit.revocaControlCode(deps.db, ctx, codiceFiscale, { outcome: 'limited', channel: null });
    return { status: 'limited' };
  }
  const live = await liveCredential(deps.db, codiceFiscale);
  const to = live ? matchingContact(live, typed) : undefined;
  return deps.db.transaction().execute(async (trx) => {
    const { captcha, code } = await createMailedCaptcha(trx, deps.box, codiceFiscale, deps.now());
    if (live && to) {
      await enqueue(trx, deps.box, [
        {
          channel: to.channel,
          template: 'revoca.controllo',
          recipient: to.to,
          locale: live.locale,
          params: { nome: live.nome, cognome: live.cognome, minutes: String(CAPTCHA_TTL_MINUTES) },
          secret: formatControlCode(code),
          citizenId: live.citizenId,
        },
      ]);
    }
    await audit.revocaControlCode(trx, ctx, codiceFiscale, { outcome: to ? 'sent' : 'no_match', channel: to?.channel ?? null });
    return { status: 'asked' as const, captcha };
  });
}

/** The contact on record that hears of a revoca: the email, else the PEC. */
function recordContact(c: { email: string | null; pec: string | null }): { channel: 'email' | 'pec'; to: string } | undefined {
  return c.email ? { channel: 'email', to: c.email } : c.pec ? { channel: 'pec', to: c.pec } : undefined;
}

/**
 * R14, after CONFERMA: a single-use link (kept as an HMAC) to the address given; the contacts on
 * record are told that a revoca was requested. Re-checks the tessera (the flow may be old).
 */
export async function requestRevoca(deps: RevocaDeps, input: RevocaRequest, ctx: AuditContext): Promise<RevocaCheck> {
  const check = await checkRevoca(deps, input, ctx);
  if (check !== 'ok') return check;
  const live = await liveCredential(deps.db, input.codiceFiscale);
  // Gone since the check a moment ago (a concurrent revoca): as if it had not been found.
  if (!live) return 'no_pin';
  const token = randomBytes(24).toString('base64url');
  const params = { nome: live.nome, cognome: live.cognome, link: `${deps.publicUrl}/pin/revoca/completa?t=${token}`, hours: String(REVOCA_LINK_TTL_HOURS) };
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('revoca_tokens')
      .values({
        id: randomUUID(),
        citizen_id: live.citizenId,
        credential_id: live.credentialId,
        token_hmac: deps.box.fingerprint(`revoca:${token}`),
        contact: JSON.stringify(input.contact),
        expires_at: new Date(deps.now().getTime() + REVOCA_LINK_TTL_HOURS * 3_600_000),
      })
      .execute();
    const messages: OutboxEntry[] = [
      // The link is a secret: encrypted in the outbox like a PIN half, erased once sent.
      {
        channel: input.contact.channel,
        template: 'revoca.link',
        recipient: input.contact.to,
        locale: live.locale,
        params: { ...params, link: '' },
        secret: params.link,
        citizenId: live.citizenId,
      },
    ];
    const onRecord = recordContact(live);
    if (onRecord && onRecord.to.toLowerCase() !== input.contact.to.toLowerCase()) {
      messages.push({
        channel: onRecord.channel,
        template: 'revoca.requested',
        recipient: onRecord.to,
        locale: live.locale,
        params: { nome: live.nome, cognome: live.cognome },
        citizenId: live.citizenId,
      });
    }
    await enqueue(trx, deps.box, messages);
    await audit.revocaRequested(trx, ctx, input.codiceFiscale, { contact: input.contact.channel });
  });
  return 'ok';
}

/** Looks up a live revoca link without using it (the page that asks for the final confirmation). */
export async function findRevocaToken(deps: RevocaDeps, token: string) {
  if (!token || token.length > 100) return undefined;
  return deps.db
    .selectFrom('revoca_tokens')
    .selectAll()
    .where('token_hmac', '=', deps.box.fingerprint(`revoca:${token}`))
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.now())
    .executeTakeFirst();
}

/**
 * R14 completion: the credential becomes `revoked`, every session ends, outstanding ripristino
 * codes die, the contacts on record are told; a new Richiesta PIN is then accepted (R1).
 */
export async function completeRevoca(deps: RevocaDeps, token: string, ctx: AuditContext): Promise<boolean> {
  const found = await findRevocaToken(deps, token);
  if (!found) return false;
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const used = await trx.updateTable('revoca_tokens').set({ used_at: now }).where('id', '=', found.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return false;
    await revokeCredential(trx, deps.box, { citizenId: found.citizen_id, credentialId: found.credential_id, now, alsoTell: found.contact }, ctx, {});
    return true;
  });
}

/**
 * The effects of a revoca, whoever completes it (the citizen's link, or an operator for a caller
 * without a tessera sanitaria): the credential becomes `revoked`, every session ends,
 * outstanding ripristino codes die, the contacts are told, and it is audited.
 */
export async function revokeCredential(
  trx: Kysely<Database>,
  box: SecretBox,
  o: { citizenId: string; credentialId: string; now: Date; alsoTell?: { channel: 'email' | 'pec'; to: string } },
  ctx: AuditContext,
  extra: Record<string, unknown>,
): Promise<void> {
  // Issue 13 item 7: a revoked chosen PIN stays among the citizen's last 5, so a new PIN cannot bring it back.
  await rememberReplacedPin(trx, o.credentialId, o.now);
  await trx
    .updateTable('credentials')
    .set({ state: 'revoked', revoked_at: o.now, updated_at: o.now, semplificato_hash: null })
    .where('id', '=', o.credentialId)
    .where('state', 'in', ['initial', 'active'])
    .execute();
  await trx
    .updateTable('sessions')
    .set({ ended_at: o.now, end_reason: 'revoca' })
    .where('citizen_id', '=', o.citizenId)
    .where('ended_at', 'is', null)
    .execute();
  await trx.updateTable('ripristino_codes').set({ used_at: o.now }).where('citizen_id', '=', o.citizenId).where('used_at', 'is', null).execute();
  const citizen = await trx
    .selectFrom('citizens')
    .select(['codice_fiscale', 'nome', 'cognome', 'locale', 'email', 'pec'])
    .where('id', '=', o.citizenId)
    .executeTakeFirstOrThrow();
  const recipients = new Map<string, { channel: 'email' | 'pec'; to: string }>();
  for (const c of [o.alsoTell, recordContact(citizen)]) if (c) recipients.set(c.to.toLowerCase(), c);
  await enqueue(
    trx,
    box,
    [...recipients.values()].map((c) => ({
      channel: c.channel,
      template: 'revoca.completed' as const,
      recipient: c.to,
      locale: citizen.locale,
      params: { nome: citizen.nome, cognome: citizen.cognome },
      citizenId: o.citizenId,
    })),
  );
  await audit.revocaCompleted(trx, ctx, citizen.codice_fiscale, { credentialId: o.credentialId, ...extra });
}
