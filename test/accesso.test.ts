import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mask } from '../src/ui/format.js';
import { createPinHasher } from '../src/security/hasher.js';
import { type TestApp, Client, buildTestApp } from './support/app.js';
import { ENGINES, freshDatabase } from './support/db.js';
import { countingHasher, givenCitizenWithPin } from './support/pins.js';

const INITIAL = 'X9K4T7M3W4P9R3N7';
const hasherBase = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

class Clock {
  t = new Date('2026-03-02T09:00:00Z').getTime();
  now = () => new Date(this.t);
  advanceMinutes(m: number) {
    this.t += m * 60_000;
  }
}

async function login(client: Client, cf: string, pin: string, ritorno?: string) {
  await client.get(ritorno ? `/accedi?ritorno=${encodeURIComponent(ritorno)}` : '/accedi');
  return client.post('/accedi', { codiceFiscale: cf, pin, ...(ritorno ? { ritorno } : {}) });
}

describe.each(ENGINES)('Accesso con PIN on %s', (engine) => {
  let t: TestApp;
  const clock = new Clock();
  const hasher = countingHasher(hasherBase);
  beforeAll(async () => {
    t = await buildTestApp(engine, {}, { now: clock.now, hasher });
  });
  afterAll(async () => {
    await t.close();
  });

  it('R7: the initial PIN opens only the change page; the new PIN follows the rules; then it is the only PIN', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: INITIAL, state: 'initial' });
    const client = new Client(t.app);
    const res = await login(client, c.codiceFiscale, INITIAL.toLowerCase());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/accedi/cambio-pin');
    expect((await client.get('/bacheca')).headers.location).toBe('/accedi/cambio-pin');
    expect((await client.get('/profilo')).headers.location).toBe('/accedi/cambio-pin');
    const page = await client.get('/accedi/cambio-pin');
    expect(page.body).toContain('Primo accesso');

    const cases: [string, string, string][] = [
      ['ACDE', 'ACDE', 'deve avere esattamente 8 caratteri'],
      ['ACDEFH0!', 'ACDEFH0!', 'usa solo lettere e numeri'],
      ['HKMNPRTW', 'HKMNPRTX', 'Conferma nuovo PIN: non coincide'],
      ['X9K4T7M3', 'x9k4t7m3', 'non può essere una parte del PIN iniziale'],
      ['W4P9R3N7', 'W4P9R3N7', 'non può essere una parte del PIN iniziale'],
      [`${c.cognome.slice(0, 4)}3479`.replace(/[^2346789ACDEFHJKMNPRTUWXY]/g, 'A'), '', ''],
      ['AAAA7779', 'AAAA7779', 'sequenza o la ripetizione'],
      ['ACDE2346', 'ACDE2346', 'sequenza o la ripetizione'],
    ];
    for (const [pin, confirm, message] of cases) {
      if (!message) continue;
      const r = await client.post('/accedi/cambio-pin', { pin, confirm });
      expect(r.statusCode, pin).toBe(422);
      expect(r.body).toContain(message);
    }
    const personal = await client.post('/accedi/cambio-pin', { pin: `${c.codiceFiscale.slice(0, 4)}7K9X`, confirm: `${c.codiceFiscale.slice(0, 4)}7K9X` });
    expect(personal.statusCode).toBe(422);

    const done = await client.post('/accedi/cambio-pin', { pin: 'k7x9m3p4', confirm: 'K7X9M3P4' });
    expect(done.headers.location).toBe('/bacheca?pin=modificato');
    expect((await client.follow(done)).body).toContain('Il PIN è stato modificato');
    const cred = await t.db.selectFrom('credentials').selectAll().where('id', '=', c.credentialId).executeTakeFirstOrThrow();
    expect(cred.state).toBe('active');
    const citizenRow = await t.db.selectFrom('citizens').select('contacts_verified_at').where('id', '=', c.citizenId).executeTakeFirstOrThrow();
    expect(citizenRow.contacts_verified_at).not.toBeNull();
    expect(await hasherBase.verify(cred.pin_hash, 'K7X9M3P4')).toBe(true);
    // Issue 13: the generated initial PIN is not kept among the last 5 (no 8-character PIN could match it).
    expect(await t.db.selectFrom('pin_history').select('id').where('credential_id', '=', c.credentialId).execute()).toHaveLength(0);
    const session = await t.db.selectFrom('sessions').selectAll().where('citizen_id', '=', c.citizenId).where('ended_at', 'is', null).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ must_change_pin: null, initial_fingerprints: null, level: 'ordinario' });

    const again = new Client(t.app);
    expect((await login(again, c.codiceFiscale, INITIAL)).statusCode).toBe(401);
    const ok = await login(again, c.codiceFiscale, 'K7X9M3P4');
    expect(ok.headers.location).toBe('/bacheca');
    const events = await t.db.selectFrom('audit_events').select('event').where('subject_cf', '=', c.codiceFiscale).orderBy('id').execute();
    expect(events.map((e) => e.event)).toEqual(['login.succeeded', 'pin.changed', 'login.failed', 'login.succeeded']);
  });

  it('R7: a new PIN may not repeat one of the last 5', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    await login(client, c.codiceFiscale, 'K7X9M3P4');
    const pins = ['H3K7N9R4', 'T7W3X9A4', 'C9E7F3H4', 'J3M7P9R4', 'W7X3Y9C4'];
    let current = 'K7X9M3P4';
    for (const pin of pins) {
      await client.get('/accedi/cambio-pin');
      const r = await client.post('/accedi/cambio-pin', { current, pin, confirm: pin });
      expect(r.headers.location, pin).toBe('/bacheca?pin=modificato');
      current = pin;
    }
    await client.get('/accedi/cambio-pin');
    const reuse = await client.post('/accedi/cambio-pin', { current, pin: 'C9E7F3H4', confirm: 'C9E7F3H4' });
    expect(reuse.body).toContain('non può coincidere con uno degli ultimi 5 PIN');
    const oldEnough = await client.post('/accedi/cambio-pin', { current, pin: 'K7X9M3P4', confirm: 'K7X9M3P4' });
    expect(oldEnough.headers.location).toBe('/bacheca?pin=modificato');
    const wrongCurrent = await client.post('/accedi/cambio-pin', { current: 'XXXXXXXX', pin: 'A3C7E9H4', confirm: 'A3C7E9H4' });
    expect(wrongCurrent.body).toContain('PIN attuale: non corretto.');
  });

  it('unknown CF and wrong PIN: the same answer, and both verify one argon2id hash', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const unknown = 'VRDGPP73A01G702X';
    const strip = (body: string, cf: string) => body.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(cf, 'CF');
    const before = hasher.verifies;
    const a = await login(new Client(t.app), c.codiceFiscale, 'WRONGPIN');
    const afterKnown = hasher.verifies;
    const b = await login(new Client(t.app), unknown, 'WRONGPIN');
    expect(afterKnown - before).toBe(1);
    expect(hasher.verifies - afterKnown).toBe(1);
    expect(a.statusCode).toBe(b.statusCode);
    expect(strip(a.body, c.codiceFiscale)).toBe(strip(b.body, unknown));
    expect(a.body).toContain('Codice fiscale o PIN non corretti');
  });

  it('R9: 10 failures block for 5 minutes; refusals unchecked and not extending; each wrong PIN after a block blocks again; the right PIN resets', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    for (let i = 1; i <= 9; i++) expect((await login(client, c.codiceFiscale, 'WRONG111')).statusCode).toBe(401);
    const tenth = await login(client, c.codiceFiscale, 'WRONG111');
    expect(tenth.statusCode).toBe(423);
    const blockedAt = clock.now().getTime();
    const row = await t.db.selectFrom('lockouts').selectAll().where('cf_key', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    expect(new Date(row.blocked_until!).getTime()).toBe(blockedAt + 5 * 60_000);

    // During the block: refused without checking, even the right PIN, and the block does not move.
    clock.advanceMinutes(4);
    const verifies = hasher.verifies;
    const during = await login(client, c.codiceFiscale, 'K7X9M3P4');
    expect(during.statusCode).toBe(423);
    expect(during.body).toMatch(/bloccato fino alle \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/);
    expect(hasher.verifies).toBe(verifies);
    expect(
      new Date(
        (await t.db.selectFrom('lockouts').select('blocked_until').where('cf_key', '=', c.codiceFiscale).executeTakeFirstOrThrow()).blocked_until!,
      ).getTime(),
    ).toBe(blockedAt + 5 * 60_000);

    // After the block: one wrong PIN blocks again for 5 minutes.
    clock.advanceMinutes(1);
    expect((await login(client, c.codiceFiscale, 'WRONG111')).statusCode).toBe(423);
    expect(
      new Date(
        (await t.db.selectFrom('lockouts').select('blocked_until').where('cf_key', '=', c.codiceFiscale).executeTakeFirstOrThrow()).blocked_until!,
      ).getTime(),
    ).toBe(clock.now().getTime() + 5 * 60_000);
    clock.advanceMinutes(5);
    expect((await login(client, c.codiceFiscale, 'K7X9M3P4')).headers.location).toBe('/bacheca');
    const reset = await t.db.selectFrom('lockouts').selectAll().where('cf_key', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    expect(reset).toMatchObject({ failures: 0, blocked_until: null });
    for (let i = 1; i <= 9; i++) expect((await login(client, c.codiceFiscale, 'WRONG111')).statusCode).toBe(401);
    const audit = await t.db.selectFrom('audit_events').select('event').where('subject_cf', '=', c.codiceFiscale).execute();
    expect(audit.filter((a) => a.event === 'login.refused_blocked')).toHaveLength(1);
    clock.advanceMinutes(60);
  });

  it('issue 13, R9: a wrong PIN says how many attempts remain before the block, the same for a CF nobody has', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const nobody = 'RSSMRA85M01H501Q';
    const client = new Client(t.app);
    for (let left = 9; left >= 2; left--) {
      const known = await login(client, c.codiceFiscale, 'WRONG111');
      expect(known.statusCode).toBe(401);
      expect(known.body).toContain(`Ti restano ${left} tentativi prima del blocco.`);
      expect((await login(client, nobody, 'WRONG111')).body).toContain(`Ti restano ${left} tentativi prima del blocco.`);
    }
    expect((await login(client, c.codiceFiscale, 'WRONG111')).body).toContain('Ti resta 1 tentativo prima del blocco.');
    // The right PIN resets the count: the next mistake has 9 left again.
    expect((await login(client, c.codiceFiscale, 'K7X9M3P4')).headers.location).toBe('/bacheca');
    for (const [lang, text] of [
      ['de', 'Sie haben noch 9 Versuche vor der Sperre.'],
      ['en', 'You have 8 attempts left before the block.'],
    ] as const) {
      const other = new Client(t.app);
      await other.get(`/lingua/${lang}`);
      expect((await login(other, c.codiceFiscale, 'WRONG111')).body).toContain(text);
    }
    clock.advanceMinutes(60);
  });

  it('R9: lockout is keyed by the CF even when nobody has it, omocodia mapped back', async () => {
    const client = new Client(t.app);
    const nobody = 'BNCMRA80A01H501X';
    for (let i = 0; i < 10; i++) await login(client, nobody, 'WRONG111');
    expect((await login(client, nobody, 'WRONG111')).statusCode).toBe(423);
    clock.advanceMinutes(60);
  });

  it('R8: the PIN expires 6 calendar months after the change (3 for intermediaries), with a notice 15 days before', async () => {
    const sixMonths = new Date(clock.now());
    sixMonths.setUTCMonth(sixMonths.getUTCMonth() - 6);
    const expired = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4', changedAt: sixMonths });
    expect((await login(new Client(t.app), expired.codiceFiscale, 'K7X9M3P4')).headers.location).toBe('/accedi/cambio-pin');

    const threeMonths = new Date(clock.now());
    threeMonths.setUTCMonth(threeMonths.getUTCMonth() - 3);
    const citizen = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4', changedAt: threeMonths });
    const c1 = new Client(t.app);
    expect((await login(c1, citizen.codiceFiscale, 'K7X9M3P4')).headers.location).toBe('/bacheca');
    const intermediary = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4', changedAt: threeMonths, intermediario: true });
    const c2 = new Client(t.app);
    expect((await login(c2, intermediary.codiceFiscale, 'K7X9M3P4')).headers.location).toBe('/accedi/cambio-pin');
    expect((await c2.get('/accedi/cambio-pin')).body).toContain('Il tuo PIN è scaduto');

    const soon = new Date(clock.now());
    soon.setUTCMonth(soon.getUTCMonth() - 6);
    soon.setUTCDate(soon.getUTCDate() + 10);
    const notice = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4', changedAt: soon });
    const c3 = new Client(t.app);
    await login(c3, notice.codiceFiscale, 'K7X9M3P4');
    expect((await c3.get('/bacheca')).body).toContain('Il tuo PIN scade il');
    expect((await c1.get('/bacheca')).body).not.toContain('Il tuo PIN scade il');
  });

  it('R10: idle timeout 30 minutes, absolute lifetime 12 hours, Esci ends the session, no-store on personal pages', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    await login(client, c.codiceFiscale, 'K7X9M3P4');
    const board = await client.get('/bacheca');
    expect(board.statusCode).toBe(200);
    expect(board.headers['cache-control']).toBe('no-store');
    clock.advanceMinutes(29);
    expect((await client.get('/bacheca')).statusCode).toBe(200);
    clock.advanceMinutes(31);
    expect((await client.get('/bacheca')).headers.location).toBe('/accedi?scaduta=1&ritorno=%2Fbacheca');

    await login(client, c.codiceFiscale, 'K7X9M3P4');
    let lastAnswer = '';
    for (let i = 0; i < 40; i++) {
      clock.advanceMinutes(20);
      const r = await client.get('/bacheca');
      if (r.statusCode !== 200) {
        lastAnswer = String(r.headers.location);
        break;
      }
    }
    expect(lastAnswer).toContain('scaduta=1');
    const lifetime = await t.db
      .selectFrom('sessions')
      .select(['end_reason', 'created_at', 'ended_at'])
      .where('citizen_id', '=', c.citizenId)
      .where('end_reason', '=', 'lifetime')
      .executeTakeFirstOrThrow();
    expect(new Date(lifetime.ended_at!).getTime() - new Date(lifetime.created_at).getTime()).toBeGreaterThanOrEqual(12 * 3_600_000);

    await login(client, c.codiceFiscale, 'K7X9M3P4');
    await client.get('/bacheca');
    const out = await client.post('/esci', {});
    expect(out.headers.location).toBe('/accedi?uscito=1');
    expect((await client.get('/bacheca')).statusCode).toBe(303);
  });

  it('R10: the session id changes at login and at a PIN change, which ends the other sessions', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const laptop = new Client(t.app);
    const phone = new Client(t.app);
    await login(laptop, c.codiceFiscale, 'K7X9M3P4');
    await login(phone, c.codiceFiscale, 'K7X9M3P4');
    expect((await phone.get('/bacheca')).statusCode).toBe(200);
    await laptop.get('/accedi/cambio-pin');
    await laptop.post('/accedi/cambio-pin', { current: 'K7X9M3P4', pin: 'H3K7N9R4', confirm: 'H3K7N9R4' });
    expect((await laptop.get('/bacheca')).statusCode).toBe(200);
    expect((await phone.get('/bacheca')).statusCode).toBe(303);
    const ids = await t.db.selectFrom('sessions').select('id_hash').where('citizen_id', '=', c.citizenId).execute();
    expect(new Set(ids.map((i) => i.id_hash)).size).toBe(ids.length);
  });

  it('seed 003 "Cambia profilo": an intermediary switches between citizen and intermediary', async () => {
    const i = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4', intermediario: true });
    const client = new Client(t.app);
    await login(client, i.codiceFiscale, 'K7X9M3P4');
    const board = await client.get('/bacheca');
    expect(board.body).toContain('Profilo: Cittadino');
    expect(board.body).toContain('Cambia profilo');
    await client.follow(await client.post('/profilo/cambia', {}));
    expect(client.lastHtml).toContain('Profilo: Intermediario istituzionale');
    const plain = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const other = new Client(t.app);
    await login(other, plain.codiceFiscale, 'K7X9M3P4');
    expect((await other.get('/bacheca')).body).not.toContain('Cambia profilo');
    await other.post('/profilo/cambia', {});
    expect((await other.get('/bacheca')).body).toContain('Profilo: Cittadino');
  });

  it('a service that needs login sends to /accedi and back, same-site only', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    const res = await client.get('/profilo');
    expect(res.headers.location).toBe('/accedi?richiesto=1&ritorno=%2Fprofilo');
    const page = await client.follow(res);
    expect(page.body).toContain('name="ritorno" value="/profilo"');
    expect((await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4', ritorno: '/profilo' })).headers.location).toBe('/profilo');
    const evil = new Client(t.app);
    expect((await login(evil, c.codiceFiscale, 'K7X9M3P4', '//evil.example/x')).headers.location).toBe('/bacheca');
  });

  it('R16: the profile says how the citizen is authenticated, the previous access, masked contacts and recent accesses', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const first = new Client(t.app);
    await login(first, c.codiceFiscale, 'K7X9M3P4');
    expect((await first.get('/profilo')).body).toContain('Questo è il tuo primo accesso.');
    clock.advanceMinutes(90);
    const second = new Client(t.app);
    await login(second, c.codiceFiscale, 'WRONG111');
    await login(second, c.codiceFiscale, 'K7X9M3P4');
    const profile = (await second.get('/profilo')).body;
    expect(profile).toContain('Sei autenticato con PIN Non Dispositivo');
    expect(profile).toContain(c.codiceFiscale);
    expect(profile).toMatch(/Hai effettuato il tuo ultimo accesso il \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/);
    expect(profile).toContain(mask('+393331234567'));
    expect(profile).not.toContain('+393331234567');
    expect(profile).toContain(mask('giuseppe.verdi@example.org'));
    expect(mask('giuseppe.verdi@example.org')).toBe('gi************@example.org');
    expect(profile).toContain('PIN errato');
  });
});

