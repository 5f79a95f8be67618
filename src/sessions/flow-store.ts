import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { sha256 } from '../security/secret-box.js';
import { dbSafeDeep } from '../domain/db-safe.js';

/** A self-service flow in progress: a row with its state and expiry (STYLE: a flow is a row). */
export interface Flow<S extends string, D> {
  idHash: string;
  kind: string;
  state: S;
  data: D;
  expiresAt: Date;
}

export type LoadedFlow<S extends string, D> = { status: 'ok'; flow: Flow<S, D> } | { status: 'missing' } | { status: 'expired' };

export interface FlowStore {
  create<S extends string, D>(kind: string, state: S, data: D): Promise<{ id: string; flow: Flow<S, D> }>;
  /**
   * The flow as stored: its state and data are not trusted here (they come back from JSON); the
   * flow's definition validates them (`definePersistedFlow`, src/ui/flow.ts).
   */
  load(kind: string, id: string | undefined): Promise<LoadedFlow<string, unknown>>;
  /** Stores the flow's state and data; `within` runs the update in that transaction (the flow ends with the work it records). */
  save<S extends string, D>(flow: Flow<S, D>, within?: Kysely<Database>): Promise<void>;
  /** Moves the flow from the state it was loaded in to `to`, unless another request moved it first (then false). */
  advance<S extends string, D>(flow: Flow<S, D>, to: S): Promise<boolean>;
  /** Deletes expired flows; returns how many. */
  purgeExpired(): Promise<number>;
}

export function createFlowStore(db: Kysely<Database>, ttlMinutes: number, now: () => Date = () => new Date()): FlowStore {
  const expiry = () => new Date(now().getTime() + ttlMinutes * 60_000);
  return {
    async create(kind, state, data) {
      const id = randomBytes(32).toString('base64url');
      const flow = { idHash: sha256(id), kind, state, data, expiresAt: expiry() };
      await db
        .insertInto('flows')
        .values({ id_hash: flow.idHash, kind, state, data: JSON.stringify(dbSafeDeep(data)), expires_at: flow.expiresAt })
        .execute();
      return { id, flow };
    },
    async load(kind, id) {
      if (!id || id.length > 100) return { status: 'missing' };
      const row = await db.selectFrom('flows').selectAll().where('id_hash', '=', sha256(id)).where('kind', '=', kind).executeTakeFirst();
      if (!row) return { status: 'missing' };
      const expiresAt = new Date(row.expires_at);
      if (expiresAt <= now()) return { status: 'expired' };
      const data: unknown = row.data;
      return { status: 'ok', flow: { idHash: row.id_hash, kind: row.kind, state: row.state, data, expiresAt } };
    },
    async save(flow, within = db) {
      flow.expiresAt = expiry();
      await within
        .updateTable('flows')
        .set({ state: flow.state, data: JSON.stringify(dbSafeDeep(flow.data)), updated_at: now(), expires_at: flow.expiresAt })
        .where('id_hash', '=', flow.idHash)
        .execute();
    },
    async advance(flow, to) {
      const moved = await db
        .updateTable('flows')
        .set({ state: to, updated_at: now() })
        .where('id_hash', '=', flow.idHash)
        .where('state', '=', flow.state)
        .returning('id_hash')
        .executeTakeFirst();
      if (moved) flow.state = to;
      return moved !== undefined;
    },
    async purgeExpired() {
      const r = await db.deleteFrom('flows').where('expires_at', '<', now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
