import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * A supervisore disables an account of the back office's lists (a client, an operator) or enables
 * it again, in one transaction: `update` sets its `disabled_at` (now, or null) and returns the row,
 * undefined when there is no such account; disabling then cuts off what it holds at once
 * (`cutOff`: its tokens, its sessions), and the change is audited. Returns the row.
 */
export async function setDisabledState<R>(
  deps: { db: Kysely<Database>; now: () => Date },
  disable: boolean,
  o: {
    update: (trx: Transaction<Database>, disabledAt: Date | null) => Promise<R | undefined>;
    cutOff: (trx: Transaction<Database>, row: R) => Promise<unknown>;
    audit: (trx: Transaction<Database>, row: R) => Promise<unknown>;
  },
): Promise<R | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await o.update(trx, disable ? deps.now() : null);
    if (!row) return undefined;
    if (disable) await o.cutOff(trx, row);
    await o.audit(trx, row);
    return row;
  });
}
