import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * oidc-provider's storage on the project's database (PGlite or PostgreSQL), so codes, tokens,
 * interactions and the provider's sessions survive a restart and are shared by every process.
 * Clients are not stored here: they come from the one client registry (see clients.ts).
 */
/** Ids the provider makes (nanoid, base64url); anything else cannot be one of ours and is not looked up. */
const ID = /^[\w-]{1,512}$/;

export function payloadAdapter(db: Kysely<Database>, model: string): Adapter {
  const expiry = (expiresIn?: number) => (expiresIn ? new Date(Date.now() + expiresIn * 1000) : null);
  const live = () =>
    db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('model', '=', model)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]));
  // The payload is what the provider gave `upsert`, back from jsonb: the provider reads it again itself.
  const out = (row: { payload: Record<string, unknown>; consumed_at: Date | string | null } | undefined): AdapterPayload | undefined => {
    if (!row) return undefined;
    const payload: AdapterPayload = { ...row.payload, ...(row.consumed_at ? { consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) } : {}) };
    return payload;
  };
  return {
    async upsert(id, payload, expiresIn) {
      // PostgreSQL's jsonb refuses NUL; a value carrying one (a state, a nonce) is stored without it.
      const row = {
        model,
        id,
        payload: JSON.stringify(payload).replace(/\\u0000/g, ''),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        expires_at: expiry(expiresIn),
      };
      await db
        .insertInto('oidc_payloads')
        .values(row)
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet({ payload: row.payload, grant_id: row.grant_id, uid: row.uid, expires_at: row.expires_at }))
        .execute();
    },
    async find(id) {
      if (!ID.test(id)) return undefined;
      return out(await live().where('id', '=', id).executeTakeFirst());
    },
    async findByUid(uid) {
      if (!ID.test(uid)) return undefined;
      return out(await live().where('uid', '=', uid).executeTakeFirst());
    },
    async findByUserCode() {
      return undefined; // no device flow
    },
    async consume(id) {
      // Once only, even when two requests bring the same code at the same instant: the provider
      // awaits this before it issues anything, and the loser is refused.
      const row = await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: new Date() })
        .where('model', '=', model)
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new errors.InvalidGrant(`${model} already used`);
    },
    async destroy(id) {
      await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
    },
    async revokeByGrantId(grantId) {
      await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
    },
  };
}

/** Housekeeping: expired artefacts are deleted (the provider never reads them again). */
export async function purgeOidcPayloads(db: Kysely<Database>, at: Date): Promise<number> {
  const r = await sql`delete from oidc_payloads where expires_at < ${at}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
