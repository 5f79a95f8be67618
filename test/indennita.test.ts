import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { computeCf } from '../src/domain/codice-fiscale/index.js';
import { ibanWithCheckDigits } from '../src/domain/iban.js';
import { importIbanHolders, tableIbanHolderCheck } from '../src/adapters/iban-holders.js';
import { categoryById } from '../src/flows/indennita/categories.js';
import { catalogOf } from '../src/i18n/index.js';

const itCatalog = catalogOf('it');
const deCatalog = catalogOf('de');
const enCatalog = catalogOf('en');
import { protocolAllocator } from '../src/flows/indennita/protocol.js';
import { importOutcomes, recheckIbans, submitApplication } from '../src/flows/indennita/service.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { type Client, buildTestApp, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { loginOperator } from './support/operators.js';
import { pdfPages } from './support/pdf.js';
import { loggedInCitizen, loggedInSemplificato } from './support/pins.js';
import { auditOf, outboxOf } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
let accountSeq = 1;
/** A fresh valid Italian IBAN. */
const newIban = () => ibanWithCheckDigits('IT', `X0542811101${String(accountSeq++).padStart(12, '0')}`);
const child = (day: number, year = 2012) =>
  computeCf({ cognome: 'Verdi', nome: 'Anna', dataNascita: new Date(Date.UTC(year, 0, day)), sesso: 'F', belfioreNascita: 'G702' });

const DECLARATIONS: Record<string, string[]> = {
  art27: ['attivo23febbraio', 'gestioneSeparata', 'nonPensionato', 'nonAltraPrevidenza'],
  art28: ['iscrittoAgo', 'nonPensionato', 'nonAltraPrevidenza'],
  art29: ['cessazioneInvolontaria', 'nonPensionato', 'nonDipendente17marzo'],
  art30: ['operaioAgricoloOtd', 'nonPensionato'],
  art38: ['iscrittoFpls', 'nonPensionato', 'nonDipendente17marzo'],
  art23: ['altroGenitoreNonBeneficiario', 'nonCongedoCovid'],
};
const FIELDS: Record<string, Record<string, string>> = {
  art27: { rapporto: 'partita_iva', partitaIva: '07643520567' },
  art28: { gestione: 'commercianti' },
  art29: { settore: 'turismo', datoreLavoro: 'Hotel Miramare', dataCessazione: '31/10/2019' },
  art30: { giornate2019: '120' },
  art38: { contributi2019: '45', reddito2019: '18000' },
  art23: { figlio1: child(10), importo: '600' },
};
const form = (categoria: string, iban: string, extra: Record<string, string> = {}) => ({
  categoria,
  iban,
  intestatario: 'si',
  ...FIELDS[categoria],
  ...Object.fromEntries(DECLARATIONS[categoria]!.map((d) => [`decl_${d}`, 'si'])),
  ...extra,
});

