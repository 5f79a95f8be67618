import { describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { recordContactChange } from '../src/flows/recapiti/history.js';
import { formatRome } from '../src/domain/rome-time.js';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { processRipristino } from './support/ripristino.js';
import { givenCitizenWithPin } from './support/pins.js';
import { auditOf, outboxOf } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

describe.each(ENGINES)('Ripristino del PIN (R13) on %s', (engine) => {
  let now = new Date('2026-05-04T10:00:00Z');
  const t = useTestApp(engine, {}, { now: () => now, hasher });
  const box = () => createSecretBox(t.config.secretKey);

  /** The citizen's request, then the worker's step that handles it. */
  async function ask(form: Record<string, string>) {
    const client = new Client(t.app);
    await client.get('/pin/ripristino');
    const res = await client.post('/pin/ripristino', form);
    await processRipristino(t, hasher, () => now);
    return res;
  }

  async function secretOf(citizenCf: string, template: string): Promise<{ secret: string; channel: string; recipient: string }[]> {
    const rows = await t.db
      .selectFrom('outbox_messages')
      .innerJoin('citizens', 'citizens.id', 'outbox_messages.citizen_id')
      .select(['outbox_messages.id', 'outbox_messages.secret_ciphertext', 'outbox_messages.channel', 'outbox_messages.recipient'])
      .where('citizens.codice_fiscale', '=', citizenCf)
      .where('outbox_messages.template', '=', template)
      .orderBy('outbox_messages.created_at')
      .execute();
    return rows.map((r) => ({ secret: r.secret_ciphertext ? box().open(r.secret_ciphertext, r.id) : '', channel: r.channel, recipient: r.recipient }));
  }

  async function confirm(cf: string, code: string) {
    const client = new Client(t.app);
    await client.get('/pin/ripristino/conferma');
    return client.post('/pin/ripristino/conferma', { codiceFiscale: cf, codice: code });
  }

  async function login(cf: string, pin: string) {
    const client = new Client(t.app);
    await client.get('/accedi');
    return { client, res: await client.post('/accedi', { codiceFiscale: cf, pin }) };
  }

  it('CF + two verified contacts → email with a code → new 16-character PIN split over the two contacts → first access; dispositivo kept', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4', dispositivo: true });
    const before = await login(c.codiceFiscale, 'K7X9M3P4');
    expect((await before.client.get('/bacheca')).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) await login(c.codiceFiscale, 'WRONG111');

    const res = await ask({ codiceFiscale: c.codiceFiscale, cellulare: '333 1234567', email: 'Giuseppe.Verdi@example.org' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('La richiesta di ripristino del PIN è stata accettata.');
    const [mail] = await secretOf(c.codiceFiscale, 'ripristino.code');
    expect(mail).toMatchObject({ channel: 'email', recipient: 'Giuseppe.Verdi@example.org' });
    const stored = await t.db.selectFrom('ripristino_codes').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(mail!.secret);

    const done = await confirm(c.codiceFiscale, mail!.secret.toLowerCase());
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('La procedura di ripristino del PIN si è conclusa correttamente.');
    expect(done.body).toContain('I primi 8 caratteri del suo nuovo PIN via SMS sul suo cellulare;');
    expect(done.body).toContain('I secondi 8 caratteri del suo nuovo codice PIN via EMAIL');
    const [first] = await secretOf(c.codiceFiscale, 'pin.restoredFirst');
    const [second] = await secretOf(c.codiceFiscale, 'pin.restoredSecond');
    expect(first).toMatchObject({ channel: 'sms', recipient: '+393331234567' });
    expect(second).toMatchObject({ channel: 'email', recipient: 'Giuseppe.Verdi@example.org' });

    expect((await before.client.get('/bacheca')).statusCode).toBe(303);
    expect((await login(c.codiceFiscale, 'K7X9M3P4')).res.statusCode).toBe(401);
    const fresh = await login(c.codiceFiscale, `${first!.secret}${second!.secret}`);
    expect(fresh.res.headers.location).toBe('/accedi/cambio-pin');
    await fresh.client.get('/accedi/cambio-pin');
    expect((await fresh.client.post('/accedi/cambio-pin', { pin: 'H3K7N9R4', confirm: 'H3K7N9R4' })).headers.location).toBe('/bacheca?pin=modificato');
    expect((await fresh.client.get('/profilo')).body).toContain('Sei autenticato con PIN Dispositivo');
    expect((await confirm(c.codiceFiscale, mail!.secret)).body).toContain('già usati o scaduti');
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'ripristino.%' }).select('event').execute();
    expect(audit.map((a) => a.event)).toEqual(['ripristino.requested', 'ripristino.completed', 'ripristino.failed']);
  });

  it('the web step only stores the request, encrypted: the same work whatever the data', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    await client.get('/pin/ripristino');
    const csrf = client.csrf();
    const counts = async () =>
      Promise.all(
        (['outbox_messages', 'ripristino_codes', 'ripristino_requests', 'audit_events'] as const).map(async (table) =>
          Number((await t.db.selectFrom(table).select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        ),
      );
    const before = await counts();
    const r1 = await client.post('/pin/ripristino', { codiceFiscale: c.codiceFiscale, cellulare: '3331234567', email: 'giuseppe.verdi@example.org' }, { csrf });
    expect(r1.statusCode, r1.body.slice(0, 300)).toBe(200);
    const afterMatch = await counts();
    const r2 = await client.post('/pin/ripristino', { codiceFiscale: 'RSSMRA85T10A562S', cellulare: '3331234567', email: 'nobody@example.org' }, { csrf });
    expect(r2.body.replace(csrf, '')).toBe(r1.body.replace(csrf, ''));
    const afterNoMatch = await counts();
    expect(afterMatch.map((n, i) => n - before[i]!)).toEqual([0, 0, 1, 0]);
    expect(afterNoMatch.map((n, i) => n - afterMatch[i]!)).toEqual([0, 0, 1, 0]);
    const stored = await t.db.selectFrom('ripristino_requests').select('payload_sealed').execute();
    expect(JSON.stringify(stored)).not.toContain(c.codiceFiscale);
    await processRipristino(t, hasher, () => now);
    expect(await t.db.selectFrom('ripristino_requests').select('id').execute()).toHaveLength(0);
    expect(await secretOf(c.codiceFiscale, 'ripristino.code')).toHaveLength(1);
  });

  it('answers the same page whatever the data, and only a matching citizen gets an email', async () => {
    const active = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const initial = await givenCitizenWithPin(t.db, hasher, { pin: 'X9K4T7M3W4P9R3N7', state: 'initial' });
    const strip = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');
    const bodies = [
      await ask({ codiceFiscale: 'BNCMRA80A01H501X'.slice(0, 15) + 'X', cellulare: '3331234567', email: 'giuseppe.verdi@example.org' }),
      await ask({ codiceFiscale: active.codiceFiscale, cellulare: '3331234567', email: 'someone.else@example.org' }),
      await ask({ codiceFiscale: initial.codiceFiscale, cellulare: '3331234567', email: 'giuseppe.verdi@example.org' }),
      await ask({ codiceFiscale: active.codiceFiscale, cellulare: '3331234567', email: 'giuseppe.verdi@example.org' }),
    ];
    const valid = bodies.filter((b) => b.statusCode === 200);
    expect(new Set(valid.map((b) => strip(b.body))).size).toBe(1);
    expect(await secretOf(initial.codiceFiscale, 'ripristino.initialLost')).toHaveLength(1);
    expect(await secretOf(initial.codiceFiscale, 'ripristino.code')).toHaveLength(0);
    expect(await secretOf(active.codiceFiscale, 'ripristino.code')).toHaveLength(1);
  });

  it('a code expires, and dies after 5 wrong tries', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4', pec: 'gv@pec.example.it' });
    await ask({ codiceFiscale: c.codiceFiscale, email: 'giuseppe.verdi@example.org', pec: 'gv@pec.example.it' });
    const [mail] = await secretOf(c.codiceFiscale, 'ripristino.code');
    now = new Date(now.getTime() + 61 * 60_000);
    expect((await confirm(c.codiceFiscale, mail!.secret)).body).toContain('già usati o scaduti');

    await ask({ codiceFiscale: c.codiceFiscale, email: 'giuseppe.verdi@example.org', pec: 'gv@pec.example.it' });
    const codes = await secretOf(c.codiceFiscale, 'ripristino.code');
    const code = codes[codes.length - 1]!.secret;
    for (let i = 0; i < 5; i++) expect((await confirm(c.codiceFiscale, 'AAAAAAAA')).statusCode).toBe(422);
    expect((await confirm(c.codiceFiscale, code)).body).toContain('già usati o scaduti');

    await ask({ codiceFiscale: c.codiceFiscale, email: 'giuseppe.verdi@example.org', pec: 'gv@pec.example.it' });
    const last = (await secretOf(c.codiceFiscale, 'ripristino.code')).pop()!.secret;
    const ok = await confirm(c.codiceFiscale, last);
    expect(ok.body).toContain('via EMAIL');
    expect(ok.body).toContain('via PEC');
    const [first] = await secretOf(c.codiceFiscale, 'pin.restoredFirst');
    expect(first).toMatchObject({ channel: 'email' });
  });

  it('issue 12 F2: a contact changed less than VARCO_CONTACT_COOLOFF_DAYS ago gets no code, only an email saying from when; the same page either way', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4', pec: 'gv@pec.example.it' });
    const changedAt = now;
    await recordContactChange(t.db, {
      citizenId: c.citizenId,
      kind: 'email',
      previous: 'vecchia@example.org',
      next: 'giuseppe.verdi@example.org',
      source: 'recapiti',
      at: changedAt,
    });
    const strip = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');
    const refused = await ask({ codiceFiscale: c.codiceFiscale, email: 'giuseppe.verdi@example.org', pec: 'gv@pec.example.it' });
    expect(refused.statusCode).toBe(200);
    expect(await secretOf(c.codiceFiscale, 'ripristino.code')).toHaveLength(0);
    const [why] = await secretOf(c.codiceFiscale, 'ripristino.coolingOff');
    expect(why).toMatchObject({ channel: 'email', recipient: 'giuseppe.verdi@example.org' });
    const params = (await outboxOf(t.db, { template: 'ripristino.coolingOff', citizenId: c.citizenId }).select('params').executeTakeFirstOrThrow()).params;
    expect(params).toMatchObject({ days: '14', date: formatRome(new Date(changedAt.getTime() + 14 * 86_400_000)).slice(0, 16) });
    // The kinds not changed are not held back: cellulare and PEC may restore at once.
    const other = await ask({ codiceFiscale: c.codiceFiscale, cellulare: '3331234567', pec: 'gv@pec.example.it' });
    expect(strip(other.body)).toBe(strip(refused.body));
    expect(await secretOf(c.codiceFiscale, 'ripristino.code')).toHaveLength(1);
    // Past the cool-off, the changed email works again.
    now = new Date(changedAt.getTime() + 14 * 86_400_000 + 60_000);
    await ask({ codiceFiscale: c.codiceFiscale, email: 'giuseppe.verdi@example.org', pec: 'gv@pec.example.it' });
    expect(await secretOf(c.codiceFiscale, 'ripristino.code')).toHaveLength(2);
    const done = await confirm(c.codiceFiscale, (await secretOf(c.codiceFiscale, 'ripristino.code')).pop()!.secret);
    expect(done.statusCode).toBe(200);
    // The contact replaced is told of the ripristino, with a "Non sono stato io" link.
    const [told] = await secretOf(c.codiceFiscale, 'ripristino.previousContact');
    expect(told).toMatchObject({ channel: 'email', recipient: 'vecchia@example.org' });
    expect(told!.secret).toContain('/non-sono-stato-io?t=');
  });

  it('asks for at least two well-formed contacts', async () => {
    const one = await ask({ codiceFiscale: 'RSSMRA85T10A562S', cellulare: '3331234567' });
    expect(one.statusCode).toBe(422);
    expect(one.body).toContain('Indica almeno due contatti');
    const bad = await ask({ codiceFiscale: 'RSSMRA85T10A562X', cellulare: '12', email: 'x' });
    expect(bad.body).toContain('il carattere di controllo');
    expect(bad.body).toContain('Cellulare: numero non valido');
    expect(bad.body).toContain('Indirizzo Email: indirizzo non valido');
  });

  it('the lost-PIN page offers RIPRISTINA PIN and REVOCA PIN', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/pin/smarrito' });
    expect(res.body).toContain('href="/pin/ripristino"');
    expect(res.body).toContain('RIPRISTINA PIN');
    expect(res.body).toContain('REVOCA PIN');
  });
});
