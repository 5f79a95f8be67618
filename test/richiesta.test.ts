import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { createDevMailboxChannel } from '../src/outbox/channels/dev-mailbox.js';
import { createSecretBox, sha256 } from '../src/security/secret-box.js';
import { createPinHasher } from '../src/security/hasher.js';
import { requestPin } from '../src/flows/richiesta/service.js';
import { tableResidenceRegistry } from '../src/adapters/residence.js';
import { validateStep2 } from '../src/flows/richiesta/form.js';
import { translator } from '../src/i18n/index.js';
import { Client, buildTestApp, useTestApp } from './support/app.js';
import { bolzanoCitizen, bornAbroadCitizen, type FormCitizen, italianCitizen, residentAbroadCitizen, suppressedComuneCitizen } from './support/citizens.js';
import { ENGINES } from './support/db.js';
import { pdfPages } from './support/pdf.js';
import { auditOf, outboxOf } from './support/rows.js';
import { deliverOutbox } from './support/deliver.js';

async function submitRequest(client: Client, c: FormCitizen) {
  await client.get('/pin/richiesta');
  const step1 = await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale.toLowerCase(), residenza: c.residenza });
  expect(step1.statusCode, step1.body.slice(0, 2000)).toBe(303);
  expect(step1.headers.location).toBe('/pin/richiesta/dati');
  await client.follow(step1);
  const step2 = await client.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' });
  expect(step2.statusCode, /id="error-summary"[\s\S]*?<\/div>/.exec(step2.body)?.[0]).toBe(303);
  const summary = await client.follow(step2);
  expect(summary.body).toContain('CONFERMA');
  expect(summary.body).toContain('INDIETRO');
  const confirm = await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
  expect(confirm.statusCode).toBe(303);
  return client.follow(confirm);
}

