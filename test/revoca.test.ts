import { describe, expect, it } from 'vitest';
import { CAPTCHA_HEIGHT, CAPTCHA_WIDTH, captchaPrompt } from '../src/security/captcha.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { importTessere } from '../src/flows/revoca/tessere.js';
import { Client } from './support/app.js';
import { ENGINES } from './support/db.js';
import { givenCitizenWithPin } from './support/pins.js';
import { auditOf, outboxOf } from './support/rows.js';
import { useTestAppAt } from './support/clock.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const CARD = '80380000000012345678';
const captchaIdOf = (body: string) => /name="captchaId" value="([^"]+)"/.exec(body)![1]!;
/** The page without what legitimately differs from one rendering to the next. */
const normalized = (body: string, typed: string) =>
  body
    .replace(/[0-9a-f-]{36}/g, 'ID')
    .replace(/name="_csrf" value="[^"]+"/, '')
    .replaceAll(typed, 'TYPED');

describe.each(ENGINES)('Revoca del PIN (R14) on %s', (engine) => {
  const { t, clock } = useTestAppAt(engine, '2026-06-01T10:00:00Z', {}, hasher);
  const box = () => createSecretBox(t.config.secretKey);

  async function withCard() {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    await importTessere(t.db, { text: `codice_fiscale;numero_tessera;scadenza\n${c.codiceFiscale};${CARD};2029-12-31\n` });
    return c;
  }

  /** Opens the form and reads the Codice di Controllo the way a person reads the image. */
  async function openForm(client: Client, action?: string) {
    const res = action ? await client.post('/pin/revoca', { azione: action }) : await client.get('/pin/revoca');
    const id = captchaIdOf(res.body);
    const prompt = (await captchaPrompt(t.db, box(), id, clock.now))!;
    return { res, id, answer: prompt.prompt };
  }

  async function submit(client: Client, form: Record<string, string>, captcha?: { id: string; answer: string }) {
    const c = captcha ?? (await openForm(client));
    return client.post('/pin/revoca', { captchaId: c.id, captcha: c.answer.toLowerCase(), azione: 'avanti', ...form });
  }

  /** F8: the codes the accessible alternative sent, newest first (decrypted as the mail would carry them). */
  async function controlCodesSent(to?: string) {
    let q = outboxOf(t.db, { template: 'revoca.controllo' }).select(['id', 'recipient', 'secret_ciphertext']);
    if (to) q = q.where('recipient', '=', to);
    const rows = await q.orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({ to: r.recipient, code: box().open(r.secret_ciphertext!, r.id) }));
  }

  async function linkFor(cf: string): Promise<string> {
    const row = await t.db
      .selectFrom('outbox_messages')
      .innerJoin('citizens', 'citizens.id', 'outbox_messages.citizen_id')
      .select(['outbox_messages.id', 'outbox_messages.secret_ciphertext'])
      .where('citizens.codice_fiscale', '=', cf)
      .where('outbox_messages.template', '=', 'revoca.link')
      .orderBy('outbox_messages.created_at', 'desc')
      .executeTakeFirstOrThrow();
    return box().open(row.secret_ciphertext!, row.id);
  }

  it('tessera + own email + Codice di Controllo → confirm → link by email → PIN revoked, sessions ended, new request allowed', async () => {
    const c = await withCard();
    const session = new Client(t.app);
    await session.get('/accedi');
    await session.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' });

    const client = new Client(t.app);
    const res = await submit(client, {
      codiceFiscale: c.codiceFiscale,
      numeroTessera: `${CARD.slice(0, 10)} ${CARD.slice(10)}`,
      scadenzaTessera: '31/12/2029',
      email: 'mio.indirizzo@example.net',
    });
    expect(res.headers.location).toBe('/pin/revoca/conferma');
    const confirmPage = await client.follow(res);
    expect(confirmPage.body).toContain('mio.indirizzo@example.net');
    const sent = await client.post('/pin/revoca/conferma', { azione: 'conferma' });
    expect(sent.body).toContain('La richiesta di revoca è stata registrata');
    const told = await outboxOf(t.db, { template: ['revoca.link', 'revoca.requested'] })
      .select(['template', 'recipient'])
      .orderBy('template')
      .execute();
    expect(told).toEqual([
      { template: 'revoca.link', recipient: 'mio.indirizzo@example.net' },
      { template: 'revoca.requested', recipient: 'giuseppe.verdi@example.org' },
    ]);

    const link = await linkFor(c.codiceFiscale);
    const token = new URL(link).searchParams.get('t')!;
    const page = await client.get(`/pin/revoca/completa?t=${token}`);
    expect(page.body).toContain('REVOCA IL PIN');
    const csrf = client.csrf();
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('active');
    const done = await client.post('/pin/revoca/completa', { t: token });
    expect(done.body).toContain('Il PIN è stato revocato');
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('revoked');
    expect((await session.get('/bacheca')).statusCode).toBe(303);
    expect((await client.post('/pin/revoca/completa', { t: token }, { csrf })).body).toContain('non è valido, è già stato usato o è scaduto');

    const login = new Client(t.app);
    await login.get('/accedi');
    expect((await login.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' })).body).toContain('Il PIN indicato è stato revocato');
    const again = new Client(t.app);
    await again.get('/pin/richiesta');
    expect((await again.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' })).statusCode).toBe(303);
    const completed = await outboxOf(t.db, { template: 'revoca.completed' }).select('recipient').execute();
    expect(completed.map((m) => m.recipient).sort()).toEqual(['giuseppe.verdi@example.org', 'mio.indirizzo@example.net']);
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'revoca.%' }).select('event').execute();
    expect(audit.map((a) => a.event)).toEqual(['revoca.requested', 'revoca.completed']);
  });

  it('refuses a wrong or reused Codice di Controllo, and a tessera of someone else, changing nothing', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    const captcha = await openForm(client);
    const wrong = await client.post('/pin/revoca', {
      captchaId: captcha.id,
      captcha: 'XXXXXXX',
      codiceFiscale: c.codiceFiscale,
      numeroTessera: CARD,
      scadenzaTessera: '31/12/2029',
      email: 'a@example.org',
      azione: 'avanti',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Codice di Controllo: non corretto o scaduto');
    const reused = await submit(
      client,
      { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', email: 'a@example.org' },
      captcha,
    );
    expect(reused.body).toContain('Codice di Controllo: non corretto o scaduto');
    const other = await submit(client, {
      codiceFiscale: c.codiceFiscale,
      numeroTessera: '80380000000099999999',
      scadenzaTessera: '31/12/2029',
      email: 'a@example.org',
    });
    expect(other.body).toContain('I dati della tessera sanitaria non corrispondono al codice fiscale indicato');
    const expiry = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '30/12/2029', email: 'a@example.org' });
    expect(expiry.statusCode).toBe(422);
    const missing = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: '123', scadenzaTessera: 'x' });
    expect(missing.body).toContain('Numero Tessera Sanitaria: deve avere 20 cifre.');
    expect(missing.body).toContain('Indica un Indirizzo Email o un Indirizzo PEC.');
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('active');
    expect(await t.db.selectFrom('revoca_tokens').select('id').where('citizen_id', '=', c.citizenId).execute()).toHaveLength(0);
  });

  it('"generarne uno nuovo" keeps what was typed; the image is a PNG served once per code', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    const first = await openForm(client);
    expect(first.res.body).toContain(`width="${CAPTCHA_WIDTH}" height="${CAPTCHA_HEIGHT}"`);
    const png = await t.app.inject({ method: 'GET', url: `/pin/revoca/controllo/${first.id}.png` });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const fresh = await client.post('/pin/revoca', { azione: 'nuovo', codiceFiscale: c.codiceFiscale, captchaId: first.id });
    expect(fresh.body).toContain(`value="${c.codiceFiscale}"`);
    expect(fresh.body).not.toContain(first.id);
    const ok = await submit(
      client,
      { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', pec: 'gv@pec.example.it' },
      { id: captchaIdOf(fresh.body), answer: (await captchaPrompt(t.db, box(), captchaIdOf(fresh.body), clock.now))!.prompt },
    );
    expect(ok.headers.location).toBe('/pin/revoca/conferma');
    expect((await t.app.inject({ method: 'GET', url: `/pin/revoca/controllo/${captchaIdOf(fresh.body)}.png` })).statusCode).toBe(404);
  });

  it('F8: the accessible alternative is a code sent to the Email on record: nothing on the page answers it, it works once', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    await client.get('/pin/revoca');
    const form = { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', email: 'Giuseppe.Verdi@Example.org' };
    const asked = await client.post('/pin/revoca', { ...form, azione: 'codice' });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain(
      'Se l&#39;indirizzo indicato corrisponde a quello registrato per questo codice fiscale, riceverai a breve un Codice di Controllo',
    );
    const [sent] = await controlCodesSent();
    expect(sent!.to).toBe('giuseppe.verdi@example.org');
    // Issue 13: written in two groups, typed as written (dash, lower case) below; the field has room for it and says so.
    expect(sent!.code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{3}$/);
    expect(/<input[^>]*name="captcha"[^>]*>/.exec(asked.body)![0]).toContain('maxlength="16"');
    expect(asked.body).toContain('con o senza spazi e trattino');
    // What a script reads from the page: no question, no prompt, no image; the code is only in the mail.
    const id = captchaIdOf(asked.body);
    expect(asked.body).not.toMatch(/Quanto fa|\bpiù\b/);
    expect(asked.body.toUpperCase()).not.toContain(sent!.code);
    expect(asked.body).not.toContain('/pin/revoca/controllo/');
    expect((await t.app.inject({ method: 'GET', url: `/pin/revoca/controllo/${id}.png` })).statusCode).toBe(404);
    expect(await captchaPrompt(t.db, box(), id, clock.now)).toBeUndefined();
    expect((await t.db.selectFrom('captchas').select('prompt_sealed').where('id', '=', id).executeTakeFirstOrThrow()).prompt_sealed).not.toContain(sent!.code);
    // A field error costs no try and keeps the same code; the code answers only for its CF.
    const typo = await client.post('/pin/revoca', { ...form, scadenzaTessera: 'x', captchaId: id, captcha: sent!.code, azione: 'avanti' });
    expect(typo.statusCode).toBe(422);
    expect(captchaIdOf(typo.body)).toBe(id);
    const otherCf = await client.post('/pin/revoca', { ...form, codiceFiscale: 'RSSMRA85T10A562S', captchaId: id, captcha: sent!.code, azione: 'avanti' });
    expect(otherCf.body).toContain('Codice di Controllo: non corretto o scaduto. Controlla il codice ricevuto per email o PEC');
    const ok = await client.post('/pin/revoca', { ...form, captchaId: id, captcha: sent!.code.toLowerCase(), azione: 'avanti' });
    expect(ok.headers.location).toBe('/pin/revoca/conferma');
    await client.follow(ok);
    const again = await client.post('/pin/revoca', { ...form, captchaId: id, captcha: sent!.code, azione: 'avanti' });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('Codice di Controllo: non corretto o scaduto');
    const events = await auditOf(t.db, { cf: c.codiceFiscale, event: 'revoca.control_code' }).select(['event', 'details']).execute();
    expect(events.map((e) => e.details)).toEqual([expect.objectContaining({ outcome: 'sent', channel: 'email' })]);
  });

  it('F8: an address that is not the one on record gets the same page and no mail; three wrong tries end the code', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    await client.get('/pin/revoca');
    const before = (await controlCodesSent()).length;
    const form = { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029' };
    const matching = await client.post('/pin/revoca', { ...form, pec: 'gv@pec.example.it', email: 'giuseppe.verdi@example.org', azione: 'codice' });
    const other = await client.post('/pin/revoca', { ...form, pec: 'gv@pec.example.it', email: 'someone.else@example.net', azione: 'codice' });
    expect(other.statusCode).toBe(matching.statusCode);
    expect(normalized(other.body, 'someone.else@example.net')).toBe(normalized(matching.body, 'giuseppe.verdi@example.org'));
    expect((await controlCodesSent()).length).toBe(before + 1);
    const unknownCf = await client.post('/pin/revoca', { ...form, codiceFiscale: 'RSSMRA85T10A562S', email: 'giuseppe.verdi@example.org', azione: 'codice' });
    expect(unknownCf.statusCode).toBe(200);
    expect(unknownCf.body).toContain('id="captcha-mail-sent"');
    expect((await controlCodesSent()).length).toBe(before + 1);
    const id = captchaIdOf(other.body);
    for (let i = 0; i < 3; i++) {
      const wrong = await client.post('/pin/revoca', { ...form, email: 'someone.else@example.net', captchaId: id, captcha: 'AAAAAAA', azione: 'avanti' });
      expect(wrong.statusCode).toBe(422);
      expect(captchaIdOf(wrong.body) === id).toBe(i < 2);
    }
    const outcomes = await auditOf(t.db, { cf: c.codiceFiscale, event: 'revoca.control_code' }).select('details').execute();
    expect(outcomes.map((e) => (e.details as { outcome: string }).outcome)).toEqual(['sent', 'no_match']);
  });

  it('a revoca link expires after 24 hours', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    await client.follow(await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', email: 'x@example.org' }));
    const csrf = client.csrf();
    await client.post('/pin/revoca/conferma', { azione: 'conferma' });
    const token = new URL(await linkFor(c.codiceFiscale)).searchParams.get('t')!;
    clock.now = new Date(clock.now.getTime() + 25 * 3_600_000);
    expect((await client.get(`/pin/revoca/completa?t=${token}`)).body).toContain('non è valido');
    expect((await client.post('/pin/revoca/completa', { t: token }, { csrf })).statusCode).toBe(422);
  });

  it('imports tessere from CSV, reporting the rejected rows', async () => {
    const report = await importTessere(t.db, {
      text: 'codice_fiscale;numero_tessera;scadenza\nRSSMRA85T10A562S;80380000000000000001;31/12/2030\nRSSMRA85T10A562X;80380000000000000002;2030-12-31\nBNCMRA80A01H501Z;123;2030-12-31\nVRDGPP73A01G702Y,80380000000000000003,2030-02-30\n',
    });
    expect(report.imported).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    const row = await t.db.selectFrom('tessere_sanitarie').selectAll().where('codice_fiscale', '=', 'RSSMRA85T10A562S').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ numero: '80380000000000000001', scadenza: '2030-12-31' });
  });
});

