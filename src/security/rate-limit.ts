import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * R12: fixed-window counters in the database, so every process behind the load balancer
 * shares them. `hit` counts one request and tells whether it is still within the limit.
 */
export interface RateLimiter {
  /** `limit` overrides the configured requests per window for this key. */
  hit(key: string, limit?: number): Promise<{ allowed: boolean; retryAfterSeconds: number; limit: number; hits: number }>;
}

export function createRateLimiter(db: Kysely<Database>, opts: { requestsPerWindow: number; windowSeconds: number }): RateLimiter {
  const windowMs = opts.windowSeconds * 1000;
  return {
    async hit(key, limit = opts.requestsPerWindow) {
      const nowMs = Date.now();
      const windowStart = new Date(Math.floor(nowMs / windowMs) * windowMs);
      const row = await db
        .insertInto('rate_limits')
        .values({ key, window_start: windowStart, hits: 1 })
        .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
        .returning('hits')
        .executeTakeFirstOrThrow();
      const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - nowMs) / 1000));
      return { allowed: row.hits <= limit, retryAfterSeconds, limit, hits: row.hits };
    },
  };
}

export async function purgeRateLimits(db: Kysely<Database>, olderThan: Date): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', olderThan).execute();
}
