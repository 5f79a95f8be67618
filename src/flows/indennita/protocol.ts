import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { romeYear } from '../../domain/rome-time.js';

/**
 * Protocol numbers of the COVID-19 applications: from a database sequence, taken a block at a
 * time per process, so the click day does not pay a round trip per number. Numbers are unique
 * across processes and never reused; like any sequence they may skip (a restart drops the rest
 * of a block, a refused application burns its number), which is fine for a protocol register.
 */
export function protocolAllocator(db: Kysely<Database>, now: () => Date = () => new Date(), block = 100): () => Promise<string> {
  let free: string[] = [];
  let refill: Promise<void> | undefined;
  return async function next(): Promise<string> {
    for (;;) {
      const n = free.shift();
      if (n !== undefined) return `COV19-${romeYear(now())}-${n.padStart(8, '0')}`;
      refill ??= sql<{ n: string }>`select nextval('covid_protocol_seq')::text as n from generate_series(1, ${block})`
        .execute(db)
        .then((r) => {
          free = r.rows.map((row) => row.n);
        })
        .finally(() => {
          refill = undefined;
        });
      await refill;
    }
  };
}
