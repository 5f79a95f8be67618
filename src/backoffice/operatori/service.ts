import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database, OperatorRole } from '../../db/schema.js';
import { setDisabledState } from '../disabled-state.js';
import type { PinHasher } from '../../security/hasher.js';
import type { SecretBox } from '../../security/secret-box.js';
import { newTotpSecret } from '../../security/totp.js';

export const OPERATOR_ROLES: readonly OperatorRole[] = ['contact-center', 'sede', 'supervisore'];

/** `varco operator add`: a new operator with a generated password and TOTP secret, shown once. */
export async function createOperator(
  db: Kysely<Database>,
  hasher: PinHasher,
  box: SecretBox,
  o: { username: string; displayName: string; role: OperatorRole; password?: string },
) {
  const id = randomUUID();
  const password = o.password ?? randomBytes(12).toString('base64url');
  const totpSecret = newTotpSecret();
  await db
    .insertInto('operators')
    .values({
      id,
      username: o.username.toLowerCase(),
      display_name: o.displayName,
      role: o.role,
      password_hash: await hasher.hash(password),
      totp_secret_sealed: box.seal(totpSecret, id),
    })
    .execute();
  await audit.operatorCreated(db, { actor: 'system:cli' }, { operatorId: id, username: o.username.toLowerCase(), role: o.role });
  return { id, password, totpSecret };
}

/** Issue 5: every operator, for the supervisori's list. */
export function listOperators(db: Kysely<Database>) {
  return db.selectFrom('operators').select(['id', 'username', 'display_name', 'role', 'disabled_at']).orderBy('username').execute();
}

/** A supervisore disables an operator (its open sessions end at once) or enables it again; audited. */
export async function setOperatorDisabled(
  deps: { db: Kysely<Database>; now: () => Date },
  operatorId: string,
  disable: boolean,
  ctx: AuditContext,
): Promise<void> {
  await setDisabledState(deps, disable, {
    update: (trx, disabledAt) =>
      trx.updateTable('operators').set({ disabled_at: disabledAt }).where('id', '=', operatorId).returning('username').executeTakeFirst(),
    cutOff: (trx) =>
      trx
        .updateTable('operator_sessions')
        .set({ ended_at: deps.now(), end_reason: 'disabled' })
        .where('operator_id', '=', operatorId)
        .where('ended_at', 'is', null)
        .execute(),
    audit: (trx, changed) => audit.operatorStateChanged(trx, ctx, { username: changed.username, disabled: disable }),
  });
}
