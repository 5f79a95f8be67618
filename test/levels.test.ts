import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { processingMessage } from './support/outbox.js';
import { validateStep2 } from '../src/flows/richiesta/form.js';
import { requestPin } from '../src/flows/richiesta/service.js';
import { tableResidenceRegistry } from '../src/adapters/residence.js';
import { welcome } from '../src/flows/profilo/views.js';
import { translator, type Locale } from '../src/i18n/index.js';
import { renderMessage } from '../src/outbox/render.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { createSessionStore } from '../src/sessions/store.js';
import { escapeHtml } from '../src/ui/html.js';
import type { PageContext } from '../src/ui/layout.js';
import { Client, useTestApp } from './support/app.js';
import { italianCitizen } from './support/citizens.js';
import { givenCitizenWithPin, givenResidence, loggedInCitizen, loggedInSemplificato } from './support/pins.js';
import { outboxOf } from './support/rows.js';
import { PASSPORT } from './support/conversione.js';
import { addRelyingParty, authorizationRequest } from './support/oidc-rp.js';

const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });
/** A text as a page shows it (HTML-escaped). */
const it_ = (key: Parameters<ReturnType<typeof translator>>[0]) => escapeHtml(translator('it')(key));
const itRaw = translator('it');

/** A page refused for the session's level (403): it shows every text of `shows` and none of `lacks`. */
async function expectRefusedPage(client: Client, url: string, shows: string[], lacks: string[] = []) {
  const res = await client.get(url);
  expect(res.statusCode, url).toBe(403);
  for (const text of shows) expect(res.body, url).toContain(text);
  for (const text of lacks) expect(res.body, url).not.toContain(text);
}

