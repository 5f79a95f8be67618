import { describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { Client, buildTestApp, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { countingHasher, givenCitizenWithPin } from './support/pins.js';
import { auditOf } from './support/rows.js';

const hasherBase = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const PIN = 'K7X9M3P4';
const NEW_PIN = 'H3K7N9R4';

/** F3: every check of a citizen's PIN goes through R9's lockout, keyed by the CF. */
describe.each(ENGINES)('one PIN check under R9 (issue 12 F3) on %s', (engine) => {
  let now = new Date('2026-06-01T09:00:00Z').getTime();
  const advanceMinutes = (m: number) => (now += m * 60_000);
  const hasher = countingHasher(hasherBase);
  const t = useTestApp(engine, {}, { now: () => new Date(now), hasher });

  async function login(cf: string, pin: string) {
    const client = new Client(t.app);
    await client.get('/accedi');
    return { client, res: await client.post('/accedi', { codiceFiscale: cf, pin }) };
  }

  async function changeWithCurrent(client: Client, current: string) {
    await client.get('/accedi/cambio-pin');
    return client.post('/accedi/cambio-pin', { current, pin: NEW_PIN, confirm: NEW_PIN });
  }

  const pinHashOf = async (credentialId: string) =>
    (await t.db.selectFrom('credentials').select('pin_hash').where('id', '=', credentialId).executeTakeFirstOrThrow()).pin_hash;

  it('40 wrong current PINs at Modifica PIN block it like a login: the right one is then refused unchecked, and so is the login', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: PIN });
    const { client } = await login(c.codiceFiscale, PIN);
    const before = await pinHashOf(c.credentialId);

    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await changeWithCurrent(client, `WRONG${String(i).padStart(3, '2')}`)).statusCode);
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(422));
    expect(statuses.slice(9)).toEqual(Array(31).fill(423));

    // While blocked: the right current PIN is refused without being verified, and the PIN stays.
    const verifies = hasher.verifies;
    const right = await changeWithCurrent(client, PIN);
    expect(right.statusCode).toBe(423);
    expect(right.body).toMatch(/bloccato fino alle \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/);
    expect(hasher.verifies).toBe(verifies);
    expect(await pinHashOf(c.credentialId)).toBe(before);

    // The lockout is the login's: the right PIN does not open a session either.
    expect((await login(c.codiceFiscale, PIN)).res.statusCode).toBe(423);

    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: ['login.failed', 'login.refused_blocked', 'login.locked'] })
      .select(['event', 'details'])
      .execute();
    expect(audit.filter((a) => a.event === 'login.failed')).toHaveLength(10);
    expect(audit.filter((a) => a.event === 'login.refused_blocked')).toHaveLength(32);
    expect(audit.filter((a) => a.event === 'login.failed').every((a) => (a.details as { purpose?: string }).purpose === 'cambio_pin')).toBe(true);

    // After the block, the right current PIN changes the PIN and resets the count (R9).
    advanceMinutes(6);
    const { client: fresh } = await login(c.codiceFiscale, PIN);
    const done = await changeWithCurrent(fresh, PIN);
    expect(done.headers.location).toBe('/bacheca?pin=modificato');
    expect(await pinHashOf(c.credentialId)).not.toBe(before);
    expect(
      await t.db.selectFrom('lockouts').select(['failures', 'blocked_until']).where('cf_key', '=', c.codiceFiscale).executeTakeFirstOrThrow(),
    ).toMatchObject({ failures: 0, blocked_until: null });
    const verified = await auditOf(t.db, { cf: c.codiceFiscale, event: 'pin.verified' }).select('details').execute();
    expect(verified.map((v) => (v.details as { purpose: string }).purpose)).toEqual(['cambio_pin']);
    advanceMinutes(60);
  });

  it('the count is shared: wrong PINs at login and at Modifica PIN add up to one block', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: PIN });
    const { client } = await login(c.codiceFiscale, PIN);
    for (let i = 0; i < 5; i++) expect((await login(c.codiceFiscale, 'WRONG222')).res.statusCode).toBe(401);
    for (let i = 0; i < 4; i++) expect((await changeWithCurrent(client, 'WRONG333')).statusCode).toBe(422);
    expect((await changeWithCurrent(client, 'WRONG333')).statusCode).toBe(423);
    expect((await changeWithCurrent(client, PIN)).statusCode).toBe(423);
    expect((await login(c.codiceFiscale, PIN)).res.statusCode).toBe(423);
    advanceMinutes(60);
  });

  it('the current-PIN check is rate-limited with the login, per client IP (R12)', async () => {
    const limited = await buildTestApp(engine, { VARCO_RATE_LIMIT_REQUESTS: '3', VARCO_RATE_LIMIT_WINDOW_SECONDS: '86400' }, { hasher: hasherBase });
    try {
      const c = await givenCitizenWithPin(limited.db, hasherBase, { pin: PIN });
      const client = new Client(limited.app);
      await client.get('/accedi');
      await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: PIN });
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        await client.get('/accedi/cambio-pin');
        codes.push((await client.post('/accedi/cambio-pin', { current: 'WRONG222', pin: NEW_PIN, confirm: NEW_PIN })).statusCode);
      }
      expect(codes).toEqual([422, 422, 429]);
    } finally {
      await limited.close();
    }
  });
});
