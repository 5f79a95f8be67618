import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fileHeadSink, sealPending, verifyChain } from '../src/audit/chain.js';
import { audit } from '../src/audit/events.js';
import type { Db } from '../src/db/database.js';
import { ENGINES, freshDatabase } from './support/db.js';

async function setup(engine: (typeof ENGINES)[number], n = 20) {
  const { db } = await freshDatabase(engine);
  const sink = fileHeadSink(path.join(mkdtempSync(path.join(tmpdir(), 'varco-audit-')), 'head.log'));
  for (let i = 0; i < n; i++) await audit.loginFailed(db, { actor: 'anonymous', ip: `10.0.0.${i}`, userAgent: 'test' }, `CF${i}`, { failures: i, blockedUntil: null });
  await sealPending(db, sink);
  return { db, sink };
}

async function tamper(db: Db, statement: ReturnType<typeof sql>) {
  await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db);
  await sql`alter table audit_seals disable trigger audit_seals_no_change`.execute(db);
  await statement.execute(db);
}

describe.each(ENGINES)('audit hash chain on %s (R11)', (engine) => {
  it('seals every event and verifies an intact chain; records cannot be changed or deleted', async () => {
    const { db, sink } = await setup(engine);
    expect(await verifyChain(db, sink)).toEqual({ ok: true, sealed: 20, unsealed: 0, problems: [] });
    await expect(sql`update audit_events set actor = 'x' where id = 3`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_seals where chain_seq = 3`.execute(db)).rejects.toThrow(/append-only/);
    await audit.loginFailed(db, { actor: 'anonymous' }, 'LATE', { failures: 1, blockedUntil: null });
    expect((await verifyChain(db, sink)).unsealed).toBe(1);
    expect(await sealPending(db, sink)).toBe(1);
    expect(await verifyChain(db, sink)).toMatchObject({ ok: true, sealed: 21 });
    await db.destroy();
  });

  it('detects an altered record', async () => {
    const { db, sink } = await setup(engine);
    await tamper(db, sql`update audit_events set ip = '192.0.2.1' where id = 7`);
    const report = await verifyChain(db, sink);
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('seal 7: audit event 7 was altered');
    await db.destroy();
  });

  it('detects a deleted record', async () => {
    const { db, sink } = await setup(engine);
    await tamper(db, sql`delete from audit_seals where event_id = 5`);
    await tamper(db, sql`delete from audit_events where id = 5`);
    const report = await verifyChain(db, sink);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/seal 5 is missing|does not follow/);
    await db.destroy();
  });

  it('detects reordered records', async () => {
    const { db, sink } = await setup(engine);
    await tamper(db, sql`update audit_seals set chain_seq = -1 where chain_seq = 4`);
    await tamper(db, sql`update audit_seals set chain_seq = 4 where chain_seq = 5`);
    await tamper(db, sql`update audit_seals set chain_seq = 5 where chain_seq = -1`);
    const report = await verifyChain(db, sink);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/does not follow/);
    await db.destroy();
  });

  it('detects a truncated tail through the exported head', async () => {
    const { db, sink } = await setup(engine);
    await tamper(db, sql`delete from audit_seals where chain_seq > 17`);
    await tamper(db, sql`delete from audit_events where id > 17`);
    const report = await verifyChain(db, sink);
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('the chain ends at 17 but 20 seals were exported: the tail was truncated');
    await db.destroy();
  });

  it('detects a chain recomputed after an alteration, through the exported head', async () => {
    const { db, sink } = await setup(engine, 5);
    await tamper(db, sql`update audit_events set actor = 'forged' where id = 2`);
    await tamper(db, sql`delete from audit_seals`);
    await sealPending(db, fileHeadSink(path.join(mkdtempSync(path.join(tmpdir(), 'varco-forger-')), 'head.log')));
    const report = await verifyChain(db, sink);
    expect(report.problems).toContain('seal 5 differs from the exported head');
    await db.destroy();
  });

  it('writers never wait for the chain: parallel inserts and sealers give one intact chain', async () => {
    const { db, sink } = await setup(engine, 0);
    await Promise.all([
      ...Array.from({ length: 60 }, (_, i) => audit.loginFailed(db, { actor: 'anonymous' }, `P${i}`, { failures: 1, blockedUntil: null })),
      sealPending(db, sink),
      sealPending(db, sink),
    ]);
    while ((await sealPending(db, sink)) > 0);
    expect(await verifyChain(db, sink)).toEqual({ ok: true, sealed: 60, unsealed: 0, problems: [] });
    await db.destroy();
  });
});