describe.each(ENGINES)('COVID-19 indemnity (R21, R6, seed 003) on %s', (engine) => {
  const t = useTestApp(engine, { VARCO_PIN_SEMPLIFICATO: 'true', VARCO_RESIDENCE_REGISTRY: 'table', VARCO_IBAN_MAX_APPLICANTS: '2' }, { hasher });

  async function apply(client: Client, body: Record<string, string>) {
    await client.get(`/prestazioni/covid-19/domanda?categoria=${body.categoria}`);
    // The form leads to the review ("Riepilogo"); its "Invia domanda" sends the carried answers.
    const review = await client.post('/prestazioni/covid-19/domanda', body);
    if (review.statusCode !== 200) return review;
    expect(review.body).toContain('id="review-confirm"');
    return client.post('/prestazioni/covid-19/domanda', { ...carriedOf(review.body), azione: 'conferma' });
  }
  /** The hidden fields of the review page, as a browser would send them back. */
  const carriedOf = (body: string) =>
    Object.fromEntries(
      [...body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
        .filter((m) => m[1] !== '_csrf')
        .map((m) => [
          m[1]!,
          m[2]!
            .replace(/&amp;/g, '&')
            .replace(/&quot;/g, '"')
            .replace(/&#39;/g, "'")
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>'),
        ]),
    );
  const byId = (id: string) => t.db.selectFrom('covid_applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const idOf = (location: unknown) => /domande\/([0-9a-f-]{36})\?inviata=1$/.exec(String(location))?.[1] ?? '';

  it('the path of seed 003 is open to a PIN semplificato session, and the application goes through', async () => {
    const { c, client } = await loggedInSemplificato(t, hasher);
    const home = await client.get('/prestazioni');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Domande per prestazioni a sostegno del reddito');
    expect(home.body).toContain('Indennità COVID-19');
    expect(home.body).toContain('href="/prestazioni/covid-19/domanda">Invio domanda');
    const choose = await client.get('/prestazioni/covid-19/domanda');
    for (const cat of Object.keys(DECLARATIONS)) expect(choose.body).toContain(`value="${cat}"`);
    const iban = newIban();
    const sent = await apply(client, form('art28', iban));
    expect(sent.statusCode).toBe(303);
    const detail = await client.follow(sent);
    expect(detail.headers['cache-control']).toBe('no-store');
    const a = await byId(idOf(sent.headers.location));
    expect(a).toMatchObject({ citizen_id: c.citizenId, categoria: 'art28', gruppo: 'art31', iban, importo_cents: 60_000, stato: 'in_verifica' });
    expect(a.protocollo).toMatch(/^COV19-\d{4}-\d{8}$/);
    expect(detail.body).toContain(`Domanda inviata. Il numero di protocollo è ${a.protocollo}`);
    expect(detail.body).toContain('In verifica');
    expect(detail.body).not.toContain(iban);
    const events = await auditOf(t.db, { cf: c.codiceFiscale, event: 'covid.domanda_inviata' }).select(['event', 'details']).execute();
    expect(events).toHaveLength(1);
  });

  it('ordinario and dispositivo sessions reach it too; without a session it asks to log in', async () => {
    for (const dispositivo of [false, true]) {
      const { client } = await loggedInCitizen(t, hasher, { dispositivo });
      expect((await client.get('/prestazioni/covid-19/domanda?categoria=art30')).statusCode).toBe(200);
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/prestazioni/covid-19/domanda' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/accedi\?richiesto=1/);
  });

  it('R6: a semplificato session reaches the indemnity and no other service', async () => {
    const { client } = await loggedInSemplificato(t, hasher);
    const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
    const reached: string[] = [];
    for (const r of t.app.routeList.filter((r) => r.method === 'GET' && !r.url.includes('*'))) {
      const url = r.url.replace(/:[a-z]+/g, '00000000-0000-4000-8000-000000000000');
      const before = await anonymous(url);
      if (before.statusCode !== 303 || !String(before.headers.location).startsWith('/accedi')) continue; // not a citizen page
      const res = await client.get(url);
      if (res.statusCode === 200) reached.push(r.url);
      else expect([403, 404], `${url} answered ${res.statusCode}`).toContain(res.statusCode);
    }
    expect(reached.sort()).toEqual(['/bacheca', '/prestazioni', '/prestazioni/covid-19/domanda', '/prestazioni/covid-19/domande', '/profilo']);
  });

  it('each category asks its own fields and declarations, checked server-side', async () => {
    const { client } = await loggedInCitizen(t, hasher);
    const refused = async (body: Record<string, string>, field: string, message?: string) => {
      const res = await apply(client, body);
      expect(res.statusCode, `${body.categoria} ${field}`).toBe(422);
      expect(res.body).toContain(`id="f-${field}-error"`);
      if (message) expect(res.body).toContain(message);
    };
    const iban = newIban();
    await refused(form('art27', iban, { partitaIva: '07643520568' }), 'partitaIva', 'Partita IVA: 11 cifre con la cifra di controllo corretta.');
    await refused(form('art27', iban, { rapporto: 'cococo', partitaIva: '' }), 'committente');
    await refused(form('art27', iban, { rapporto: 'socio' }), 'rapporto');
    await refused(form('art28', iban, { gestione: '' }), 'gestione');
    await refused(form('art29', iban, { dataCessazione: '18/03/2020' }), 'dataCessazione', 'deve essere tra il 01/01/2019 e il 17/03/2020');
    await refused(form('art29', iban, { dataCessazione: '31/02/2020' }), 'dataCessazione');
    await refused(form('art30', iban, { giornate2019: '49' }), 'giornate2019', 'deve essere tra 50 e 366');
    await refused(form('art30', iban, { giornate2019: 'molte' }), 'giornate2019', 'scrivi un numero intero');
    await refused(form('art38', iban, { reddito2019: '50001' }), 'reddito2019');
    await refused(form('art38', iban, { contributi2019: '29' }), 'contributi2019');
    await refused(form('art23', iban, { figlio1: child(4, 2007) }), 'figlio1', 'non avevano più di 12 anni');
    await refused(form('art23', iban, { figlio2: child(10) }), 'figlio2', 'lo stesso figlio è indicato due volte');
    await refused(form('art23', iban, { importo: '601' }), 'importo');
    await refused(form('art23', iban, { figlio1: 'RSSMRA85T10A562X' }), 'figlio1');
    // 12 or younger on 5 March 2020: born 05/03/2007 is 13 that day; born after that day is not yet born.
    const born = (d: string) => computeCf({ cognome: 'Verdi', nome: 'Anna', dataNascita: new Date(`${d}T00:00:00Z`), sesso: 'F', belfioreNascita: 'G702' });
    await refused(form('art23', iban, { figlio1: born('2007-03-05') }), 'figlio1', 'non avevano più di 12 anni');
    await refused(form('art23', iban, { figlio1: born('2020-12-31') }), 'figlio1', 'nati entro il 5 marzo 2020');
    await refused(form('art29', iban, { datoreLavoro: 'Hotel\u0000Mare' }), 'datoreLavoro', 'contiene caratteri non ammessi');
    await refused(form('art30', iban, { giornate2019: '5.0' }), 'giornate2019');
    for (const [cat, decls] of Object.entries(DECLARATIONS)) {
      for (const d of decls)
        await refused(
          form(cat, iban, { [`decl_${d}`]: '' }),
          `decl_${d}`,
          `Dichiarazione mancante, necessaria per presentare la domanda: «${String(itCatalog[`cov.decl.${d}`]).replace(/'/g, '&#39;')}»`,
        );
    }
    await refused(form('art30', iban, { intestatario: '' }), 'intestatario');
    const unknown = await client.post('/prestazioni/covid-19/domanda', { ...form('art30', iban), categoria: 'art99' });
    expect(unknown.statusCode).toBe(422);
    expect((await client.get('/prestazioni/covid-19/domanda?categoria=art99')).statusCode).toBe(422);
    expect(await t.db.selectFrom('covid_applications').select('id').where('iban', '=', iban).execute()).toEqual([]);
    // Limits that are right: a child born 06/03/2007, an income written with a thousands separator.
    expect((await apply(client, form('art23', iban, { figlio1: born('2007-03-06') }))).statusCode).toBe(303);
    expect((await apply(client, form('art38', iban, { reddito2019: '50.000' }))).statusCode).toBe(303);
  });

  it('a review ("Riepilogo") shows every answer before "Invia domanda"; nothing is sent until confirmed; "Modifica" goes back with the answers', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const iban = newIban();
    await client.get('/prestazioni/covid-19/domanda?categoria=art29');
    const review = await client.post('/prestazioni/covid-19/domanda', form('art29', iban));
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('<h2 class="h3">Riepilogo</h2>');
    for (const shown of [
      'Turismo',
      'Hotel Miramare',
      '31/10/2019',
      iban,
      c.codiceFiscale,
      'Dichiaro che il rapporto di lavoro è cessato in modo involontario.',
    ])
      expect(review.body).toContain(shown);
    expect(review.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(review.body).toContain('name="azione" value="modifica"');
    expect(review.body).toContain('name="azione" value="conferma"');
    expect(await t.db.selectFrom('covid_applications').select('id').where('citizen_id', '=', c.citizenId).execute()).toEqual([]);
    const edit = await client.post('/prestazioni/covid-19/domanda', { ...carriedOf(review.body), azione: 'modifica' });
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Hotel Miramare"');
    expect(edit.body).not.toContain('id="error-summary"');
    // The carried answers are validated again at the final submit: a tampered hidden field is refused.
    const tampered = await client.post('/prestazioni/covid-19/domanda', { ...carriedOf(review.body), dataCessazione: '18/03/2020', azione: 'conferma' });
    expect(tampered.statusCode).toBe(422);
    expect(tampered.body).toContain('id="f-dataCessazione-error"');
    const noDecl = await client.post('/prestazioni/covid-19/domanda', { ...carriedOf(review.body), decl_nonPensionato: '', azione: 'conferma' });
    expect(noDecl.statusCode).toBe(422);
    expect(await t.db.selectFrom('covid_applications').select('id').where('citizen_id', '=', c.citizenId).execute()).toEqual([]);
    // Without the CSRF token the confirmation is refused.
    const forged = await t.app.inject({
      method: 'POST',
      url: '/prestazioni/covid-19/domanda',
      headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...carriedOf(review.body), azione: 'conferma' }).toString(),
    });
    expect(forged.statusCode).toBeGreaterThanOrEqual(400);
    const sent = await client.post('/prestazioni/covid-19/domanda', { ...carriedOf(review.body), azione: 'conferma' });
    expect(sent.statusCode).toBe(303);
    expect(await t.db.selectFrom('covid_applications').select('id').where('citizen_id', '=', c.citizenId).execute()).toHaveLength(1);
  });

  it('the error summary lists errors in page order and each declaration error names its declaration', async () => {
    const { client } = await loggedInCitizen(t, hasher);
    await client.get('/prestazioni/covid-19/domanda?categoria=art38');
    const res = await client.post('/prestazioni/covid-19/domanda', { categoria: 'art38', reddito2019: '99999999' });
    expect(res.statusCode).toBe(422);
    const summary = /<div class="alert alert-danger"[^]*?<\/div>/.exec(res.body)![0];
    const inSummary = [...summary.matchAll(/href="#f-([^"]+)"/g)].map((m) => m[1]);
    expect(inSummary).toEqual([
      'contributi2019',
      'reddito2019',
      'iban',
      'intestatario',
      'decl_iscrittoFpls',
      'decl_nonPensionato',
      'decl_nonDipendente17marzo',
    ]);
    const onPage = [...res.body.matchAll(/id="f-([A-Za-z0-9_]+)-error"/g)].map((m) => m[1]);
    expect(onPage).toEqual(inSummary);
    expect(summary).toContain('«Dichiaro di non essere titolare di pensione.»');
    expect(summary).toContain('«Dichiaro di avere l&#39;iscrizione al Fondo pensioni lavoratori dello spettacolo.»');
  });

  it('art. 31: with an application already sent, the category pages say so up front', async () => {
    const { client } = await loggedInCitizen(t, hasher);
    expect((await client.get('/prestazioni/covid-19/domanda?categoria=art28')).body).not.toContain('id="cov-existing"');
    const first = await apply(client, form('art27', newIban()));
    const protocollo = (await byId(idOf(first.headers.location))).protocollo;
    for (const url of ['/prestazioni/covid-19/domanda', '/prestazioni/covid-19/domanda?categoria=art28']) {
      const body = (await client.get(url)).body;
      expect(body).toContain('id="cov-existing"');
      expect(body).toContain(`Hai già presentato la domanda n. ${protocollo}`);
    }
    // The baby-sitting bonus is apart: its page does not warn.
    expect((await client.get('/prestazioni/covid-19/domanda?categoria=art23')).body).not.toContain('id="cov-existing"');
  });

  it('declarations are gender-neutral in every language', () => {
    for (const cat of [itCatalog, deCatalog, enCatalog] as Record<string, string>[]) {
      for (const [key, text] of Object.entries(cat).filter(([key]) => key.startsWith('cov.decl.') || key === 'cov.form.truth')) {
        expect(text, key).not.toMatch(/sottoscritt|\bnat[oa] a\b|\biscritt[oa]\b|\boperai[oa]\b|\bconsapevole\b|\/in\b|\/r\b|Landarbeiter/);
      }
    }
  });

  it('the IBAN is checked for country format and check digits', async () => {
    const { client } = await loggedInCitizen(t, hasher);
    const good = newIban();
    const cases: [string, string][] = [
      [`${good.slice(0, 2)}${good[2] === '9' ? '0' : String(Number(good[2]) + 1)}${good.slice(3)}`, 'i caratteri di controllo non corrispondono'],
      ['US64SVBKUS6S3300958879', 'deve essere in un paese'],
      ['IT60X05428111010000001234', 'la lunghezza o la forma non corrispondono'],
      ['conto 12345', 'scrivi il codice IBAN completo'],
      ['', 'IBAN: campo obbligatorio.'],
    ];
    for (const [iban, message] of cases) {
      const res = await apply(client, form('art30', iban));
      expect(res.statusCode, iban).toBe(422);
      expect(res.body).toContain(message);
    }
    // Spaces and lower case are fine: stored normalised.
    const spaced = good.toLowerCase().replace(/(.{4})/g, '$1 ');
    const ok = await apply(client, form('art30', spaced));
    expect((await byId(idOf(ok.headers.location))).iban).toBe(good);
  });

  it('art. 31: a second indemnity by the same person is refused with the first protocol number; the baby-sitting bonus is apart', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const first = await apply(client, form('art27', newIban()));
    const firstProtocol = (await byId(idOf(first.headers.location))).protocollo;
    for (const cat of ['art27', 'art28', 'art29', 'art30', 'art38']) {
      const again = await apply(client, form(cat, newIban()));
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain(`Hai già presentato la domanda n. ${firstProtocol}`);
      expect(again.body).toContain('art. 31 del D.L. 18/2020');
    }
    const bonus = await apply(client, form('art23', newIban()));
    expect(bonus.statusCode).toBe(303);
    expect((await apply(client, form('art23', newIban()))).statusCode).toBe(409);
    const rows = await t.db.selectFrom('covid_applications').select('categoria').where('citizen_id', '=', c.citizenId).orderBy('categoria').execute();
    expect(rows.map((r) => r.categoria)).toEqual(['art23', 'art27']);
    const refusals = await auditOf(t.db, { event: 'covid.domanda_rifiutata', cf: c.codiceFiscale }).select('details').execute();
    expect(refusals).toHaveLength(6);
  });

  it('art. 31 holds under concurrent submissions: exactly one of five is accepted', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    await client.get('/prestazioni/covid-19/domanda?categoria=art27');
    const results = await Promise.all(
      ['art27', 'art28', 'art29', 'art30', 'art38'].map((cat) => client.post('/prestazioni/covid-19/domanda', { ...form(cat, newIban()), azione: 'conferma' })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 409, 409, 409, 409]);
    expect(await t.db.selectFrom('covid_applications').select('id').where('citizen_id', '=', c.citizenId).execute()).toHaveLength(1);
  });

  it('the holder check: yes moves it to in istruttoria; no or unknown leaves it in verifica until the registry says yes', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const mine = newIban();
    await importIbanHolders(t.db, { text: `iban;codice_fiscale\n${mine};${c.codiceFiscale}\n` });
    const ok = await apply(client, form('art30', mine));
    expect((await byId(idOf(ok.headers.location))).stato).toBe('in_istruttoria');

    const other = await loggedInCitizen(t, hasher);
    const strangers = newIban();
    await importIbanHolders(t.db, { text: `${strangers};${c.codiceFiscale}\n` });
    const sent = await apply(other.client, form('art30', strangers));
    const id = idOf(sent.headers.location);
    expect((await byId(id)).stato).toBe('in_verifica');
    const box = createSecretBox(t.config.secretKey);
    const deps = { db: t.db, box, ibanHolders: tableIbanHolderCheck(t.db), now: () => new Date(Date.now() + 3_600_000) };
    expect(await recheckIbans(deps, { everyMinutes: 30 })).toBe(0);
    expect((await byId(id)).stato).toBe('in_verifica');
    // The account turns out to be co-held by the applicant as well.
    await importIbanHolders(t.db, { text: `${strangers};${other.c.codiceFiscale}\n` });
    expect(await recheckIbans({ ...deps, now: () => new Date(Date.now() + 7_200_000) }, { everyMinutes: 30 })).toBe(1);
    expect((await byId(id)).stato).toBe('in_istruttoria');
    const report = await importIbanHolders(t.db, { text: 'IT00BAD;RSSMRA85T10A562S\nIT60X0542811101000000123456;NOTACF\n' });
    expect(report.rejected.map((r) => r.line)).toEqual([1, 2]);
  });

  it('a remote holder check (the production adapter) is asked before writing; only its yes counts', async () => {
    const { c } = await loggedInCitizen(t, hasher);
    const asked: string[] = [];
    const remote = (answer: 'yes' | 'no' | 'unknown') => ({ check: async (iban: string, cf: string) => (asked.push(`${iban}:${cf}`), answer) });
    const base = { db: t.db, box: createSecretBox(t.config.secretKey), nextProtocol: protocolAllocator(t.db), now: () => new Date() };
    const def = categoryById('art30')!;
    const values = { values: { giornate2019: 80 }, declarations: ['operaioAgricoloOtd', 'nonPensionato'], amountCents: 60_000 };
    const iban = newIban();
    const yes = await submitApplication(
      { ...base, ibanHolders: remote('yes') },
      { citizenId: c.citizenId, codiceFiscale: c.codiceFiscale },
      def,
      values,
      iban,
      { actor: 'test' },
    );
    expect(yes).toMatchObject({ ok: true, stato: 'in_istruttoria' });
    expect(asked).toEqual([`${iban}:${c.codiceFiscale}`]);
    const other = await loggedInCitizen(t, hasher);
    const unknown = await submitApplication(
      { ...base, ibanHolders: remote('unknown') },
      { citizenId: other.c.citizenId, codiceFiscale: other.c.codiceFiscale },
      def,
      values,
      newIban(),
      { actor: 'test' },
    );
    expect(unknown).toMatchObject({ ok: true, stato: 'in_verifica' });
    const audit = await auditOf(t.db, { event: 'covid.domanda_inviata', cf: other.c.codiceFiscale }).select('details').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ categoria: 'art30', stato: 'in_verifica' });
  });

  it('an IBAN named by more applicants than allowed is flagged on all their applications', async () => {
    const shared = newIban();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { client } = await loggedInCitizen(t, hasher);
      ids.push(idOf((await apply(client, form('art30', shared))).headers.location));
    }
    expect((await t.db.selectFrom('iban_usage').select('applicants').where('iban', '=', shared).executeTakeFirstOrThrow()).applicants).toBe(3);
    const op = await loginOperator(t, 'supervisore', `sup.flag.${engine}`);
    const flagged = await op.client.get('/backoffice/domande?segnalate=1');
    for (const id of ids) expect(flagged.body).toContain(`/backoffice/domande/${id}`);
    const detail = await op.client.get(`/backoffice/domande/${ids[0]}`);
    expect(detail.body).toContain('questo IBAN è indicato da 3 richiedenti diversi');
    for (const other of ids.slice(1)) expect(detail.body).toContain((await byId(other)).protocollo);
    const single = newIban();
    const { client } = await loggedInCitizen(t, hasher);
    const sent = await apply(client, form('art30', single));
    expect((await op.client.get('/backoffice/domande?segnalate=1')).body).not.toContain(`/backoffice/domande/${idOf(sent.headers.location)}`);
    expect((await op.client.get(`/backoffice/domande/${idOf(sent.headers.location)}`)).body).not.toContain('id="bo-cov-flag"');
    // The same person naming the same IBAN twice (indemnity and bonus) counts once.
    const twice = newIban();
    const p = await loggedInCitizen(t, hasher);
    await apply(p.client, form('art30', twice));
    await apply(p.client, form('art23', twice));
    expect((await t.db.selectFrom('iban_usage').select('applicants').where('iban', '=', twice).executeTakeFirstOrThrow()).applicants).toBe(1);
  });

  it('Le mie domande, the detail and the receipt PDF (rendered at download) show only the owner’s applications', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const sent = await apply(client, form('art29', newIban()));
    const id = idOf(sent.headers.location);
    const a = await byId(id);
    const mine = await client.get('/prestazioni/covid-19/domande');
    expect(mine.headers['cache-control']).toBe('no-store');
    expect(mine.body).toContain(a.protocollo);
    const filesBefore = await t.db.selectFrom('stored_files').select('id').execute();
    const receipt = await client.get(`/prestazioni/covid-19/domande/${id}/ricevuta`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(receipt.headers['cache-control']).toBe('no-store');
    const text = (await pdfPages(receipt.rawPayload)).join('\n');
    expect(text).toContain(a.protocollo);
    expect(text).toContain(c.codiceFiscale);
    expect(text).toContain('Indennità lavoratori stagionali del turismo');
    expect(text).toContain('Hotel Miramare');
    expect(await t.db.selectFrom('stored_files').select('id').execute()).toHaveLength(filesBefore.length);

    const stranger = await loggedInCitizen(t, hasher);
    const list = await stranger.client.get('/prestazioni/covid-19/domande');
    expect(list.body).not.toContain(a.protocollo);
    for (const url of [`/prestazioni/covid-19/domande/${id}`, `/prestazioni/covid-19/domande/${id}/ricevuta`]) {
      const res = await stranger.client.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(a.protocollo);
      expect(res.body).not.toContain(c.codiceFiscale);
    }
    expect((await client.get('/prestazioni/covid-19/domande/not-an-id')).statusCode).toBe(404);
    // No personal data in URLs: the only id is opaque.
    expect(String(sent.headers.location)).not.toContain(c.codiceFiscale);
    expect(String(sent.headers.location)).not.toContain(a.iban);
  });

  it('an operator records the outcome; the citizen sees it and is told; final outcomes do not change', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const sent = await apply(client, form('art38', newIban()));
    const id = idOf(sent.headers.location);
    const op = await loginOperator(t, 'sede', `sede.cov.${engine}`);
    const list = await op.client.get('/backoffice/domande?stato=in_verifica');
    expect(list.body).toContain(`/backoffice/domande/${id}`);
    await op.client.get(`/backoffice/domande/${id}`);
    const notVerified = await op.client.post(`/backoffice/domande/${id}/esito`, { esito: 'accolta', motivo: '' });
    expect(notVerified.statusCode).toBe(409);
    expect(notVerified.body).toContain('non è ancora verificata');
    expect((await op.client.post(`/backoffice/domande/${id}/esito`, { esito: 'respinta', motivo: '' })).statusCode).toBe(422);
    const done = await op.client.post(`/backoffice/domande/${id}/esito`, { esito: 'respinta', motivo: 'Iscrizione al Fondo non risultante' });
    expect(done.statusCode).toBe(303);
    const detail = await client.get(`/prestazioni/covid-19/domande/${id}`);
    expect(detail.body).toContain('Respinta');
    expect(detail.body).toContain('Iscrizione al Fondo non risultante');
    const mail = await outboxOf(t.db, { template: 'covid.esito', citizenId: c.citizenId }).select(['channel', 'recipient', 'params']).execute();
    expect(mail).toEqual([{ channel: 'email', recipient: 'giuseppe.verdi@example.org', params: expect.objectContaining({ esito: 'respinta' }) }]);
    expect((await op.client.post(`/backoffice/domande/${id}/esito`, { esito: 'accolta', motivo: '' })).statusCode).toBe(409);
    const cc = await loginOperator(t, 'contact-center', `cc.cov.${engine}`);
    expect((await cc.client.get(`/backoffice/domande/${id}`)).statusCode).toBe(403);
    const events = await auditOf(t.db, { cf: c.codiceFiscale, event: ['covid.esito', 'covid.domanda_consultata'] })
      .select(['event', 'actor'])
      .execute();
    expect(events).toContainEqual({ event: 'covid.esito', actor: `operator:sede.cov.${engine}` });
    expect(events).toContainEqual({ event: 'covid.domanda_consultata', actor: `operator:sede.cov.${engine}` });
  });

  it('the back-office list pages by 100', async () => {
    await loggedInCitizen(t, hasher);
    const op = await loginOperator(t, 'supervisore', `sup.pages.${engine}`);
    const before = (await t.db.selectFrom('covid_applications').select('id').execute()).length;
    const template = await t.db.selectFrom('citizens').selectAll().limit(1).executeTakeFirstOrThrow();
    const rows = Array.from({ length: 101 }, (_, i) => ({
      id: randomUUID(),
      cf: computeCf({ cognome: 'Pagine', nome: 'Piero', dataNascita: new Date(Date.UTC(1950, 0, 1 + i)), sesso: 'M', belfioreNascita: 'G702' }),
    }));
    await t.db
      .insertInto('citizens')
      .values(
        rows.map((r) => ({
          ...template,
          id: r.id,
          codice_fiscale: r.cf,
          residenza: JSON.stringify(template.residenza),
          created_at: undefined,
          updated_at: undefined,
        })),
      )
      .execute();
    await t.db
      .insertInto('covid_applications')
      .values(
        rows.map((r, i) => ({
          id: randomUUID(),
          protocollo: `COV19-1999-${String(i).padStart(8, '0')}`,
          citizen_id: r.id,
          categoria: 'art30' as const,
          gruppo: 'art31' as const,
          dichiarazioni: '{"campi":{},"dichiarazioni":[]}',
          iban: newIban(),
          importo_cents: 60_000,
          stato: 'in_verifica' as const,
          submitted_at: new Date(Date.UTC(1999, 0, 1, 0, i)),
        })),
      )
      .execute();
    const first = await op.client.get('/backoffice/domande');
    expect(first.body.match(/href="\/backoffice\/domande\/[0-9a-f-]{36}"/g)).toHaveLength(100);
    expect(first.body).toContain('id="bo-cov-next"');
    const total = before + 101;
    const lastPage = Math.ceil(total / 100);
    const last = await op.client.get(`/backoffice/domande?pagina=${lastPage}`);
    expect(last.body.match(/href="\/backoffice\/domande\/[0-9a-f-]{36}"/g)).toHaveLength(total - (lastPage - 1) * 100);
    expect(last.body).not.toContain('id="bo-cov-next"');
    expect(last.body).toContain('rel="prev"');
    expect((await op.client.get('/backoffice/domande?pagina=abc')).statusCode).toBe(200);
  });

  it('varco domande esiti records outcomes from a file and reports the rows it refuses', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    const mine = newIban();
    await importIbanHolders(t.db, { text: `${mine};${c.codiceFiscale}\n` });
    const a = await byId(idOf((await apply(client, form('art30', mine))).headers.location));
    const box = createSecretBox(t.config.secretKey);
    const report = await importOutcomes(
      { db: t.db, box, now: () => new Date() },
      {
        text: `protocollo;esito;motivo\n${a.protocollo};accolta;\nCOV19-1999-00000000;accolta;\n${a.protocollo};respinta;\n${a.protocollo};forse;x\n${a.protocollo};accolta;\n${a.protocollo};respinta;con\u0000nul\nnon-un-protocollo;accolta;\n`,
      },
      'esiti.csv',
    );
    expect(report.recorded).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(report.rejected[3]!.reason).toContain('esito già registrato');
    expect((await byId(a.id)).stato).toBe('accolta');
    expect((await byId(a.id)).esito_by).toBe('import:esiti.csv');
  });
});

