import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';

/** An audit record's details: an object (jsonb on PostgreSQL, JSON text on SQLite). */
const Details = z.record(z.string(), z.unknown());

/** The recent quota refusals (`quota.exceeded`) and SMS cap alerts (`sms.global_cap_reached`), newest first, with their details parsed. */
export async function recentQuotaHits(db: Kysely<Database>, limit: number) {
  const hits = await db
    .selectFrom('audit_events')
    .select(['id', 'event', 'occurred_at', 'subject_cf', 'details'])
    .where('event', 'in', ['quota.exceeded', 'sms.global_cap_reached'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return hits.map((h) => ({ ...h, details: Details.parse(typeof h.details === 'string' ? JSON.parse(h.details) : h.details) }));
}