/** Issue 13 part 2 items 4–6: what each level of PIN is told, the dispositivo state, the Anagrafica. */
describe('issue 13 item 4: PIN semplificato explained where citizens look', () => {
  const open = useTestApp('pglite', { VARCO_PIN_SEMPLIFICATO: 'true', VARCO_RESIDENCE_REGISTRY: 'table' }, { hasher });
  const closed = useTestApp('pglite', { VARCO_PIN_SEMPLIFICATO: 'false' }, { hasher });

  it('/accedi says what the first 8 characters allow while semplificato is open, and that the 16 come with the letter', async () => {
    const page = (await open.app.inject({ method: 'GET', url: '/accedi' })).body;
    expect(page).toContain('id="initial-pin-help"');
    expect(page).toContain(it_('levels.semplificato.login'));
    expect(page).toContain('solo alle domande di indennità COVID-19 e al bonus baby-sitting');
    expect(page).toContain('i secondi 8 arrivano con la lettera');
    // After a failed login the explanation is still there.
    const client = new Client(open.app);
    await client.get('/accedi');
    const failed = await client.post('/accedi', { codiceFiscale: italianCitizen().codiceFiscale, pin: 'WRONG111' });
    expect(failed.body).toContain(it_('levels.semplificato.login'));
    // In German too.
    const de = await open.app.inject({ method: 'GET', url: '/accedi', headers: { cookie: 'varco_lang=de' } });
    expect(de.body).toContain(escapeHtml(translator('de')('levels.semplificato.login')));
  });

  it('/accedi without semplificato says the initial PIN is 16 characters, the second 8 from the letter', async () => {
    const page = (await closed.app.inject({ method: 'GET', url: '/accedi' })).body;
    expect(page).toContain(it_('levels.initial.login'));
    expect(page).not.toContain(it_('levels.semplificato.login'));
  });

  /** A request as the portal makes it; the first-half messages it queued, rendered. */
  async function firstHalfTexts(o: { semplificato: boolean; registryComune?: string }) {
    const c = italianCitizen();
    const data = validateStep2(translator('it'), { codiceFiscale: c.codiceFiscale, residenza: 'IT' }, c.form, new Date());
    if (!data.success) throw new Error('invalid fixture');
    const box = createSecretBox(open.config.secretKey);
    await givenResidence(open.db, c.codiceFiscale, o.registryComune ? { comune: o.registryComune, provincia: 'LU', cap: '55100' } : {});
    const r = await requestPin(
      { db: open.db, hasher, box, semplificatoOpen: () => o.semplificato, residence: { mode: 'table', registry: tableResidenceRegistry(open.db) } },
      data.value,
      { channel: 'web', actor: 'test', ip: null, locale: 'it' },
    );
    if (!r.ok) throw new Error('refused');
    const { citizen_id } = await open.db.selectFrom('credentials').select('citizen_id').where('id', '=', r.credentialId).executeTakeFirstOrThrow();
    const rows = await outboxOf(open.db, { citizenId: citizen_id, template: 'pin.firstHalf' }).selectAll().execute();
    const texts: Record<string, string> = {};
    for (const m of rows) texts[m.channel] = (await renderMessage(m, box.open(m.secret_ciphertext!, m.id), { istituto: 'INPS' })).text;
    return texts;
  }

  it('the first-half SMS and email say what the 8 characters open alone, when semplificato will let them in', async () => {
    const texts = await firstHalfTexts({ semplificato: true });
    expect(texts.sms).toContain(itRaw('msg.sms.firstHalf.semplificato').trim());
    expect(texts.email).toContain(itRaw('msg.email.firstHalf.semplificato'));
    // The paragraph comes before the signature.
    expect(texts.email!.trim().endsWith('INPS – Servizi online')).toBe(true);
  });

  it('the first-half messages do not promise semplificato when it is closed or the residence does not match the registry', async () => {
    for (const texts of [await firstHalfTexts({ semplificato: false }), await firstHalfTexts({ semplificato: true, registryComune: 'E715' })]) {
      expect(texts.sms).toBeDefined();
      expect(texts.sms).not.toContain('PIN semplificato');
      expect(texts.email).not.toContain('PIN semplificato');
    }
  });

  it('renders the semplificato sentence in every language', async () => {
    for (const locale of ['it', 'de', 'en'] as Locale[]) {
      for (const channel of ['sms', 'email'] as const) {
        const message = processingMessage({
          id: '00000000-0000-4000-8000-000000000002',
          channel,
          template: 'pin.firstHalf',
          locale,
          recipient: 'x@example.org',
          params: { nome: 'ANNA', cognome: 'ROSSI', semplificato: 'si' },
        });
        const text = (await renderMessage(message, 'ACDEFHJK', { istituto: 'INPS' })).text;
        expect(text).toContain(translator(locale)(channel === 'sms' ? 'msg.sms.firstHalf.semplificato' : 'msg.email.firstHalf.semplificato').trim());
        expect(text).toContain('ACDEFHJK');
      }
    }
  });

  it("the COVID-19 indemnity's scheda explains the PIN semplificato; other schede do not", async () => {
    const card = (await open.app.inject({ method: 'GET', url: '/servizi/indennita' })).body;
    expect(card).toContain('id="service-semplificato"');
    expect(card).toContain(it_('cat.semplificato'));
    expect((await open.app.inject({ method: 'GET', url: '/servizi/profilo' })).body).not.toContain('id="service-semplificato"');
  });

  it('a semplificato session asked for an ordinario service is told to wait for the letter and log in with the 16 characters, not to convert', async () => {
    const { client } = await loggedInSemplificato(open, hasher);
    const board = (await client.get('/bacheca')).body;
    expect(board).toContain(it_('levels.board.semplificato'));
    await expectRefusedPage(
      client,
      '/profilo/recapiti',
      ['data-advice="await_letter"', it_('levels.semplificato.wait'), 'href="/accedi?ritorno=%2Fprofilo%2Frecapiti"'],
      [it_('levels.semplificato.waitDispositivo'), 'Converti', 'href="/pin/dispositivo'],
    );
  });

  it('a semplificato session asked for a dispositivo service: wait for the letter; conversion only after the 16-character login', async () => {
    const { client } = await loggedInSemplificato(open, hasher);
    await expectRefusedPage(
      client,
      '/documenti',
      [it_('levels.semplificato.wait'), it_('levels.semplificato.waitDispositivo')],
      ['Converti il tuo PIN', 'href="/pin/dispositivo'],
    );
    // The conversion itself answers the same.
    await expectRefusedPage(client, '/pin/dispositivo/converti', [it_('levels.semplificato.wait')]);
  });

  it('an ordinario session asked for a dispositivo service is still offered the conversion', async () => {
    const { client } = await loggedInCitizen(open, hasher);
    await expectRefusedPage(client, '/documenti', ['data-advice="convert"', it_('level.howto')], [it_('levels.semplificato.wait')]);
  });

  describe('OIDC step-up', () => {
    async function stepUpPageFor(client: Client, minLevel?: 'dispositivo'): Promise<LightMyRequestResponse> {
      const rp = await addRelyingParty(open, minLevel ? { minLevel } : {});
      const { query } = authorizationRequest(rp.id, { scope: 'openid' });
      let res = await client.get(`/oidc/auth?${query}`);
      for (let i = 0; i < 10 && [302, 303].includes(res.statusCode); i++) res = await client.get(String(res.headers.location).replace(/^https?:\/\/[^/]+/, ''));
      return res;
    }

    it('a semplificato session is told to wait for the letter and log in with the 16 characters', async () => {
      const { client } = await loggedInSemplificato(open, hasher);
      const page = await stepUpPageFor(client);
      expect(page.body).toContain('id="step-up"');
      expect(page.body).toContain(it_('levels.semplificato.wait'));
      expect(page.body).toContain(it_('levels.loginFull'));
      expect(page.body).not.toContain(it_('level.howto'));
      expect(page.body).not.toContain('Converti');
    });

    it('an ordinario session whose PIN became dispositivo is told to log in again', async () => {
      const { client, c } = await loggedInCitizen(open, hasher);
      await open.db.updateTable('credentials').set({ dispositivo: true }).where('id', '=', c.credentialId).execute();
      const page = await stepUpPageFor(client, 'dispositivo');
      expect(page.body).toContain('data-advice="log_in_again"');
      expect(page.body).toContain(it_('levels.relogin'));
    });
  });
});