describe('COVID-19 applications racing on one IBAN (PostgreSQL: two connections)', () => {
  it('the second waits for the first, so one person is counted once per IBAN', async () => {
    const t = await buildTestApp('postgres', {}, { hasher });
    const a = new pg.Client({ connectionString: t.url });
    const b = new pg.Client({ connectionString: t.url });
    await a.connect();
    await b.connect();
    try {
      const { c } = await loggedInCitizen(t, hasher);
      const iban = newIban();
      const call = (client: pg.Client, categoria: string, gruppo: string) =>
        client.query(
          "select varco_submit_covid($1, $2, $3, $4, $5, $6, '{}'::jsonb, $7, 60000, 'no', now(), 'covid.domanda_inviata', 'test', null, null, '{}'::jsonb)",
          [randomUUID(), `COV19-2020-${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, c.citizenId, c.codiceFiscale, categoria, gruppo, iban],
        );
      await a.query('begin');
      await call(a, 'art30', 'art31');
      // The second application (another group, same person, same IBAN) starts while the first is not committed.
      let secondDone = false;
      const second = call(b, 'art23', 'art23').then(() => (secondDone = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(secondDone).toBe(false);
      await a.query('commit');
      await second;
      expect((await t.db.selectFrom('iban_usage').select('applicants').where('iban', '=', iban).executeTakeFirstOrThrow()).applicants).toBe(1);
      expect(await t.db.selectFrom('covid_applications').select('categoria').where('citizen_id', '=', c.citizenId).orderBy('categoria').execute()).toEqual([
        { categoria: 'art23' },
        { categoria: 'art30' },
      ]);
    } finally {
      await a.end();
      await b.end();
      await t.close();
    }
  });
});
