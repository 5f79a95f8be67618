import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEventsTable, Database } from '../db/schema.js';

/** The seal before the first one. */
export const GENESIS = 'varco-audit-genesis';
const SEALER_LOCK = 0x7a7c0;

type AuditEvent = Selectable<AuditEventsTable>;

/** Stable text of an event: fixed field order, details with sorted keys, times in ISO UTC. */
export function canonicalEvent(e: AuditEvent): string {
  return JSON.stringify([Number(e.id), new Date(e.occurred_at).toISOString(), e.event, e.actor, e.subject_cf, e.channel, e.ip, sortKeys(e.details)]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  return value;
}

export function sealOf(prev: string, chainSeq: number, e: AuditEvent): string {
  return createHash('sha256').update(`${prev}|${chainSeq}|${canonicalEvent(e)}`).digest('hex');
}

/**
 * The chain head leaves the database: every new head is appended to a file (point it at storage
 * the database administrators cannot rewrite), so a truncated tail is detected.
 */
export interface HeadSink {
  append(head: { chainSeq: number; seal: string }): Promise<void>;
  latest(): Promise<{ chainSeq: number; seal: string } | undefined>;
}

export function fileHeadSink(file: string): HeadSink {
  return {
    async append(head) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await appendFile(file, `${JSON.stringify({ ...head, at: new Date().toISOString() })}\n`, { mode: 0o600 });
    },
    async latest() {
      const text = await readFile(file, 'utf8').catch(() => '');
      const last = text.trim().split('\n').filter(Boolean).pop();
      return last ? (JSON.parse(last) as { chainSeq: number; seal: string }) : undefined;
    },
  };
}

/**
 * Seals committed events not sealed yet, in id order. One sealer at a time (advisory lock);
 * writers are never blocked. Returns how many events were sealed.
 */
export async function sealPending(db: Kysely<Database>, sink: HeadSink, limit = 5000): Promise<number> {
  const head = await db.transaction().execute(async (trx) => {
    const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SEALER_LOCK}) as ok`.execute(trx);
    if (!locked.rows[0]?.ok) return undefined;
    const last = await trx.selectFrom('audit_seals').select(['chain_seq', 'seal', 'event_id']).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
    // Events commit out of id order; a window below the last sealed id catches late commits.
    const from = Math.max(0, Number(last?.event_id ?? 0) - 10_000);
    const pending = await trx
      .selectFrom('audit_events as e')
      .leftJoin('audit_seals as s', 's.event_id', 'e.id')
      .selectAll('e')
      .where('s.event_id', 'is', null)
      .where('e.id', '>', from)
      .orderBy('e.id')
      .limit(limit)
      .execute();
    if (pending.length === 0) return undefined;
    let prev = last?.seal ?? GENESIS;
    let seq = Number(last?.chain_seq ?? 0);
    const rows = pending.map((e) => {
      seq++;
      const seal = sealOf(prev, seq, e);
      const row = { chain_seq: seq, event_id: Number(e.id), prev_seal: prev, seal };
      prev = seal;
      return row;
    });
    for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('audit_seals').values(rows.slice(i, i + 1000)).execute();
    return { chainSeq: seq, seal: prev, count: rows.length };
  });
  if (!head) return 0;
  await sink.append({ chainSeq: head.chainSeq, seal: head.seal });
  return head.count;
}

export interface VerifyReport {
  ok: boolean;
  sealed: number;
  unsealed: number;
  problems: string[];
}

/** `varco audit verify`: recomputes the whole chain and compares its head with the exported one. */
export async function verifyChain(db: Kysely<Database>, sink: HeadSink): Promise<VerifyReport> {
  const problems: string[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  let sealed = 0;
  let lastSeq = 0;
  for (let offset = 0; ; offset += 5000) {
    const page = await db
      .selectFrom('audit_seals as s')
      .leftJoin('audit_events as e', 'e.id', 's.event_id')
      .select(['s.chain_seq', 's.event_id', 's.prev_seal', 's.seal', 'e.id', 'e.occurred_at', 'e.event', 'e.actor', 'e.subject_cf', 'e.channel', 'e.ip', 'e.details'])
      .orderBy('s.chain_seq')
      .limit(5000)
      .offset(offset)
      .execute();
    for (const row of page) {
      const seq = Number(row.chain_seq);
      if (seq !== expectedSeq) problems.push(`seal ${expectedSeq} is missing (next is ${seq})`);
      if (row.prev_seal !== prev) problems.push(`seal ${seq}: does not follow seal ${seq - 1} (a record was removed or reordered)`);
      if (row.id === null) problems.push(`seal ${seq}: audit event ${row.event_id} was deleted`);
      else if (sealOf(row.prev_seal, seq, row as unknown as AuditEvent) !== row.seal) problems.push(`seal ${seq}: audit event ${row.event_id} was altered`);
      prev = row.seal;
      expectedSeq = seq + 1;
      lastSeq = seq;
      sealed++;
    }
    if (page.length < 5000) break;
  }
  const exported = await sink.latest();
  if (exported && exported.chainSeq > lastSeq) problems.push(`the chain ends at ${lastSeq} but ${exported.chainSeq} seals were exported: the tail was truncated`);
  else if (exported) {
    const at = await db.selectFrom('audit_seals').select('seal').where('chain_seq', '=', exported.chainSeq).executeTakeFirst();
    if (at?.seal !== exported.seal) problems.push(`seal ${exported.chainSeq} differs from the exported head`);
  }
  const unsealedRow = await db
    .selectFrom('audit_events as e')
    .leftJoin('audit_seals as s', 's.event_id', 'e.id')
    .select(db.fn.countAll<number>().as('n'))
    .where('s.event_id', 'is', null)
    .executeTakeFirstOrThrow();
  return { ok: problems.length === 0, sealed, unsealed: Number(unsealedRow.n), problems };
}