/** F8: the accessible alternative's limits, per codice fiscale (a counter) and per client IP (the rate-limit hook). */
describe.each(ENGINES)('Codice di Controllo by email: limits on %s', (engine) => {
  // A day-long window: the per-IP limit (a fifth of the page limit: 3) cannot reset during the test.
  const { t } = useTestAppAt(
    engine,
    '2026-06-01T10:00:00Z',
    { VARCO_CONTROL_CODES_PER_CF_DAY: '2', VARCO_RATE_LIMIT_REQUESTS: '15', VARCO_RATE_LIMIT_WINDOW_SECONDS: '86400' },
    hasher,
  );

  it('past the codes allowed per CF, then per IP, a clear message and no mail', async () => {
    const a = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const b = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    await client.get('/pin/revoca');
    const ask = (cf: string) => client.post('/pin/revoca', { codiceFiscale: cf, email: 'giuseppe.verdi@example.org', azione: 'codice' });
    expect((await ask(a.codiceFiscale)).statusCode).toBe(200);
    expect((await ask(a.codiceFiscale)).statusCode).toBe(200);
    const perCf = await ask(a.codiceFiscale);
    expect(perCf.statusCode).toBe(429);
    expect(perCf.body).toContain('Sono stati chiesti troppi Codici di Controllo per questo codice fiscale o da questo collegamento');
    expect(perCf.body).toContain('src="/pin/revoca/controllo/');
    const perIp = await ask(b.codiceFiscale);
    expect(perIp.statusCode).toBe(429);
    expect(perIp.body).toContain('Sono stati chiesti troppi Codici di Controllo');
    const sent = await outboxOf(t.db, { template: 'revoca.controllo' }).select('citizen_id').execute();
    expect(sent.map((m) => m.citizen_id)).toEqual([a.citizenId, a.citizenId]);
    const limited = await auditOf(t.db, { event: ['revoca.control_code', 'ratelimit.exceeded'] })
      .select(['event', 'subject_cf', 'details'])
      .execute();
    expect(limited.map((e) => [e.event, (e.details as { outcome?: string; key?: string }).outcome ?? (e.details as { key?: string }).key])).toEqual([
      ['revoca.control_code', 'sent'],
      ['revoca.control_code', 'sent'],
      ['revoca.control_code', 'limited'],
      ['ratelimit.exceeded', 'revoca-controllo'],
    ]);
  });
});
