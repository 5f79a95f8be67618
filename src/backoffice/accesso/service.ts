import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, OperatorRole } from '../../db/schema.js';
import { recordFailure, recordSuccess, reserveAttempt } from '../../flows/accesso/lockout.js';
import type { PinHasher } from '../../security/hasher.js';
import type { SecretBox } from '../../security/secret-box.js';
import { verifyTotp } from '../../security/totp.js';
import { sha256 } from '../../security/secret-box.js';
import { columns } from '../../db/columns.js';

export interface Operator {
  id: string;
  username: string;
  displayName: string;
  role: OperatorRole;
}

export interface OperatorAuthDeps {
  db: Kysely<Database>;
  hasher: PinHasher;
  box: SecretBox;
  dummyHash: string;
  now: () => Date;
}

export type OperatorLogin = { ok: true; operator: Operator } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'blocked'; until: Date };

/**
 * Password and TOTP, with the citizens' lockout rules (R9) keyed by `op:<username>`. F4 (RFC 6238
 * §5.2): the step a code matched is claimed with one conditional update, so a code is accepted
 * once — a replay, an older code after a newer one, or the loser of two concurrent logins with
 * the same code is a failure. F13: a refused attempt while blocked is audited too.
 */
export async function authenticateOperator(
  deps: OperatorAuthDeps,
  input: { username: string; password: string; totp: string },
  ctx: AuditContext,
): Promise<OperatorLogin> {
  const username = input.username.trim().toLowerCase().slice(0, 64);
  const key = `op:${username}`;
  const reservation = await reserveAttempt(deps.db, key, deps.now());
  if (!reservation.allowed) {
    await audit.operatorLoginRefusedBlocked(deps.db, ctx, { username, blockedUntil: reservation.blockedUntil });
    return { ok: false, reason: 'blocked', until: reservation.blockedUntil };
  }
  const row = await deps.db.selectFrom('operators').selectAll().where('username', '=', username).where('disabled_at', 'is', null).executeTakeFirst();
  const passwordOk = await deps.hasher.verify(row?.password_hash ?? deps.dummyHash, input.password.slice(0, 200));
  const step = row !== undefined && passwordOk ? verifyTotp(deps.box.open(row.totp_secret_sealed, row.id), input.totp.slice(0, 20), deps.now()) : null;
  // The database decides: the step must be after the last one accepted, whatever ran in between.
  const claimed = row !== undefined && step !== null && (await claimTotpStep(deps.db, row.id, step));
  if (!row || !claimed) {
    const until = await recordFailure(deps.db, key, reservation.failures, deps.now());
    await audit.operatorLoginFailed(deps.db, ctx, {
      username,
      ...(step !== null ? { reason: 'totp_replayed' as const } : {}),
      ...(until ? { blockedUntil: until } : {}),
    });
    return until ? { ok: false, reason: 'blocked', until } : { ok: false, reason: 'invalid' };
  }
  await recordSuccess(deps.db, key, deps.now());
  await audit.operatorLoggedIn(deps.db, { ...ctx, actor: `operator:${row.username}` }, { operatorId: row.id });
  return { ok: true, operator: { id: row.id, username: row.username, displayName: row.display_name, role: row.role } };
}

/** RFC 6238 §5.2: records `step` as the last accepted one only if it is after the previous; one statement, so two logins cannot both win. */
async function claimTotpStep(db: Kysely<Database>, operatorId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('operators')
    .set({ totp_last_step: step })
    .where('id', '=', operatorId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const OPERATOR_IDLE_MINUTES = 30;
export const OPERATOR_LIFETIME_HOURS = 12;

export async function createOperatorSession(db: Kysely<Database>, operatorId: string, ip: string | null, now: Date): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await db
    .insertInto('operator_sessions')
    .values({ id_hash: sha256(id), operator_id: operatorId, ip, last_seen_at: now, expires_at: new Date(now.getTime() + OPERATOR_LIFETIME_HOURS * 3_600_000) })
    .execute();
  return id;
}

export async function loadOperatorSession(db: Kysely<Database>, id: string | undefined, now: Date): Promise<(Operator & { sessionHash: string }) | undefined> {
  if (!id || id.length > 100) return undefined;
  const row = await db
    .selectFrom('operator_sessions')
    .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
    .select([
      ...columns('operator_sessions', ['id_hash', 'last_seen_at', 'expires_at', 'ended_at']),
      ...columns('operators', ['id', 'username', 'display_name', 'role', 'disabled_at']),
    ])
    .where('operator_sessions.id_hash', '=', sha256(id))
    .executeTakeFirst();
  if (!row || row.ended_at || row.disabled_at) return undefined;
  if (now.getTime() - new Date(row.last_seen_at).getTime() > OPERATOR_IDLE_MINUTES * 60_000 || now >= new Date(row.expires_at)) {
    await db.updateTable('operator_sessions').set({ ended_at: now, end_reason: 'timeout' }).where('id_hash', '=', row.id_hash).execute();
    return undefined;
  }
  await db.updateTable('operator_sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, sessionHash: row.id_hash };
}

export async function endOperatorSession(db: Kysely<Database>, sessionHash: string, now: Date): Promise<void> {
  await db.updateTable('operator_sessions').set({ ended_at: now, end_reason: 'logout' }).where('id_hash', '=', sessionHash).execute();
}

/** The operator's logout: the session ends, audited. */
export async function logoutOperator(db: Kysely<Database>, operator: { id: string; sessionHash: string }, now: Date, ctx: AuditContext): Promise<void> {
  await endOperatorSession(db, operator.sessionHash, now);
  await audit.operatorLoggedOut(db, ctx, { operatorId: operator.id });
}
