import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captchaPrompt } from '../src/security/captcha.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { importTessere } from '../src/flows/revoca/tessere.js';
import { type TestApp, Client, buildTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { givenCitizenWithPin } from './support/pins.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const CARD = '80380000000012345678';

describe.each(ENGINES)('Revoca del PIN (R14) on %s', (engine) => {
  let t: TestApp;
  let now = new Date('2026-06-01T10:00:00Z');
  beforeAll(async () => {
    t = await buildTestApp(engine, {}, { now: () => now, hasher });
  });
  afterAll(async () => {
    await t.close();
  });
  const box = () => createSecretBox(t.config.secretKey);

  async function withCard() {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    await importTessere(t.db, { text: `codice_fiscale;numero_tessera;scadenza\n${c.codiceFiscale};${CARD};2029-12-31\n` });
    return c;
  }

  /** Opens the form and reads the Codice di Controllo the way a person reads the image. */
  async function openForm(client: Client, action?: string) {
    const res = action ? await client.post('/pin/revoca', { azione: action }) : await client.get('/pin/revoca');
    const id = /name="captchaId" value="([^"]+)"/.exec(res.body)![1]!;
    const prompt = (await captchaPrompt(t.db, box(), id, now))!;
    const answer = prompt.kind === 'image' ? prompt.prompt : String(prompt.prompt.split(',').map(Number).reduce((a, b) => a + b));
    return { res, id, answer, kind: prompt.kind };
  }

  async function submit(client: Client, form: Record<string, string>, captcha?: { id: string; answer: string; kind: string }) {
    const c = captcha ?? (await openForm(client));
    return client.post('/pin/revoca', { captchaId: c.id, captcha: c.answer.toLowerCase(), captchaKind: c.kind, azione: 'avanti', ...form });
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
    const res = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: `${CARD.slice(0, 10)} ${CARD.slice(10)}`, scadenzaTessera: '31/12/2029', email: 'mio.indirizzo@example.net' });
    expect(res.headers.location).toBe('/pin/revoca/conferma');
    const confirmPage = await client.follow(res);
    expect(confirmPage.body).toContain('mio.indirizzo@example.net');
    const sent = await client.post('/pin/revoca/conferma', { azione: 'conferma' });
    expect(sent.body).toContain('La richiesta di revoca è stata registrata');
    const told = await t.db.selectFrom('outbox_messages').select(['template', 'recipient']).where('template', 'in', ['revoca.link', 'revoca.requested']).orderBy('template').execute();
    expect(told).toEqual([{ template: 'revoca.link', recipient: 'mio.indirizzo@example.net' }, { template: 'revoca.requested', recipient: 'giuseppe.verdi@example.org' }]);

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
    const completed = await t.db.selectFrom('outbox_messages').select('recipient').where('template', '=', 'revoca.completed').execute();
    expect(completed.map((m) => m.recipient).sort()).toEqual(['giuseppe.verdi@example.org', 'mio.indirizzo@example.net']);
    const audit = await t.db.selectFrom('audit_events').select('event').where('subject_cf', '=', c.codiceFiscale).where('event', 'like', 'revoca.%').execute();
    expect(audit.map((a) => a.event)).toEqual(['revoca.requested', 'revoca.completed']);
  });

  it('refuses a wrong or reused Codice di Controllo, and a tessera of someone else, changing nothing', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    const captcha = await openForm(client);
    const wrong = await client.post('/pin/revoca', { captchaId: captcha.id, captcha: 'XXXXXXX', codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', email: 'a@example.org', azione: 'avanti' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Codice di Controllo: non corretto o scaduto');
    const reused = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', email: 'a@example.org' }, captcha);
    expect(reused.body).toContain('Codice di Controllo: non corretto o scaduto');
    const other = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: '80380000000099999999', scadenzaTessera: '31/12/2029', email: 'a@example.org' });
    expect(other.body).toContain('I dati della tessera sanitaria non corrispondono al codice fiscale indicato');
    const expiry = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '30/12/2029', email: 'a@example.org' });
    expect(expiry.statusCode).toBe(422);
    const missing = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: '123', scadenzaTessera: 'x' });
    expect(missing.body).toContain('Numero Tessera Sanitaria: deve avere 20 cifre.');
    expect(missing.body).toContain('Indica un Indirizzo Email o un Indirizzo PEC.');
    expect((await t.db.selectFrom('credentials').select('state').where('id', '=', c.credentialId).executeTakeFirstOrThrow()).state).toBe('active');
    expect(await t.db.selectFrom('revoca_tokens').select('id').where('citizen_id', '=', c.citizenId).execute()).toHaveLength(0);
  });

  it('"generarne uno nuovo" and the text alternative keep what was typed; the image is a PNG served once per code', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    const first = await openForm(client);
    const png = await t.app.inject({ method: 'GET', url: `/pin/revoca/controllo/${first.id}.png` });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const fresh = await client.post('/pin/revoca', { azione: 'nuovo', codiceFiscale: c.codiceFiscale, captchaId: first.id });
    expect(fresh.body).toContain(`value="${c.codiceFiscale}"`);
    expect(fresh.body).not.toContain(first.id);
    const text = await openForm(client, 'domanda');
    expect(text.kind).toBe('text');
    expect(text.res.body).toMatch(/Quanto fa \d+ più \d+\? Scrivi il risultato in cifre/);
    const ok = await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', pec: 'gv@pec.example.it' }, text);
    expect(ok.headers.location).toBe('/pin/revoca/conferma');
    await client.follow(ok);
    const csrf = client.csrf();
    await client.post('/pin/revoca/conferma', { azione: 'conferma' });
    await client.post('/pin/revoca', { azione: 'nuovo' }, { csrf });
    expect((await t.app.inject({ method: 'GET', url: `/pin/revoca/controllo/${text.id}.png` })).statusCode).toBe(404);
  });

  it('a revoca link expires after 24 hours', async () => {
    const c = await withCard();
    const client = new Client(t.app);
    await client.follow(await submit(client, { codiceFiscale: c.codiceFiscale, numeroTessera: CARD, scadenzaTessera: '31/12/2029', email: 'x@example.org' }));
    const csrf = client.csrf();
    await client.post('/pin/revoca/conferma', { azione: 'conferma' });
    const token = new URL(await linkFor(c.codiceFiscale)).searchParams.get('t')!;
    now = new Date(now.getTime() + 25 * 3_600_000);
    expect((await client.get(`/pin/revoca/completa?t=${token}`)).body).toContain('non è valido');
    expect((await client.post('/pin/revoca/completa', { t: token }, { csrf })).statusCode).toBe(422);
  });

  it('imports tessere from CSV, reporting the rejected rows', async () => {
    const report = await importTessere(t.db, { text: 'codice_fiscale;numero_tessera;scadenza\nRSSMRA85T10A562S;80380000000000000001;31/12/2030\nRSSMRA85T10A562X;80380000000000000002;2030-12-31\nBNCMRA80A01H501Z;123;2030-12-31\nVRDGPP73A01G702Y,80380000000000000003,2030-02-30\n' });
    expect(report.imported).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    const row = await t.db.selectFrom('tessere_sanitarie').selectAll().where('codice_fiscale', '=', 'RSSMRA85T10A562S').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ numero: '80380000000000000001', scadenza: '2030-12-31' });
  });
});
