import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Issue 12 F13: the first request step tells whether a codice fiscale holds a PIN (R1's "ha già
 * un PIN assegnato") or was registered by SPID/CIE/CNS — an enumeration oracle. Every answer of
 * that step is counted per client IP per hour and for everyone per minute (fixed windows in
 * `rate_limits`, shared by every process); past either limit the step asks for the Codice di
 * Controllo before it answers. It never refuses: a citizen who types the code gets the answer.
 */
export interface R1Gate {
  /** Which limit is past, if any: then the next answer needs a Codice di Controllo. */
  codeRequired(ip: string, now: Date): Promise<'ip' | 'global' | null>;
  /** One more answer given to this IP. */
  count(ip: string, now: Date): Promise<void>;
}

interface RateKey {
  key: string;
  window_start: Date;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

function windowOf(now: Date, ms: number): Date {
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

export function r1Gate(db: Kysely<Database>, limits: { perIpHour: number; globalPerMinute: number }): R1Gate {
  const keys = (ip: string, now: Date): [RateKey, RateKey] => [
    { key: `r1:ip:${ip}`, window_start: windowOf(now, HOUR_MS) },
    { key: 'r1:global', window_start: windowOf(now, MINUTE_MS) },
  ];
  return {
    async codeRequired(ip, now) {
      const [perIp, global] = keys(ip, now);
      const rows = await db
        .selectFrom('rate_limits')
        .select(['key', 'hits'])
        .where((eb) =>
          eb.or([
            eb.and([eb('key', '=', perIp.key), eb('window_start', '=', perIp.window_start)]),
            eb.and([eb('key', '=', global.key), eb('window_start', '=', global.window_start)]),
          ]),
        )
        .execute();
      const hits = (key: string) => rows.find((r) => r.key === key)?.hits ?? 0;
      if (hits(perIp.key) >= limits.perIpHour) return 'ip';
      if (hits(global.key) >= limits.globalPerMinute) return 'global';
      return null;
    },
    async count(ip, now) {
      await db
        .insertInto('rate_limits')
        .values(keys(ip, now).map((k) => ({ ...k, hits: 1 })))
        .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
        .execute();
    },
  };
}