describe.each(ENGINES)('Richiesta PIN on %s', (engine) => {
  const t = useTestApp(engine);

  async function deliverAll() {
    const mailbox = createDevMailboxChannel(t.db);
    await deliverOutbox(t.db, createSecretBox(t.config.secretKey), { sms: mailbox, email: mailbox, pec: mailbox, letter: mailbox });
  }

  async function mailboxFor(recipientPart: string) {
    const rows = await t.db.selectFrom('dev_mailbox').selectAll().execute();
    return rows.filter((r) => r.recipient.includes(recipientPart));
  }

  it('R1–R4: the whole request creates one initial PIN whose halves travel by SMS, email and letter', async () => {
    const c = italianCitizen();
    const done = await submitRequest(new Client(t.app), c);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Richiesta del PIN completata');
    expect(done.body).toMatch(/Numero della richiesta: PIN-[0-9A-F]{12}/);

    const citizen = await t.db.selectFrom('citizens').selectAll().where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    expect(citizen).toMatchObject({
      cognome: 'VERDI',
      nome: 'GIUSEPPE',
      data_nascita: c.form.dataNascita!.split('/').reverse().join('-'),
      cellulare: '+393331234567',
      email: 'giuseppe.verdi@example.org',
    });
    const credentials = await t.db.selectFrom('credentials').selectAll().where('citizen_id', '=', citizen.id).execute();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ state: 'initial', channel: 'web', dispositivo: false });
    expect(credentials[0]!.pin_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const outbox = await outboxOf(t.db, { citizenId: citizen.id }).selectAll().orderBy('channel').execute();
    expect(outbox.map((m) => m.channel)).toEqual(['email', 'letter', 'sms']);
    expect(outbox.every((m) => m.secret_ciphertext?.startsWith('v1.'))).toBe(true);

    const audit = await t.db.selectFrom('audit_events').selectAll().where('subject_cf', '=', c.codiceFiscale).execute();
    expect(audit.map((a) => a.event)).toEqual(['pin.requested']);
    expect(audit[0]).toMatchObject({ actor: `citizen:${c.codiceFiscale}`, channel: 'web' });

    await deliverAll();
    const sms = (await mailboxFor('+393331234567'))[0]!;
    const email = (await mailboxFor('giuseppe.verdi@example.org'))[0]!;
    const letter = (await mailboxFor('GIUSEPPE'))[0]!;
    const first = /sono ([2-9A-Z]{8})\./.exec(sms.body)?.[1];
    expect(first).toBeDefined();
    expect(email.body).toContain(`I primi 8 caratteri del PIN sono: ${first}`);
    expect(letter.channel).toBe('letter');
    expect(letter.recipient).toContain('56125 PISA (PI)');
    const [pageText] = await pdfPages(Buffer.from(letter.attachments[0]!.base64, 'base64'));
    const second = /Secondi 8 caratteri del PIN:\s*([2-9A-Z]{4}) ([2-9A-Z]{4})/.exec(pageText!);
    expect(second).not.toBeNull();
    const pin = `${first}${second![1]}${second![2]}`;
    expect(await verify(credentials[0]!.pin_hash, pin)).toBe(true);
    expect(await verify(credentials[0]!.pin_hash, pin.toLowerCase())).toBe(false);

    const after = await outboxOf(t.db, { citizenId: citizen.id }).select(['state', 'secret_ciphertext']).execute();
    expect(after.every((m) => m.state === 'sent' && m.secret_ciphertext === null)).toBe(true);
  });

  it('R4: without an email the first half goes to the PEC; residents abroad get a foreign address', async () => {
    const abroad = bornAbroadCitizen();
    await submitRequest(new Client(t.app), abroad);
    const ch = await t.db
      .selectFrom('outbox_messages')
      .innerJoin('citizens', 'citizens.id', 'outbox_messages.citizen_id')
      .select(['channel', 'recipient'])
      .where('codice_fiscale', '=', abroad.codiceFiscale)
      .orderBy('channel')
      .execute();
    expect(ch.map((m) => m.channel)).toEqual(['letter', 'pec', 'sms']);
    expect(ch[1]!.recipient).toBe('anna.muller@pec.example.it');

    const expat = residentAbroadCitizen();
    await submitRequest(new Client(t.app), expat);
    const letter = await t.db
      .selectFrom('outbox_messages')
      .innerJoin('citizens', 'citizens.id', 'outbox_messages.citizen_id')
      .select(['recipient'])
      .where('codice_fiscale', '=', expat.codiceFiscale)
      .where('channel', '=', 'letter')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(letter.recipient)).toMatchObject({ lines: ['Bahnhofstrasse 1', '8001 ZÜRICH', 'SVIZZERA'], country: 'Z133', provincia: null });
  });

  it('accepts a citizen born in a comune that no longer exists, and writes the Bolzano letter in German too', async () => {
    await submitRequest(new Client(t.app), suppressedComuneCitizen());
    const bz = bolzanoCitizen();
    await submitRequest(new Client(t.app), bz);
    await deliverAll();
    const letter = (await mailboxFor('LUKAS'))[0]!;
    const [text] = await pdfPages(Buffer.from(letter.attachments[0]!.base64, 'base64'));
    expect(text).toContain('Secondi 8 caratteri del PIN');
    expect(text).toContain('Sehr geehrte');
    expect(text).toMatch(/39100 BOLZANO/);
  });

  it('R1: a CF that already has a PIN is stopped at the first step, pointing to ripristino', async () => {
    const c = italianCitizen();
    await submitRequest(new Client(t.app), c);
    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    const res = await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(`L&#39;utente ${c.codiceFiscale} ha già un PIN assegnato`);
    expect(res.body).toContain('href="/pin/smarrito"');
    const refused = await auditOf(t.db, { cf: c.codiceFiscale, event: 'pin.request_refused' }).select('event').execute();
    expect(refused).toHaveLength(1);
  });

  it('R1: concurrent requests for one CF create exactly one PIN', async () => {
    const c = italianCitizen();
    const t_ = translator('it');
    const data = validateStep2(t_, { codiceFiscale: c.codiceFiscale, residenza: 'IT' }, c.form, new Date());
    if (!data.success) throw new Error(JSON.stringify(data.errors));
    const deps = {
      db: t.db,
      hasher: createPinHasher(t.config.argon2),
      box: createSecretBox(randomBytes(32)),
      residence: { mode: 'typed' as const, registry: tableResidenceRegistry(t.db) },
    };
    const ctx = { channel: 'web' as const, actor: 'test', ip: null, locale: 'it' };
    const results = await Promise.all(Array.from({ length: 6 }, () => requestPin(deps, data.value, ctx)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(5);
    const citizen = await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    expect(await t.db.selectFrom('credentials').select('id').where('citizen_id', '=', citizen.id).execute()).toHaveLength(1);
    expect(await outboxOf(t.db, { citizenId: citizen.id }).select('id').execute()).toHaveLength(3);
  });

  it('issue 13: the summary names the provinces; the lists tell the two Pesaro e Urbino apart', async () => {
    const c = italianCitizen();
    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    const form = (await client.get('/pin/richiesta/dati')).body;
    const birthList = /<select[^>]*name="provinciaNascita"[\s\S]*?<\/select>/.exec(form)![0];
    const residenceList = /<select[^>]*name="provinciaResidenza"[\s\S]*?<\/select>/.exec(form)![0];
    // Today's PU first, the sigla found only on comuni suppressed long ago marked as historic.
    expect(birthList).toMatch(
      /<option value="PU"[^>]*>Pesaro e Urbino \(PU\)<\/option>\s*<option value="PS"[^>]*>Pesaro e Urbino \(PS, sigla storica\)<\/option>/,
    );
    expect(birthList).toContain('>Fiume (FU, sigla storica)<');
    expect(residenceList).toContain('>Pesaro e Urbino (PU)<');
    expect(residenceList).not.toContain('value="PS"');
    const labels = [...birthList.matchAll(/<option value="[^"]+"[^>]*>([^<]+)<\/option>/g)].map((m) => m[1]);
    expect(new Set(labels).size).toBe(labels.length);

    const summary = await client.follow(await client.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' }));
    const rows = [...summary.body.matchAll(/<dt[^>]*>([^<]+)<\/dt><dd[^>]*>([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toContainEqual(['Provincia Nascita', 'Pisa (PI)']);
    expect(rows).toContainEqual(['Provincia Residenza', 'Pisa (PI)']);
  });

  it('R3: INDIETRO returns to the form with everything typed', async () => {
    const c = suppressedComuneCitizen();
    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    await client.follow(await client.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' }));
    const back = await client.post('/pin/richiesta/riepilogo', { azione: 'indietro' });
    expect(back.headers.location).toBe('/pin/richiesta/dati');
    const form = await client.follow(back);
    expect(form.body).toContain(`value="${c.form.cognome}"`);
    expect(form.body).toContain(`value="${c.form.dataNascita}"`);
    expect(form.body).toContain('<option value="A031" selected>');
    expect(await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).execute()).toHaveLength(0);
  });

  it('R2: every missing field is named, and the form keeps what was typed', async () => {
    const client = new Client(t.app);
    const c = italianCitizen();
    await client.get('/pin/richiesta');
    await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    const res = await client.post('/pin/richiesta/dati', { cognome: 'VERDI', azione: 'avanti' });
    expect(res.statusCode).toBe(422);
    for (const label of [
      'Nome',
      'Data Nascita',
      'Sesso',
      'Provincia Nascita',
      'Indirizzo',
      'Numero Civico',
      'Provincia Residenza',
      'Comune Residenza',
      'CAP',
      'Telefono Preferenziale',
      'Orario Preferenziale',
    ]) {
      expect(res.body).toContain(`${label}: campo obbligatorio.`);
    }
    expect(res.body).toContain('Indica almeno un recapito tra Telefono Abitazione e Cellulare.');
    expect(res.body).toContain('Indica almeno un recapito tra Indirizzo Email e PEC.');
    expect(res.body).toContain('value="VERDI"');
    expect(res.body).toContain('href="#f-nome"');
  });

  /** R2: a new visit whose personal data step, the citizen's form with `change`, is refused (422) with `message`. */
  async function expectPersonalDataRefused(c: FormCitizen, change: Record<string, string>, message: string) {
    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    const res = await client.post('/pin/richiesta/dati', { ...c.form, ...change, azione: 'avanti' });
    expect(res.statusCode, JSON.stringify(change)).toBe(422);
    expect(res.body).toContain(message);
  }

  it('R2: the codice fiscale must match the personal data, naming the field that disagrees', async () => {
    const c = italianCitizen();
    const cases: [Record<string, string>, string][] = [
      [{ nome: 'GIACOMO' }, 'Nome: non corrisponde al codice fiscale'],
      [{ dataNascita: c.form.dataNascita!.replace(/\d{4}$/, '1974') }, 'Data Nascita: non corrisponde al codice fiscale'],
      [{ sesso: 'F' }, 'Sesso: non corrisponde al codice fiscale'],
      [{ comuneNascita: 'G702' }, 'Comune Nascita: non corrisponde al codice fiscale'],
      [{ cognome: 'NERI' }, 'Cognome: non corrisponde al codice fiscale'],
    ];
    for (const [change, message] of cases) await expectPersonalDataRefused(c, change, message);
  });

  it('R2: bad values get a message that says what to fix', async () => {
    const c = italianCitizen();
    const cases: [Record<string, string>, string][] = [
      [{ dataNascita: '31/02/1973' }, 'scrivi la data nella forma GG/MM/AAAA'],
      [{ dataNascita: '01/01/2999' }, 'la data non può essere nel futuro'],
      [{ cap: '5612' }, 'CAP: deve essere di 5 cifre.'],
      [{ cellulare: '12' }, 'Cellulare: numero non valido'],
      [{ cellulare: '06 1234567' }, 'non è un cellulare'],
      [{ email: 'nobody' }, 'Indirizzo Email: indirizzo non valido'],
      [{ comuneResidenza: 'A031' }, 'Comune Residenza: il comune scelto non esiste'],
      [{ provinciaResidenza: 'MI' }, 'Comune Residenza: il comune scelto non esiste'],
      [{ provinciaResidenza: 'XX' }, 'Provincia Residenza: la provincia scelta non esiste.'],
      [{ provinciaNascita: 'QQ' }, 'Provincia Nascita: la provincia scelta non esiste.'],
      [{ cognome: 'X'.repeat(61) }, 'Cognome: al massimo 60 caratteri.'],
      [{ nome: 'MARIO<script>' }, 'Nome: contiene caratteri non ammessi.'],
      [{ telefonoPreferenziale: 'abitazione' }, 'Telefono Preferenziale: il telefono scelto non è stato indicato.'],
      [{ orarioPreferenziale: 'notte' }, 'Orario Preferenziale: scegli una delle voci'],
    ];
    for (const [change, message] of cases) await expectPersonalDataRefused(c, change, message.replace(/'/g, '&#39;'));
  });

  it('the first step refuses malformed codici fiscali with a clear message', async () => {
    const client = new Client(t.app);
    const valid = italianCitizen().codiceFiscale;
    const wrongCheck = valid.slice(0, 15) + (valid[15] === 'A' ? 'B' : 'A');
    for (const [cf, message] of [
      ['', 'Codice Fiscale: campo obbligatorio.'],
      ['ABC', 'deve essere di 16 caratteri'],
      [wrongCheck, 'il carattere di controllo'],
    ] as const) {
      await client.get('/pin/richiesta');
      const res = await client.post('/pin/richiesta', { codiceFiscale: cf, residenza: 'IT' });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(message);
    }
  });

  it('a step out of order or an expired flow gets a page that says what to do next', async () => {
    const c = italianCitizen();
    const client = new Client(t.app);
    const noFlow = await client.get('/pin/richiesta/riepilogo');
    expect(noFlow.headers.location).toBe('/pin/richiesta?avviso=assente');
    await client.get('/pin/richiesta');
    await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    const early = await client.get('/pin/richiesta/esito');
    expect(early.headers.location).toBe('/pin/richiesta/dati?avviso=passo');
    await t.db
      .updateTable('flows')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const expired = await client.get('/pin/richiesta/dati');
    expect(expired.headers.location).toBe('/pin/richiesta?avviso=scaduta');
    const page = await client.follow(expired);
    expect(page.body).toContain('La richiesta è scaduta per inattività');
    // A notice name that is a property of every object is no notice (it answered 500).
    for (const avviso of ['__proto__', 'constructor', 'toString']) {
      const odd = await client.get(`/pin/richiesta?avviso=${avviso}`);
      expect(odd.statusCode, avviso).toBe(200);
    }
  });

  it('issue 13: a form posted after the flow expired keeps what was typed, in this browser only, and it comes back on the fresh flow', async () => {
    const c = italianCitizen();
    const client = new Client(t.app);
    const flowOf = () => sha256(/varco_richiesta=([^;]+)/.exec(client.cookieHeader())![1]!);
    const expire = () =>
      t.db
        .updateTable('flows')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id_hash', '=', flowOf())
        .execute();
    const hidden = (body: string) =>
      Object.fromEntries(
        [...body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)]
          .filter((m) => m[1] !== '_csrf' && m[1] !== 'captchaId')
          .map((m) => [m[1]!, m[2]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&')]),
      );
    await client.get('/pin/richiesta');
    await client.follow(await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    await expire();
    const kept = await client.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' });
    expect(kept.statusCode).toBe(409);
    expect(kept.body).toContain('id="expired-kept"');
    expect(kept.body).toContain('I dati che avevi inserito sono conservati in questa pagina');
    const carried = hidden(kept.body);
    expect(carried).toMatchObject({
      cognome: c.form.cognome,
      nome: c.form.nome,
      dataNascita: c.form.dataNascita,
      email: c.form.email,
      comuneResidenza: c.form.comuneResidenza,
    });
    // Nothing was stored for the expired flow beyond what it held.
    expect((await t.db.selectFrom('flows').select('data').where('id_hash', '=', flowOf()).executeTakeFirstOrThrow()).data).toMatchObject({ raw: {} });

    // Another browser asking for the same codice fiscale finds an empty form.
    const other = new Client(t.app);
    await other.get('/pin/richiesta');
    const otherForm = await other.follow(await other.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' }));
    expect(otherForm.body).not.toContain(`value="${c.form.cognome}"`);
    expect(otherForm.body).not.toContain(c.form.email!);

    // This browser types the codice fiscale again: the form comes back filled in.
    const again = await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT', ...carried });
    expect(again.headers.location).toBe('/pin/richiesta/dati');
    const form = await client.follow(again);
    expect(form.body).toContain(`value="${c.form.cognome}"`);
    expect(form.body).toContain(`value="${c.form.email}"`);
    expect(form.body).toContain(`<option value="${c.form.comuneResidenza}" selected>`);

    // Expired at the summary: CONFERMA keeps the data as well.
    const summary = await client.follow(await client.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' }));
    expect(summary.body).toContain('CONFERMA');
    await expire();
    const keptAtSummary = await client.post('/pin/richiesta/riepilogo', { azione: 'conferma', ...hidden(summary.body) });
    expect(keptAtSummary.statusCode).toBe(409);
    expect(hidden(keptAtSummary.body)).toMatchObject({ cognome: c.form.cognome, cellulare: c.form.cellulare });
    expect(await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).execute()).toHaveLength(0);
    // Without any typed field (a bare GET or an empty post) it is the plain notice, as before.
    expect((await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' })).headers.location).toBe('/pin/richiesta?avviso=scaduta');
  });

  it('speaks German and English', async () => {
    const de = new Client(t.app, { 'accept-language': 'de-DE,de;q=0.9' });
    const res = await de.get('/pin');
    expect(res.body).toContain('lang="de"');
    expect(res.body).not.toContain('Devi richiedere il PIN?');
    const en = new Client(t.app);
    const switched = await en.get('/lingua/en?next=/pin');
    expect(switched.headers.location).toBe('/pin');
    expect((await en.get('/pin')).body).toContain('lang="en"');
    expect((await en.get('/lingua/en?next=//evil.example')).headers.location).toBe('/');
  });
});

describe('bad input never gets a 500 nor a half-written request', () => {
  const t = useTestApp('pglite');
  const count = async () => Number((await t.db.selectFrom('flows').select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses a missing or wrong CSRF token with 403', async () => {
    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    const before = await count();
    const missing = await client.post('/pin/richiesta', { codiceFiscale: italianCitizen().codiceFiscale, residenza: 'IT' }, { csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Il modulo è scaduto o non proviene da questo sito');
    const wrong = await client.post('/pin/richiesta', { codiceFiscale: italianCitizen().codiceFiscale, residenza: 'IT' }, { csrf: 'forged' });
    expect(wrong.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('refuses a 10 MB body with 413, non-UTF-8 bytes and unknown content types with a 4xx page', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/pin/richiesta',
      payload: `codiceFiscale=${'A'.repeat(10 * 1024 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('Dati troppo grandi');
    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    const bytes = Buffer.concat([Buffer.from(`_csrf=${client.csrf()}&codiceFiscale=`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('&residenza=IT')]);
    const res = await t.app.inject({ method: 'POST', url: '/pin/richiesta', payload: bytes, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const json = await t.app.inject({ method: 'POST', url: '/pin/richiesta', payload: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    const xml = await t.app.inject({ method: 'POST', url: '/pin/richiesta', payload: '<a/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
  });

  it('answers 404 with a page for unknown addresses', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Pagina non trovata');
  });
});

describe('R12: rate limit on the request pages', () => {
  it('answers 429 with Retry-After past the limit, per client IP, and audits it once', async () => {
    const t = await buildTestApp('pglite', { VARCO_RATE_LIMIT_REQUESTS: '3' });
    try {
      const a = new Client(t.app);
      for (let i = 0; i < 3; i++) expect((await a.get('/pin/richiesta')).statusCode).toBe(200);
      const limited = await a.get('/pin/richiesta');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toContain('Troppe richieste');
      await a.get('/pin/richiesta');
      const other = await t.app.inject({ method: 'GET', url: '/pin/richiesta', remoteAddress: '10.1.2.3' });
      expect(other.statusCode).toBe(200);
      const events = await auditOf(t.db, { event: 'ratelimit.exceeded' }).selectAll().execute();
      expect(events).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('reads the client IP from X-Forwarded-For only behind a trusted proxy', async () => {
    const t = await buildTestApp('pglite', { VARCO_RATE_LIMIT_REQUESTS: '2', VARCO_TRUSTED_PROXIES: '127.0.0.1' });
    try {
      for (let i = 0; i < 2; i++) await t.app.inject({ method: 'GET', url: '/pin/richiesta', headers: { 'x-forwarded-for': '203.0.113.1' } });
      expect((await t.app.inject({ method: 'GET', url: '/pin/richiesta', headers: { 'x-forwarded-for': '203.0.113.1' } })).statusCode).toBe(429);
      expect((await t.app.inject({ method: 'GET', url: '/pin/richiesta', headers: { 'x-forwarded-for': '203.0.113.2' } })).statusCode).toBe(200);
      const untrusted = await t.app.inject({
        method: 'GET',
        url: '/pin/richiesta',
        remoteAddress: '198.51.100.7',
        headers: { 'x-forwarded-for': '203.0.113.3' },
      });
      expect(untrusted.statusCode).toBe(200);
      const again = await t.app.inject({ method: 'GET', url: '/pin/richiesta', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-for': '203.0.113.4' } });
      const third = await t.app.inject({ method: 'GET', url: '/pin/richiesta', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-for': '203.0.113.5' } });
      expect([again.statusCode, third.statusCode]).toEqual([200, 429]);
    } finally {
      await t.close();
    }
  });
});

describe('modes', () => {
  it('production has no dev mailbox', async () => {
    const t = await buildTestApp('pglite', {
      VARCO_MODE: 'production',
      VARCO_PUBLIC_URL: 'https://pin.example.it',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms',
    });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/dev/mailbox' })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/dev/mailbox.json' })).statusCode).toBe(404);
      const page = await t.app.inject({ method: 'GET', url: '/pin/richiesta' });
      expect(String(page.headers['set-cookie'])).toMatch(/Secure/);
      expect(page.headers['strict-transport-security']).toBeDefined();
    } finally {
      await t.close();
    }
  });

  it('development lists every delivered message in /dev/mailbox.json', async () => {
    const t = await buildTestApp('pglite');
    try {
      const res = await t.app.inject({ method: 'GET', url: '/dev/mailbox.json' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('language switch', () => {
  it('returns only to same-site paths, whatever is in "next"', async () => {
    const t = await buildTestApp('pglite');
    try {
      for (const [next, expected] of [
        ['/pin', '/pin'],
        ['/pin/richiesta?avviso=passo', '/pin/richiesta?avviso=passo'],
        ['//evil.example', '/'],
        ['https://evil.example', '/'],
        ['/pin\r\nSet-Cookie: x=1', '/'],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url: `/lingua/de?next=${encodeURIComponent(next)}` });
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe(expected);
      }
      const crlf = await t.app.inject({ method: 'GET', url: '/lingua/de?next=/pin%0d%0aX:1' });
      expect(crlf.statusCode).toBe(303);
      expect(crlf.headers.location).toBe('/');
    } finally {
      await t.close();
    }
  });
});
