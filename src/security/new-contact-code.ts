import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { type NewContactCodeTable, recordWrongCode, sameFingerprint } from './one-time-code.js';
import type { SecretBox } from './secret-box.js';

/** A flow's code sent to a new contact: its table, the purpose in its fingerprint, how long it lives, how many wrong tries burn it. */
export interface NewContactCode {
  table: NewContactCodeTable;
  purpose: string;
  ttlMinutes: number;
  maxFailures: number;
}

/**
 * The code the citizen typed against the pending code sent to a new contact (`sendNewContactCode`,
 * fingerprint `purpose:id:code`, case and spaces around it ignored). None pending or a wrong code:
 * a wrong one is counted (the code burnt by the try that reaches `maxFailures`), `wrong` is called, and the
 * result is undefined. The right code: in one transaction the code is used up (once: a concurrent
 * confirmation that used it first leaves undefined) and `right` saves what it was sent for; its
 * result is returned.
 */
export async function confirmNewContactCode<T extends { id: string; code_hmac: string }, R>(
  deps: { db: Kysely<Database>; box: SecretBox },
  kind: NewContactCode,
  o: {
    now: Date;
    pending: T | undefined;
    code: string;
    wrong: () => Promise<unknown>;
    right: (trx: Transaction<Database>, pending: T) => Promise<R>;
  },
): Promise<R | undefined> {
  const { pending } = o;
  if (!pending || !sameFingerprint(pending.code_hmac, deps.box.fingerprint(`${kind.purpose}:${pending.id}:${o.code.trim().toUpperCase()}`))) {
    if (pending) await recordWrongCode(deps.db, kind.table, pending.id, kind.maxFailures, o.now);
    await o.wrong();
    return undefined;
  }
  return deps.db.transaction().execute(async (trx) => {
    const used = await trx.updateTable(kind.table).set({ used_at: o.now }).where('id', '=', pending.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return undefined;
    return o.right(trx, pending);
  });
}
