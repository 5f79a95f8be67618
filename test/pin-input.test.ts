import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { type TestApp, Client, buildTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { countingHasher, givenCitizenWithPin } from './support/pins.js';

const INITIAL = 'X9K4T7M3W4P9R3N7';
const hasherBase = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

async function login(client: Client, cf: string, pin: string) {
  await client.get('/accedi');
  return client.post('/accedi', { codiceFiscale: cf, pin });
}

/** Issue 13 part 2, items 1 and 8: the PIN as printed, and a chosen PIN of any letters and digits. */
describe.each(ENGINES)('typing a PIN (issue 13 items 1 and 8) on %s', (engine) => {
  let t: TestApp;
  let now = new Date('2026-06-01T09:00:00Z');
  const hasher = countingHasher(hasherBase);
  beforeAll(async () => {
    t = await buildTestApp(engine, {}, { now: () => now, hasher });
  });
  afterAll(async () => {
    await t.close();
  });
  const failures = async (cf: string) => (await t.db.selectFrom('lockouts').select('failures').where('cf_key', '=', cf).executeTakeFirst())?.failures ?? 0;

  it('the initial PIN as printed, grouped by spaces and dashes, any case, opens the first access', async () => {
    const typings = [
      'X9K4 T7M3 W4P9 R3N7',
      'x9k4t7m3 - w4p9 r3n7',
      'X9K4-T7M3-W4P9-R3N7',
      'X9K4\u00a0T7M3\u2013W4P9\u2011R3N7', // no-break space, en dash, non-breaking hyphen: a copy from a PDF
      ' X9K4T7M3 W4P9 R3N7 ',
    ];
    for (const typed of typings) {
      const c = await givenCitizenWithPin(t.db, hasherBase, { pin: INITIAL, state: 'initial' });
      const res = await login(new Client(t.app), c.codiceFiscale, typed);
      expect(res.headers.location, typed).toBe('/accedi/cambio-pin');
      expect(await failures(c.codiceFiscale)).toBe(0);
    }
  });

  it('the login form says so, and its field holds the printed form (maxlength above 16)', async () => {
    const page = await new Client(t.app).get('/accedi');
    expect(page.body).toContain('Puoi scriverlo con o senza spazi o trattini');
    const maxlength = Number(/id="f-pin"[^>]*maxlength="(\d+)"/s.exec(page.body)![1]);
    expect(maxlength).toBeGreaterThanOrEqual('X9K4 T7M3 - W4P9 R3N7'.length);
    const de = new Client(t.app);
    await de.get('/lingua/de?next=/accedi');
    expect((await de.get('/accedi')).body).toContain('mit oder ohne Leerzeichen');
  });

  it('a truly wrong PIN, grouped as printed, still counts toward R9 and is checked once', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    const verifies = hasher.verifies;
    const wrong = await login(client, c.codiceFiscale, 'K7X9 M3P5');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Codice fiscale o PIN non corretti');
    expect(hasher.verifies - verifies).toBe(1);
    expect(await failures(c.codiceFiscale)).toBe(1);
    for (let i = 2; i <= 9; i++) expect((await login(client, c.codiceFiscale, 'k7x9-m3p5')).statusCode).toBe(401);
    expect((await login(client, c.codiceFiscale, 'K7X9 - M3P5')).statusCode).toBe(423);
    now = new Date(now.getTime() + 6 * 60_000);
    expect((await login(client, c.codiceFiscale, 'k7x9 m3p4')).headers.location).toBe('/bacheca');
    expect(await failures(c.codiceFiscale)).toBe(0);
  });

  it('what cannot be a PIN is a field error: not checked, not counted, never a 500', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    const cases: [string, string][] = [
      [' - -  ', 'PIN: campo obbligatorio.'],
      ['K7X9M3P!', 'il PIN contiene solo lettere e numeri'],
      ['K7X9M3Pß', 'il PIN contiene solo lettere e numeri'], // "ß" upper-cases to "SS": refused before
      ['K7X9M3PÈ', 'il PIN contiene solo lettere e numeri'],
      ['K7X9M3P', 'il PIN ha 8 caratteri, oppure 16'],
      ['K7X9 M3P4 K', 'il PIN ha 8 caratteri, oppure 16'],
      ['K'.repeat(5000), 'il PIN ha 8 caratteri, oppure 16'],
      ['K7X9\u0000M3P4', 'contiene caratteri non ammessi'], // a control character: the shared field check (F-NUL)
    ];
    const verifies = hasher.verifies;
    for (const [typed, message] of cases) {
      const res = await login(client, c.codiceFiscale, typed);
      expect(res.statusCode, typed.slice(0, 20)).toBe(422);
      expect(res.body).toContain(message);
      expect(res.body).toMatch(/id="f-pin"[^>]*aria-invalid="true"/s);
    }
    expect(hasher.verifies).toBe(verifies);
    expect(await failures(c.codiceFiscale)).toBe(0);
    const audit = await t.db.selectFrom('audit_events').select('event').where('subject_cf', '=', c.codiceFiscale).execute();
    expect(audit).toEqual([]);
  });

  it('the current PIN at Modifica PIN and at the contact change is read the same way', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    await login(client, c.codiceFiscale, 'K7X9M3P4');
    const page = await client.get('/accedi/cambio-pin');
    expect(page.body).toMatch(/id="f-current"[^>]*maxlength="32"/s);
    expect(page.body).toContain('Puoi scriverlo con o senza spazi o trattini');
    const malformed = await client.post('/accedi/cambio-pin', { current: 'K7X9-M3P!', pin: 'H3K7N9R4', confirm: 'H3K7N9R4' });
    expect(malformed.statusCode).toBe(422);
    expect(malformed.body).toContain('PIN attuale: il PIN contiene solo lettere e numeri');
    expect(await failures(c.codiceFiscale)).toBe(0);
    const wrong = await client.post('/accedi/cambio-pin', { current: 'K7X9 M3P5', pin: 'H3K7N9R4', confirm: 'H3K7N9R4' });
    expect(wrong.body).toContain('PIN attuale: non corretto.');
    expect(await failures(c.codiceFiscale)).toBe(1);
    const done = await client.post('/accedi/cambio-pin', { current: 'k7x9 - m3p4', pin: 'H3K7 N9R4', confirm: 'h3k7-n9r4' });
    expect(done.headers.location).toBe('/bacheca?pin=modificato');

    await client.get('/profilo/recapiti');
    const badPin = await client.post('/profilo/recapiti', { tipo: 'email', valore: 'nuovo@example.org', pin: '----' });
    expect(badPin.statusCode).toBe(422);
    expect(badPin.body).toContain('PIN attuale: campo obbligatorio.');
    const changed = await client.post('/profilo/recapiti', { tipo: 'email', valore: 'nuovo@example.org', pin: 'h3k7 n9r4' });
    expect(changed.headers.location).toBe('/profilo/recapiti/verifica');
  });

  it('item 8: a chosen PIN may use any letters and digits, look-alikes included; case and separators do not matter', async () => {
    const c = await givenCitizenWithPin(t.db, hasherBase, { pin: INITIAL, state: 'initial' });
    const client = new Client(t.app);
    await login(client, c.codiceFiscale, INITIAL);
    await client.get('/accedi/cambio-pin');
    const page = await client.get('/accedi/cambio-pin');
    expect(page.body).toContain('8 caratteri alfanumerici (lettere e numeri');
    const refused: [string, string][] = [
      ['ÀBC1O0IL', 'usa solo lettere e numeri'],
      ['Q0O1Z5S!', 'usa solo lettere e numeri'],
      ['ABCD7K9X', 'sequenza o la ripetizione'],
      ['Q1234Z8S', 'sequenza o la ripetizione'],
      ['Q9876Z8S', 'sequenza o la ripetizione'],
      ['Q0O1Z5S', 'deve avere esattamente 8 caratteri'],
    ];
    for (const [pin, message] of refused) {
      const r = await client.post('/accedi/cambio-pin', { pin, confirm: pin });
      expect(r.statusCode, pin).toBe(422);
      expect(r.body).toContain(message);
    }
    const done = await client.post('/accedi/cambio-pin', { pin: 'q0o1 z5s8', confirm: 'Q0O1-Z5S8' });
    expect(done.headers.location).toBe('/bacheca?pin=modificato');
    const stored = await t.db.selectFrom('credentials').select('pin_hash').where('id', '=', c.credentialId).executeTakeFirstOrThrow();
    expect(await hasherBase.verify(stored.pin_hash, 'Q0O1Z5S8')).toBe(true);
    expect((await login(new Client(t.app), c.codiceFiscale, 'q0o1z5s8')).headers.location).toBe('/bacheca');
    expect((await login(new Client(t.app), c.codiceFiscale, 'QOO1Z5S8')).statusCode).toBe(401);
  });
});