describe('issue 13 item 5: the dispositivo state', () => {
  const t = useTestApp('pglite', {}, { hasher });

  it('a dispositivo PIN: profile and board offer no conversion, every conversion route says the PIN is already dispositivo', async () => {
    const { client } = await loggedInCitizen(t, hasher, { dispositivo: true });
    const profile = (await client.get('/profilo')).body;
    expect(profile).toContain('Sei autenticato con PIN Dispositivo');
    expect(profile).toContain('id="modifica-pin"');
    expect(profile).not.toContain('/pin/dispositivo/converti');
    expect(profile).not.toContain('Converti il tuo PIN');
    const board = (await client.get('/bacheca')).body;
    expect(board).not.toContain('href="/pin/dispositivo/converti"');
    expect(board).not.toContain('id="relogin-notice"');
    for (const url of ['/pin/dispositivo/converti', '/pin/dispositivo/documento', '/pin/dispositivo/modulo', '/pin/dispositivo/conferma']) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('Il tuo PIN è già dispositivo.');
      expect(res.body, url).not.toContain('id="conv-relogin"');
    }
    const post = await client.post('/pin/dispositivo/documento', PASSPORT);
    expect(post.statusCode).toBe(409);
    expect(post.body).toContain('Il tuo PIN è già dispositivo.');
    expect(
      await t.db
        .selectFrom('conversion_requests')
        .select('id')
        .where('citizen_id', '=', (await t.db.selectFrom('sessions').select('citizen_id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).citizen_id)
        .execute(),
    ).toEqual([]);
  });

  it('an ordinario PIN still offers the conversion on profile and board', async () => {
    const { client } = await loggedInCitizen(t, hasher);
    expect((await client.get('/profilo')).body).toContain('href="/pin/dispositivo/converti"');
    expect((await client.get('/bacheca')).body).toContain('href="/pin/dispositivo/converti"');
  });

  it('a session opened as ordinario before the conversion completed is told to log in again; a new login reaches dispositivo', async () => {
    const { client, c } = await loggedInCitizen(t, hasher);
    // The back office approves the conversion while the citizen is logged in (decideConversion, src/flows/conversione/service.ts).
    await t.db.updateTable('credentials').set({ dispositivo: true }).where('id', '=', c.credentialId).execute();
    const board = (await client.get('/bacheca')).body;
    expect(board).toContain('id="relogin-notice"');
    expect(board).toContain(it_('levels.relogin'));
    expect(board).not.toContain('href="/pin/dispositivo/converti"');
    const profile = (await client.get('/profilo')).body;
    expect(profile).toContain('id="relogin-notice"');
    expect(profile).not.toContain('/pin/dispositivo/converti');
    const conversion = await client.get('/pin/dispositivo/converti');
    expect(conversion.body).toContain('Il tuo PIN è già dispositivo.');
    expect(conversion.body).toContain('id="conv-relogin"');
    await expectRefusedPage(
      client,
      '/documenti',
      ['data-advice="log_in_again"', it_('levels.relogin'), 'href="/accedi?ritorno=%2Fdocumenti"'],
      [it_('level.howto')],
    );
    // Logging in again opens a dispositivo session.
    await client.get('/accedi?ritorno=/documenti');
    const login = await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4', ritorno: '/documenti' });
    expect(login.headers.location).toBe('/documenti');
    expect((await client.get('/documenti')).statusCode).toBe(200);
    expect((await client.get('/bacheca')).body).not.toContain('id="relogin-notice"');
  });

  it('a SPID/CIE/CNS-like session without a PIN is not offered the conversion on the board', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const { id } = await createSessionStore(t.db).create({
      citizenId: c.citizenId,
      credentialId: null,
      authMethod: 'spid',
      authProvider: 'test',
      level: 'dispositivo',
      mustChangePin: null,
      ip: null,
      userAgent: null,
    });
    const res = await t.app.inject({ method: 'GET', url: '/bacheca', headers: { cookie: `varco_session=${id}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('href="/pin/dispositivo/converti"');
  });
});

describe('issue 13 item 6: Anagrafica and the greeting', () => {
  const t = useTestApp('pglite', {}, { hasher });

  it('the Anagrafica shows name, codice fiscale, birth, sex, residence and the masked contacts; the tabs are on both pages', async () => {
    const { client, c } = await loggedInCitizen(t, hasher);
    const profile = (await client.get('/profilo')).body;
    const data = profile.slice(profile.indexOf('id="personal-data"'), profile.indexOf('</dl>', profile.indexOf('id="personal-data"')));
    expect(data).toContain(c.cognome);
    expect(data).toContain(c.nome);
    expect(data).toContain(c.codiceFiscale);
    const row = await t.db.selectFrom('citizens').select(['data_nascita']).where('id', '=', c.citizenId).executeTakeFirstOrThrow();
    const [y, m, d] = row.data_nascita.split('-');
    expect(data).toContain(`${d}/${m}/${y}`);
    // givenCitizenWithPin: born in A562 (San Giuliano Terme, PI), male, resident in Via Roma 1, 56125 Pisa.
    expect(data).toContain('San Giuliano Terme (PI)');
    expect(data).toContain('Maschile');
    expect(data).toContain('Via Roma 1');
    expect(data).toContain('56125 Pisa (PI)');
    // Contacts as the portal masks them.
    expect(profile).toContain('+393******567');
    expect(profile).toContain('gi************@example.org');
    expect(profile).not.toContain('giuseppe.verdi@example.org');
    expect(profile).toMatch(/<a class="nav-link active" href="\/profilo" aria-current="page" id="tab-anagrafica">Anagrafica<\/a>/);
    expect(profile).toMatch(/<a class="nav-link" href="\/bacheca" id="tab-bacheca">Bacheca<\/a>/);
    const board = (await client.get('/bacheca')).body;
    expect(board).toMatch(/<a class="nav-link active" href="\/bacheca" aria-current="page" id="tab-bacheca">Bacheca<\/a>/);
    expect(board).toMatch(/<a class="nav-link" href="\/profilo" id="tab-anagrafica">Anagrafica<\/a>/);
  });

  it('greets "Benvenuto" or "Benvenuta" by the sex on record', async () => {
    const { client, c } = await loggedInCitizen(t, hasher);
    expect((await client.get('/bacheca')).body).toContain(`<h1 id="welcome">Benvenuto, ${c.nome} ${c.cognome}</h1>`);
    await t.db.updateTable('citizens').set({ sesso: 'F' }).where('id', '=', c.citizenId).execute();
    expect((await client.get('/bacheca')).body).toContain(`<h1 id="welcome">Benvenuta, ${c.nome} ${c.cognome}</h1>`);
    expect((await client.get('/bacheca')).body).not.toContain('Benvenuto/a');
  });

  it('a neutral greeting when the sex is unknown, and the equivalents in German and English', () => {
    const ctx = (locale: Locale) => ({ t: translator(locale), locale }) as unknown as PageContext;
    const person = { nome: 'ALEX', cognome: 'ROSSI' };
    expect(welcome(ctx('it'), { ...person, sesso: null })).toBe('Ti diamo il benvenuto, ALEX ROSSI');
    expect(welcome(ctx('it'), { ...person, sesso: 'F' })).toBe('Benvenuta, ALEX ROSSI');
    expect(welcome(ctx('it'), { ...person, sesso: 'M' })).toBe('Benvenuto, ALEX ROSSI');
    for (const sesso of ['M', 'F', null] as const) {
      expect(welcome(ctx('de'), { ...person, sesso })).toBe('Willkommen, ALEX ROSSI');
      expect(welcome(ctx('en'), { ...person, sesso })).toBe('Welcome, ALEX ROSSI');
    }
  });

  it("one citizen never sees another's data", async () => {
    const a = await loggedInCitizen(t, hasher);
    const b = await loggedInCitizen(t, hasher);
    await t.db
      .updateTable('citizens')
      .set({
        email: 'zz.other.person@example.net',
        residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Altrove', numeroCivico: '9', provincia: 'PI', comune: 'G702', cap: '56121' }),
      })
      .where('id', '=', b.c.citizenId)
      .execute();
    const pageA = (await a.client.get('/profilo')).body;
    expect(pageA).toContain(a.c.codiceFiscale);
    expect(pageA).not.toContain(b.c.codiceFiscale);
    expect(pageA).not.toContain('Via Altrove');
    expect(pageA).not.toContain('zz*');
    const pageB = (await b.client.get('/profilo')).body;
    expect(pageB).toContain(b.c.codiceFiscale);
    expect(pageB).toContain('Via Altrove 9');
    expect(pageB).not.toContain(a.c.codiceFiscale);
    // No query parameter selects another record.
    const tried = (await a.client.get(`/profilo?cf=${b.c.codiceFiscale}&id=${b.c.citizenId}`)).body;
    expect(tried).not.toContain(b.c.codiceFiscale);
  });
});