describe('R9 across processes: 40 parallel wrong attempts through two app instances (PostgreSQL)', () => {
  it('verify exactly 10, refuse 30, block once 5 minutes after the tenth', async () => {
    const shared = await freshDatabase('postgres');
    const hasher = countingHasher(hasherBase);
    const key = 'b'.repeat(64);
    const a = await buildTestApp('postgres', { VARCO_SECRET_KEY: key }, { hasher, db: shared });
    const second = await freshDatabase('postgres');
    await second.db.destroy();
    const { openDatabase } = await import('../src/db/database.js');
    const dbB = await openDatabase({ databaseUrl: shared.url, dataDir: '' });
    const b = await buildTestApp('postgres', { VARCO_SECRET_KEY: key }, { hasher, db: { db: dbB, url: shared.url } });
    try {
      const c = await givenCitizenWithPin(shared.db, hasherBase, { pin: 'K7X9M3P4' });
      const clients = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const client = new Client(i % 2 ? a.app : b.app, { 'x-forwarded-for': `10.0.0.${i}` });
          await client.get('/accedi');
          return client;
        }),
      );
      const before = hasher.verifies;
      const started = Date.now();
      const results = await Promise.all(clients.map((client) => client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'WRONG111' })));
      expect(hasher.verifies - before).toBe(10);
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 401)).toHaveLength(9);
      expect(statuses.filter((s) => s === 423)).toHaveLength(31);
      const row = await shared.db.selectFrom('lockouts').selectAll().where('cf_key', '=', c.codiceFiscale).executeTakeFirstOrThrow();
      expect(row.failures).toBe(10);
      const until = new Date(row.blocked_until!).getTime();
      expect(until).toBeGreaterThanOrEqual(started + 5 * 60_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
      const audit = await shared.db.selectFrom('audit_events').select('event').where('subject_cf', '=', c.codiceFiscale).execute();
      expect(audit.filter((e) => e.event === 'login.failed')).toHaveLength(10);
      expect(audit.filter((e) => e.event === 'login.refused_blocked')).toHaveLength(30);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
