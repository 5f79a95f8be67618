import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AuditChainError, fileHeadSink, sealPending, verifyChain } from '../src/audit/chain.js';
import { audit } from '../src/audit/events.js';
import type { Db } from '../src/db/database.js';
import { ENGINES, freshDatabase } from './support/db.js';

const headFile = (name = 'varco-audit-') => path.join(mkdtempSync(path.join(tmpdir(), name)), 'head.log');

async function addEvents(db: Db, n: number, from = 0) {
  for (let i = from; i < from + n; i++)
    await audit.loginFailed(db, { actor: 'anonymous', ip: `10.0.0.${i % 250}`, userAgent: 'test' }, `CF${i}`, { failures: i, blockedUntil: null });
}

async function setup(engine: (typeof ENGINES)[number], n = 20, key?: Buffer) {
  const { db } = await freshDatabase(engine);
  const file = headFile();
  const sink = fileHeadSink(file);
  await addEvents(db, n);
  await sealPending(db, sink, { key });
  return { db, sink, file };
}

async function tamper(db: Db, statement: ReturnType<typeof sql>) {
  await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db);
  await sql`alter table audit_seals disable trigger audit_seals_no_change`.execute(db);
  await statement.execute(db);
}

describe.each(ENGINES)('audit hash chain on %s (R11)', (engine) => {
  it('seals every event and verifies an intact chain; records cannot be changed or deleted', async () => {
    const { db, sink } = await setup(engine);
    expect(await verifyChain(db, sink)).toEqual({ ok: true, sealed: 20, unsealed: 0, keyedFrom: null, exportedHeads: 1, problems: [] });
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
    expect(await verifyChain(db, sink)).toMatchObject({ ok: true, sealed: 60, unsealed: 0, problems: [] });
    await db.destroy();
  });

  it('F15: a deleted tail stays detected after the next seal; a sealed number is never sealed again', async () => {
    const key = randomBytes(32);
    const { db, sink, file } = await setup(engine, 20, key);
    await tamper(db, sql`delete from audit_seals where chain_seq > 17`);
    await tamper(db, sql`delete from audit_events where id > 17`);
    await addEvents(db, 3, 100);
    // The worker's next round refuses to seal 18–20 again under different values.
    await expect(sealPending(db, sink, { key })).rejects.toThrow(AuditChainError);
    await expect(sealPending(db, sink, { key })).rejects.toThrow('refusing to seal: the chain ends at 17 but seal 20 was exported (the tail was deleted)');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    let report = await verifyChain(db, sink, { key });
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('the chain ends at 17 but 20 seals were exported: the tail was truncated');
    // What a sealer without that check (the release before F15) did: it sealed 18–20 again and
    // appended the new head; verify then read only the last line and said "intact".
    const forgerFile = headFile('varco-forger-');
    await sealPending(db, fileHeadSink(forgerFile), { key });
    appendFileSync(file, readFileSync(forgerFile, 'utf8'));
    report = await verifyChain(db, sink, { key });
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('seal 20 was exported 2 times with different values (lines 1, 2): a sealed number was reused after the chain was cut');
    expect(report.problems).toContain('seal 20 differs from the exported head');
    await db.destroy();
  });

  it('F15: every exported head is checked, not only the last one', async () => {
    const { db, sink } = await setup(engine, 5);
    await addEvents(db, 5, 5);
    await sealPending(db, sink);
    await tamper(db, sql`update audit_events set actor = 'forged' where id = 2`);
    await tamper(db, sql`delete from audit_seals`);
    await sealPending(db, fileHeadSink(headFile('varco-forger-')));
    const report = await verifyChain(db, sink);
    expect(report.exportedHeads).toBe(2);
    expect(report.problems).toEqual(['seal 5 differs from the exported head', 'seal 10 differs from the exported head']);
    await db.destroy();
  });

  it('F15: keyed seals verify with the key; a chain recomputed without it is detected even when the head file agrees', async () => {
    const key = randomBytes(32);
    const { db, sink } = await setup(engine, 6, key);
    expect(await verifyChain(db, sink, { key })).toEqual({ ok: true, sealed: 6, unsealed: 0, keyedFrom: 1, exportedHeads: 1, problems: [] });
    expect((await verifyChain(db, sink)).problems).toEqual(['seals from 1 are keyed: verify them with VARCO_AUDIT_SEAL_KEY']);
    await tamper(db, sql`update audit_events set actor = 'forged' where id = 2`);
    // Forged with a key of the forger's own, marked keyed; the forger also writes the head file.
    await tamper(db, sql`delete from audit_seals`);
    const forgedWithOtherKey = fileHeadSink(headFile('varco-forger-'));
    await sealPending(db, forgedWithOtherKey, { key: randomBytes(32) });
    let report = await verifyChain(db, forgedWithOtherKey, { key });
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('seal 1: audit event 1 was altered, or the seal was made without the seal key');
    // Forged as unkeyed seals (the kind made before the key): refused past the cut-over.
    await tamper(db, sql`delete from audit_seals`);
    const forgedUnkeyed = fileHeadSink(headFile('varco-forger-'));
    await sealPending(db, forgedUnkeyed);
    report = await verifyChain(db, forgedUnkeyed, { key });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['6 unkeyed seals (1–6) past VARCO_AUDIT_UNKEYED_UNTIL_SEAL=0: made without the seal key']);
    // And against the real head file, both forgeries differ from what was exported.
    expect((await verifyChain(db, sink, { key })).problems).toContain('seal 6 differs from the exported head');
    await db.destroy();
  });

  it('F15 cut-over: seals made before the key keep verifying unkeyed up to VARCO_AUDIT_UNKEYED_UNTIL_SEAL; later ones are keyed', async () => {
    const key = randomBytes(32);
    const { db, sink } = await setup(engine, 4);
    await addEvents(db, 3, 4);
    await sealPending(db, sink, { key });
    expect(await verifyChain(db, sink, { key, unkeyedUntil: 4 })).toEqual({ ok: true, sealed: 7, unsealed: 0, keyedFrom: 5, exportedHeads: 2, problems: [] });
    expect((await verifyChain(db, sink, { key })).problems).toEqual(['4 unkeyed seals (1–4) past VARCO_AUDIT_UNKEYED_UNTIL_SEAL=0: made without the seal key']);
    // Once keyed, the sealer never goes back to unkeyed seals.
    await addEvents(db, 1, 7);
    await expect(sealPending(db, sink)).rejects.toThrow('refusing to seal: the chain is keyed, set VARCO_AUDIT_SEAL_KEY');
    // An unkeyed seal slipped in after keyed ones is reported.
    await tamper(db, sql`update audit_seals set keyed = false where chain_seq = 6`);
    expect((await verifyChain(db, sink, { key, unkeyedUntil: 4 })).problems).toContain(
      'seal 6 is not keyed but follows keyed seals: it was made without the seal key',
    );
    await db.destroy();
  });

  it('F15: a missing head file or a line that is not a head is reported', async () => {
    const { db, sink, file } = await setup(engine, 3);
    appendFileSync(file, 'not json\n');
    expect((await verifyChain(db, sink)).problems).toEqual(['exported head line 2 is not a head record']);
    rmSync(file);
    expect((await verifyChain(db, sink)).problems).toEqual(['no exported head: the head file is missing or empty, so a truncated tail cannot be detected']);
    await db.destroy();
  });
});
