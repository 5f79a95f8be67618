import { createHash, createHmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEventsTable, Database } from '../db/schema.js';
import { columns } from '../db/columns.js';

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
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/**
 * F15: a keyed seal is an HMAC with the seal key (VARCO_AUDIT_SEAL_KEY), which the database
 * administrators do not hold, so a chain recomputed after an alteration does not verify even where
 * the exported head cannot be read. Without a key: the unkeyed SHA-256 of the seals made before.
 */
export function sealOf(prev: string, chainSeq: number, e: AuditEvent, key?: Buffer): string {
  const text = `${prev}|${chainSeq}|${canonicalEvent(e)}`;
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(text).digest('hex');
}

/** One exported head: the last seal of a sealing round. `keyed` is written only for keyed seals. */
export interface ExportedHead {
  chainSeq: number;
  seal: string;
  keyed?: boolean;
}

/**
 * The chain head leaves the database: every new head is appended to a file (point it at storage
 * the database administrators cannot rewrite), so a truncated tail is detected. The whole history
 * is kept and verified: each sealed number is exported once, with one value.
 */
export interface HeadSink {
  append(head: ExportedHead): Promise<void>;
  /** The highest sealed number exported so far (read from the end of the history). */
  latest(): Promise<ExportedHead | undefined>;
  /** Every exported head, in the order written, with its line number; unreadable lines as `bad`. */
  history(): AsyncIterable<{ line: number; head?: ExportedHead; bad?: string }>;
}

/** Bytes read from the end of the head file to find the latest head (rounds may append out of order). */
const HEAD_TAIL_BYTES = 64 * 1024;

function parseHead(text: string): ExportedHead | undefined {
  try {
    const v = JSON.parse(text) as Partial<ExportedHead>;
    if (Number.isSafeInteger(v.chainSeq) && Number(v.chainSeq) > 0 && typeof v.seal === 'string' && /^[0-9a-f]{64}$/.test(v.seal)) {
      return { chainSeq: Number(v.chainSeq), seal: v.seal, ...(v.keyed === true ? { keyed: true } : {}) };
    }
  } catch {
    // reported by the caller
  }
  return undefined;
}

export function fileHeadSink(file: string): HeadSink {
  return {
    async append(head) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await appendFile(
        file,
        `${JSON.stringify({ chainSeq: head.chainSeq, seal: head.seal, ...(head.keyed ? { keyed: true } : {}), at: new Date().toISOString() })}\n`,
        { mode: 0o600 },
      );
    },
    async latest() {
      const handle = await open(file, 'r').catch(() => undefined);
      if (!handle) return undefined;
      try {
        const { size } = await handle.stat();
        const from = Math.max(0, size - HEAD_TAIL_BYTES);
        const buffer = Buffer.alloc(size - from);
        await handle.read(buffer, 0, buffer.length, from);
        const lines = buffer.toString('utf8').split('\n');
        if (from > 0) lines.shift();
        let best: ExportedHead | undefined;
        for (const line of lines) {
          const head = line.trim() ? parseHead(line) : undefined;
          if (head && (!best || head.chainSeq > best.chainSeq)) best = head;
        }
        return best;
      } finally {
        await handle.close();
      }
    },
    async *history() {
      const handle = await open(file, 'r').catch(() => undefined);
      if (!handle) return;
      await handle.close();
      let line = 0;
      for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
        line++;
        if (!text.trim()) continue;
        const head = parseHead(text);
        yield head ? { line, head } : { line, bad: text.slice(0, 80) };
      }
    },
  };
}

/** The sealer refuses to extend a chain that disagrees with its exported head (F15). */
export class AuditChainError extends Error {}

export interface SealOptions {
  /** VARCO_AUDIT_SEAL_KEY: new seals are HMACs with it. Without it (tests of legacy chains) they are unkeyed. */
  key?: Buffer;
  limit?: number;
}

