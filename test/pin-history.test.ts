import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { revokeCredential } from '../src/flows/revoca/service.js';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { processRipristino } from './support/ripristino.js';
import { givenCitizenWithPin } from './support/pins.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const REUSED = 'non può coincidere con uno degli ultimi 5 PIN';

/**
 * Issue 13 part 2 item 7: the change page says the new PIN "non può coincidere … con uno degli
 * ultimi 5 PIN"; that holds for every PIN the citizen chooses — Modifica PIN, expiry, and the
 * first access after a ripristino or after a revoca and a new PIN.
 */
describe.each(ENGINES)('the last 5 PINs (issue 13 item 7) on %s', (engine) => {
  let now = new Date('2026-07-01T09:00:00Z');
  const t = useTestApp(engine, {}, { now: () => now, hasher });
  const box = () => createSecretBox(t.config.secretKey);

  async function login(cf: string, pin: string) {
    const client = new Client(t.app);
    await client.get('/accedi');
    return { client, res: await client.post('/accedi', { codiceFiscale: cf, pin }) };
  }

  async function change(client: Client, fields: Record<string, string>) {
    await client.get('/accedi/cambio-pin');
    return client.post('/accedi/cambio-pin', fields);
  }

  /** Seed 004's ripristino end to end: request, worker, code by email, new 16-character PIN. */
  async function ripristino(cf: string): Promise<string> {
    const client = new Client(t.app);
    await client.get('/pin/ripristino');
    await client.post('/pin/ripristino', { codiceFiscale: cf, cellulare: '333 1234567', email: 'giuseppe.verdi@example.org' });
    await processRipristino(t, hasher, () => now);
    const code = await secretsOf(cf, 'ripristino.code');
    const confirm = new Client(t.app);
    await confirm.get('/pin/ripristino/conferma');
    const done = await confirm.post('/pin/ripristino/conferma', { codiceFiscale: cf, codice: code.at(-1)! });
    expect(done.body).toContain('La procedura di ripristino del PIN si è conclusa correttamente.');
    return `${(await secretsOf(cf, 'pin.restoredFirst')).at(-1)}${(await secretsOf(cf, 'pin.restoredSecond')).at(-1)}`;
  }

  async function secretsOf(cf: string, template: string): Promise<string[]> {
    const rows = await t.db
      .selectFrom('outbox_messages')
      .innerJoin('citizens', 'citizens.id', 'outbox_messages.citizen_id')
      .select(['outbox_messages.id', 'outbox_messages.secret_ciphertext'])
      .where('citizens.codice_fiscale', '=', cf)
      .where('outbox_messages.template', '=', template)
      .orderBy('outbox_messages.created_at')
      .execute();
    return rows.map((r) => box().open(r.secret_ciphertext!, r.id));
  }

  it('after a ripristino, the PIN that was lost may not be chosen again at first access, nor the 4 before it; the 6th back may', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const { client } = await login(c.codiceFiscale, 'K7X9M3P4');
    const chosen = ['K7X9M3P4', 'H3K7N9R4', 'T7W3X9A4', 'C9E7F3H4', 'J3M7P9R4', 'W7X3Y9C4'];
    for (let i = 1; i < chosen.length; i++) {
      const r = await change(client, { current: chosen[i - 1]!, pin: chosen[i]!, confirm: chosen[i]! });
      expect(r.headers.location, chosen[i]).toBe('/bacheca?pin=modificato');
    }
    now = new Date(now.getTime() + 60_000);
    const initial = await ripristino(c.codiceFiscale);
    expect(initial).toHaveLength(16);

    const first = await login(c.codiceFiscale, initial);
    expect(first.res.headers.location).toBe('/accedi/cambio-pin');
    // The last 5, the one lost included, each typed as the citizen might (lower case, grouped).
    for (const old of chosen.slice(1)) {
      const typed = `${old.slice(0, 4)} ${old.slice(4)}`.toLowerCase();
      const r = await change(first.client, { pin: typed, confirm: typed });
      expect(r.statusCode, old).toBe(422);
      expect(r.body).toContain(REUSED);
    }
    const sixthBack = await change(first.client, { pin: chosen[0]!, confirm: chosen[0]! });
    expect(sixthBack.headers.location).toBe('/bacheca?pin=modificato');
    expect((await login(c.codiceFiscale, chosen[0]!)).res.headers.location).toBe('/bacheca');
  });

  it('a ripristino right after the first access: the only chosen PIN is refused, and the generated ones take no place among the 5', async () => {
    const initial = 'X9K4T7M3W4P9R3N7';
    const c = await givenCitizenWithPin(t.db, hasher, { pin: initial, state: 'initial' });
    const { client } = await login(c.codiceFiscale, initial);
    expect((await change(client, { pin: 'H3K7N9R4', confirm: 'H3K7N9R4' })).headers.location).toBe('/bacheca?pin=modificato');
    now = new Date(now.getTime() + 60_000);
    const restored = await ripristino(c.codiceFiscale);
    const first = await login(c.codiceFiscale, restored);
    expect((await change(first.client, { pin: 'H3K7N9R4', confirm: 'H3K7N9R4' })).body).toContain(REUSED);
    expect((await change(first.client, { pin: 'T7W3X9A4', confirm: 'T7W3X9A4' })).headers.location).toBe('/bacheca?pin=modificato');
    const kept = await t.db.selectFrom('pin_history').select('pin_hash').where('citizen_id', '=', c.citizenId).orderBy('id').execute();
    expect(kept).toHaveLength(1);
    expect(await hasher.verify(kept[0]!.pin_hash, 'H3K7N9R4')).toBe(true);
  });

  it('an expired PIN may not be chosen again as it is, nor one of the 4 before it', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const { client } = await login(c.codiceFiscale, 'K7X9M3P4');
    expect((await change(client, { current: 'K7X9M3P4', pin: 'H3K7N9R4', confirm: 'H3K7N9R4' })).headers.location).toBe('/bacheca?pin=modificato');
    now = new Date(now.getTime() + 200 * 86_400_000);
    const expired = await login(c.codiceFiscale, 'H3K7N9R4');
    expect(expired.res.headers.location).toBe('/accedi/cambio-pin');
    expect((await expired.client.get('/accedi/cambio-pin')).body).toContain('Il tuo PIN è scaduto');
    for (const old of ['H3K7N9R4', 'K7X9M3P4']) expect((await change(expired.client, { pin: old, confirm: old })).body, old).toContain(REUSED);
    expect((await change(expired.client, { pin: 'C9E7F3H4', confirm: 'C9E7F3H4' })).headers.location).toBe('/bacheca?pin=modificato');
  });

  it('a revoked PIN and those before it stay among the 5 for the next credential of the citizen', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const { client } = await login(c.codiceFiscale, 'K7X9M3P4');
    expect((await change(client, { current: 'K7X9M3P4', pin: 'H3K7N9R4', confirm: 'H3K7N9R4' })).headers.location).toBe('/bacheca?pin=modificato');
    await t.db
      .transaction()
      .execute((trx) => revokeCredential(trx, box(), { citizenId: c.citizenId, credentialId: c.credentialId, now }, { actor: 'test', ip: '127.0.0.1' }, {}));
    const initial = 'W4P9R3N7X9K4T7M3';
    await t.db
      .insertInto('credentials')
      .values({ id: randomUUID(), citizen_id: c.citizenId, state: 'initial', pin_hash: await hasher.hash(initial), dispositivo: false, channel: 'web' })
      .execute();
    const first = await login(c.codiceFiscale, initial);
    expect(first.res.headers.location).toBe('/accedi/cambio-pin');
    for (const old of ['H3K7N9R4', 'K7X9M3P4']) expect((await change(first.client, { pin: old, confirm: old })).body, old).toContain(REUSED);
    expect((await change(first.client, { pin: 'J3M7P9R4', confirm: 'J3M7P9R4' })).headers.location).toBe('/bacheca?pin=modificato');
  });

  it("the history keeps only the citizen's last 5 chosen PINs, as argon2id hashes", async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const { client } = await login(c.codiceFiscale, 'K7X9M3P4');
    const chosen = ['K7X9M3P4', 'H3K7N9R4', 'T7W3X9A4', 'C9E7F3H4', 'J3M7P9R4', 'W7X3Y9C4', 'A3C7E9H4', 'R4T7X9M3'];
    for (let i = 1; i < chosen.length; i++) await change(client, { current: chosen[i - 1]!, pin: chosen[i]!, confirm: chosen[i]! });
    const kept = await t.db.selectFrom('pin_history').select(['pin_hash', 'credential_id']).where('citizen_id', '=', c.citizenId).orderBy('id').execute();
    expect(kept).toHaveLength(5);
    for (const [i, row] of kept.entries()) {
      expect(row.pin_hash).toMatch(/^\$argon2id\$/);
      expect(await hasher.verify(row.pin_hash, chosen[i + 2]!)).toBe(true);
    }
  });
});
