import { describe, expect, it } from 'vitest';
import { createFlowStore } from '../src/sessions/flow-store.js';
import { createRateLimiter, purgeRateLimits } from '../src/security/rate-limit.js';
import { ENGINES, useFreshDatabase } from './support/db.js';

describe.each(ENGINES)('flows and rate limits on %s', (engine) => {
  const t = useFreshDatabase(engine);

  it('a flow is a row: only its hash is stored, it expires, and expired rows are purged', async () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const store = createFlowStore(t.db, 30, () => now);
    const { id, flow } = await store.create('richiesta', 'dati', { a: 1 });
    expect(await t.db.selectFrom('flows').select('id_hash').where('id_hash', '=', id).execute()).toHaveLength(0);
    expect(await store.load('richiesta', id)).toMatchObject({ status: 'ok', flow: { state: 'dati', data: { a: 1 } } });
    expect(await store.load('altro', id)).toEqual({ status: 'missing' });
    expect(await store.load('richiesta', 'x'.repeat(200))).toEqual({ status: 'missing' });
    now = new Date('2026-01-01T10:29:00Z');
    await store.save({ ...flow, state: 'riepilogo' });
    now = new Date('2026-01-01T10:58:00Z');
    expect(await store.load('richiesta', id)).toMatchObject({ status: 'ok', flow: { state: 'riepilogo' } });
    now = new Date('2026-01-01T11:00:00Z');
    expect(await store.load('richiesta', id)).toEqual({ status: 'expired' });
    expect(await store.purgeExpired()).toBe(1);
    expect(await store.load('richiesta', id)).toEqual({ status: 'missing' });
  });

  it('rate-limit windows count per key and old windows are purged', async () => {
    const limiter = createRateLimiter(t.db, { requestsPerWindow: 2, windowSeconds: 60 });
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push((await limiter.hit('k:1')).allowed);
    expect(hits).toEqual([true, true, false]);
    expect((await limiter.hit('k:2')).allowed).toBe(true);
    await purgeRateLimits(t.db, new Date(Date.now() + 120_000));
    expect(await t.db.selectFrom('rate_limits').selectAll().execute()).toEqual([]);
  });
});