/**
 * Seals committed events not sealed yet, in id order. One sealer at a time (advisory lock);
 * writers are never blocked. Returns how many events were sealed. It never seals a number again:
 * a chain that ends before its exported head, or differs from it, is refused (F15).
 */
export async function sealPending(db: Kysely<Database>, sink: HeadSink, opts: SealOptions | number = {}): Promise<number> {
  const { key, limit = 5000 } = typeof opts === 'number' ? { limit: opts } : opts;
  const head = await db.transaction().execute(async (trx) => {
    const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SEALER_LOCK}) as ok`.execute(trx);
    if (!locked.rows[0]?.ok) return undefined;
    const last = await trx
      .selectFrom('audit_seals')
      .select(['chain_seq', 'seal', 'event_id', 'keyed'])
      .orderBy('chain_seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const lastSeq = Number(last?.chain_seq ?? 0);
    const exported = await sink.latest();
    if (exported && exported.chainSeq > lastSeq) {
      throw new AuditChainError(
        `refusing to seal: the chain ends at ${lastSeq} but seal ${exported.chainSeq} was exported (the tail was deleted); run varco audit verify`,
      );
    }
    if (exported) {
      const at = await trx.selectFrom('audit_seals').select('seal').where('chain_seq', '=', exported.chainSeq).executeTakeFirst();
      if (at?.seal !== exported.seal)
        throw new AuditChainError(`refusing to seal: seal ${exported.chainSeq} differs from the exported head; run varco audit verify`);
    }
    if (last?.keyed && !key) throw new AuditChainError('refusing to seal: the chain is keyed, set VARCO_AUDIT_SEAL_KEY');
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
    let seq = lastSeq;
    const rows = pending.map((e) => {
      seq++;
      const seal = sealOf(prev, seq, e, key);
      const row = { chain_seq: seq, event_id: Number(e.id), prev_seal: prev, seal, keyed: key !== undefined };
      prev = seal;
      return row;
    });
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('audit_seals')
        .values(rows.slice(i, i + 1000))
        .execute();
    return { chainSeq: seq, seal: prev, count: rows.length };
  });
  if (!head) return 0;
  await sink.append({ chainSeq: head.chainSeq, seal: head.seal, ...(key ? { keyed: true } : {}) });
  return head.count;
}

export interface VerifyReport {
  ok: boolean;
  sealed: number;
  unsealed: number;
  /** The first keyed seal, or null when none is keyed. */
  keyedFrom: number | null;
  /** Lines of the exported head history checked against the chain. */
  exportedHeads: number;
  problems: string[];
}

export interface VerifyOptions {
  /** VARCO_AUDIT_SEAL_KEY: keyed seals are checked with it. */
  key?: Buffer;
  /**
   * With a key, unkeyed seals are accepted only up to this number (VARCO_AUDIT_UNKEYED_UNTIL_SEAL:
   * the chain sealed before the key was introduced); any later unkeyed seal was made without the key.
   */
  unkeyedUntil?: number;
}

/** `varco audit verify`: recomputes the whole chain and compares every exported head with it. */
export async function verifyChain(db: Kysely<Database>, sink: HeadSink, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  // The exported history: every value exported for each number (more than one: the number was reused).
  const exported = new Map<number, { seal: string; keyed: boolean; line: number }[]>();
  let exportedHeads = 0;
  let maxExported = 0;
  for await (const entry of sink.history()) {
    if (!entry.head) {
      problems.push(`exported head line ${entry.line} is not a head record`);
      continue;
    }
    exportedHeads++;
    const { chainSeq, seal, keyed } = entry.head;
    maxExported = Math.max(maxExported, chainSeq);
    const values = exported.get(chainSeq) ?? [];
    if (!values.some((v) => v.seal === seal)) values.push({ seal, keyed: keyed === true, line: entry.line });
    exported.set(chainSeq, values);
  }
  for (const [chainSeq, values] of exported) {
    if (values.length > 1)
      problems.push(
        `seal ${chainSeq} was exported ${values.length} times with different values (lines ${values.map((v) => v.line).join(', ')}): a sealed number was reused after the chain was cut`,
      );
  }

  let prev = GENESIS;
  let expectedSeq = 1;
  let sealed = 0;
  let lastSeq = 0;
  let keyedFrom: number | null = null;
  let missingKeyAt: number | null = null;
  const unkeyedTooLate: number[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await db
      .selectFrom('audit_seals as s')
      .leftJoin('audit_events as e', 'e.id', 's.event_id')
      .select([
        ...columns('s', ['chain_seq', 'event_id', 'prev_seal', 'seal', 'keyed']),
        ...columns('e', ['id', 'occurred_at', 'event', 'actor', 'subject_cf', 'channel', 'ip', 'details']),
      ])
      .orderBy('s.chain_seq')
      .limit(5000)
      .offset(offset)
      .execute();
    for (const row of page) {
      const seq = Number(row.chain_seq);
      if (seq !== expectedSeq) problems.push(`seal ${expectedSeq} is missing (next is ${seq})`);
      if (row.prev_seal !== prev) problems.push(`seal ${seq}: does not follow seal ${seq - 1} (a record was removed or reordered)`);
      if (row.keyed) {
        keyedFrom ??= seq;
        if (!opts.key) missingKeyAt ??= seq;
      } else if (keyedFrom !== null) {
        problems.push(`seal ${seq} is not keyed but follows keyed seals: it was made without the seal key`);
      } else if (opts.key && seq > (opts.unkeyedUntil ?? 0)) {
        unkeyedTooLate.push(seq);
      }
      if (row.id === null) problems.push(`seal ${seq}: audit event ${row.event_id} was deleted`);
      else if (row.keyed && opts.key) {
        if (sealOf(row.prev_seal, seq, row as unknown as AuditEvent, opts.key) !== row.seal)
          problems.push(`seal ${seq}: audit event ${row.event_id} was altered, or the seal was made without the seal key`);
      } else if (!row.keyed && sealOf(row.prev_seal, seq, row as unknown as AuditEvent) !== row.seal)
        problems.push(`seal ${seq}: audit event ${row.event_id} was altered`);
      for (const head of exported.get(seq) ?? []) {
        if (head.seal !== row.seal) problems.push(`seal ${seq} differs from the exported head`);
        else if (head.keyed !== row.keyed)
          problems.push(`seal ${seq} was exported ${head.keyed ? 'keyed' : 'unkeyed'} but is ${row.keyed ? 'keyed' : 'unkeyed'} in the database`);
      }
      prev = row.seal;
      expectedSeq = seq + 1;
      lastSeq = seq;
      sealed++;
    }
    if (page.length < 5000) break;
  }
  if (missingKeyAt !== null) problems.push(`seals from ${missingKeyAt} are keyed: verify them with VARCO_AUDIT_SEAL_KEY`);
  if (unkeyedTooLate.length) {
    problems.push(
      `${unkeyedTooLate.length} unkeyed seals (${unkeyedTooLate[0]}–${unkeyedTooLate.at(-1)}) past VARCO_AUDIT_UNKEYED_UNTIL_SEAL=${opts.unkeyedUntil ?? 0}: made without the seal key`,
    );
  }
  if (maxExported > lastSeq) problems.push(`the chain ends at ${lastSeq} but ${maxExported} seals were exported: the tail was truncated`);
  if (sealed > 0 && exportedHeads === 0) problems.push('no exported head: the head file is missing or empty, so a truncated tail cannot be detected');
  const unsealedRow = await db
    .selectFrom('audit_events as e')
    .leftJoin('audit_seals as s', 's.event_id', 'e.id')
    .select(db.fn.countAll<number>().as('n'))
    .where('s.event_id', 'is', null)
    .executeTakeFirstOrThrow();
  return { ok: problems.length === 0, sealed, unsealed: Number(unsealedRow.n), keyedFrom, exportedHeads, problems };
}
