import { type Kysely, sql } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { setDisabledState } from '../disabled-state.js';

/** The one client registry (`varco client add`): the API's machine clients and the relying parties. */
export function listClients(db: Kysely<Database>) {
  return db.selectFrom('clients').select(['id', 'name', 'scopes', 'jwks', 'created_at', 'disabled_at', 'redirect_uris', 'min_level']).orderBy('id').execute();
}

/** A supervisore disables a client — its credentials and every token it holds stop working at once — or enables it again. False when there is no such client. */
export async function setClientDisabled(
  deps: { db: Kysely<Database>; now: () => Date },
  clientId: string,
  disable: boolean,
  ctx: AuditContext,
): Promise<boolean> {
  const changed = await setDisabledState(deps, disable, {
    update: (trx, disabledAt) => trx.updateTable('clients').set({ disabled_at: disabledAt }).where('id', '=', clientId).returning('id').executeTakeFirst(),
    cutOff: (trx) => revokeTokens(trx, clientId),
    audit: (trx) => audit.clientStateChanged(trx, ctx, { clientId, disabled: disable }),
  });
  return changed !== undefined;
}

/** A client that sent certificates cannot be removed (they keep naming it): it can be disabled. */
export async function removeClient(db: Kysely<Database>, clientId: string, ctx: AuditContext): Promise<'unknown' | 'kept' | 'removed'> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('clients').select('id').where('id', '=', clientId).forUpdate().executeTakeFirst();
    if (!row) return 'unknown' as const;
    const used = await trx.selectFrom('sick_certificates').select('id').where('client_id', '=', clientId).limit(1).executeTakeFirst();
    if (used) return 'kept' as const;
    await revokeTokens(trx, clientId);
    await trx.deleteFrom('client_assertions').where('client_id', '=', clientId).execute();
    await trx.deleteFrom('clients').where('id', '=', clientId).execute();
    await audit.clientRemoved(trx, ctx, { clientId });
    return 'removed' as const;
  });
}

/** Every code, token and grant the provider issued to the client is deleted: they stop working at once. */
async function revokeTokens(db: Db, clientId: string): Promise<void> {
  await sql`delete from oidc_payloads where payload->>'clientId' = ${clientId}`.execute(db);
}
