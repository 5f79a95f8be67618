import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../src/audit/events.js';
import { addClient } from '../src/clients/clients.js';
import { lockoutKey, recordFailure, recordSuccess, reserveAttempt } from '../src/flows/accesso/lockout.js';
import { DEMO_CITIZENS, DEMO_OPERATORS, seedDemoData } from '../src/dev/demo.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { totpCode } from '../src/security/totp.js';
import { type TestApp, Client, buildTestApp } from './support/app.js';
import { italianCitizen } from './support/citizens.js';
import { ENGINES } from './support/db.js';

/**
 * docs/security.md, found by an outside test: a NUL byte in a form field answered 500 (PostgreSQL
 * refuses NUL in text and jsonb). Every form the portal shows — anonymous, citizen (ordinario and
 * dispositivo), operator of each role, the OpenID Provider's interaction — is read from its page
 * and posted once per field with a control character in that field; main GET routes get one in
 * their query. Nothing answers 500; a text field typed into is refused with "contiene caratteri non
 * ammessi" (the back office's forms: its redirect to the page with `errore=`).
 */
const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });
const REDIRECT = 'https://rp.example.org/cb';
const CONTROLS = ['\u0000', '\u0001', '\u001b', '\u007f'];
/** A lone UTF-16 surrogate: only a JSON body can carry it (jsonb refuses it; an outside review got a 500 with it). */
const LONE_SURROGATE = '\ud800';
const TYPED = new Set(['text', 'email', 'tel', 'password', 'search', 'textarea']);
/** The field error of src/i18n/it.ts 'error.invalidChars'. */
const FIELD_ERROR = 'contiene caratteri non ammessi';
/** Fields the indemnity form ignores unless another choice shows them (the page's own choice is the other one). */
const NOT_APPLYING = new Set(['committente']);

interface Field {
  name: string;
  kind: string;
  value: string;
}
interface Form {
  action: string;
  multipart: boolean;
  fields: Field[];
}

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m
    ? m[1]!
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
    : undefined;
};

/** The POST forms of a page, with their fields and the values a browser would send. */
function formsOf(html: string, pageUrl: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = m[1]!;
    if ((attr(open, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const body = m[2]!;
    const fields = new Map<string, Field>();
    for (const tag of body.match(/<input\b[^>]*>/gi) ?? []) {
      const name = attr(tag, 'name');
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (!name || type === 'file' || type === 'submit') continue;
      if ((type === 'radio' || type === 'checkbox') && fields.has(name) && !/\schecked/i.test(tag)) continue;
      fields.set(name, { name, kind: type, value: attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '') });
    }
    for (const s of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attr(s[1]!, 'name');
      if (!name) continue;
      const options = [...s[2]!.matchAll(/<option\b([^>]*)>/gi)].map((o) => ({ value: attr(o[1]!, 'value') ?? '', selected: /\sselected/i.test(o[1]!) }));
      fields.set(name, { name, kind: 'select', value: (options.find((o) => o.selected) ?? options.find((o) => o.value) ?? { value: '' }).value });
    }
    for (const s of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attr(s[1]!, 'name');
      if (name) fields.set(name, { name, kind: 'textarea', value: s[2]! });
    }
    for (const tag of body.match(/<button\b[^>]*>/gi) ?? []) {
      const name = attr(tag, 'name');
      // The last button is the form's main action (a browser sends only the one clicked).
      if (name) fields.set(name, { name, kind: 'button', value: attr(tag, 'value') ?? '' });
    }
    forms.push({ action: attr(open, 'action') || pageUrl, multipart: /multipart/i.test(attr(open, 'enctype') ?? ''), fields: [...fields.values()] });
  }
  return forms;
}

/** Plausible values for the fields a page leaves empty, so that the control character is what the form meets. */
function plausible(name: string, cf: string, pin: string): string {
  const values: Record<string, string> = {
    codiceFiscale: cf,
    pin,
    current: pin,
    confirm: pin,
    cognome: 'VERDI',
    nome: 'GIUSEPPE',
    dataNascita: '01/01/1973',
    indirizzo: 'Via Roma',
    numeroCivico: '12',
    cap: '56125',
    cellulare: '333 1234567',
    email: 'prova@example.org',
    pec: 'prova@pec.example.it',
    telefonoAbitazione: '050 123456',
    valore: 'prova@example.org',
    codice: 'AAAAAAAA',
    username: 'demo.sede',
    password: 'x',
    totp: '123456',
    numero: 'CA12345AA',
    ente: 'Comune di Pisa',
    rilascio: '01/01/2020',
    scadenza: '01/01/2030',
    iban: 'IT60X0542811101000000123456',
    motivo: 'Prova',
    q: 'pin',
    cittaResidenza: 'Zürich',
    indirizzoEstero: 'Bahnhofstrasse 1',
    codicePostale: '8001',
    numeroTessera: '80380000000000000001',
    scadenzaTessera: '31/12/2030',
  };
  return values[name] ?? 'Prova';
}

/** A refusal: an error status, or the back office's redirect to the form with its error (`errore=`). */
const refused = (res: LightMyRequestResponse) =>
  [400, 401, 403, 404, 409, 422, 423, 429].includes(res.statusCode) || (res.statusCode === 303 && /[?&]errore=/.test(String(res.headers.location)));

const inject = (c: string, s: string) => (s.length === 0 ? `A${c}` : `${s.slice(0, 1)}${c}${s.slice(1)}`);

/** The back office's pages besides its home and the citizen's record. */
const BACKOFFICE_PAGES = [
  '/backoffice/richiesta',
  '/backoffice/domande',
  '/backoffice/approvazioni',
  '/backoffice/clienti',
  '/backoffice/limiti',
  '/backoffice/segnalazioni',
  '/backoffice/operatori',
];

describe.each(ENGINES)('control characters in every form field and query on %s', (engine) => {
  let t: TestApp;
  const fresh = italianCitizen();
  const seen: { form: string; field: string; status: number }[] = [];
  const ordinario = DEMO_CITIZENS.find((c) => !c.dispositivo)!;
  const dispositivo = DEMO_CITIZENS.find((c) => c.dispositivo)!;

  beforeAll(async () => {
    t = await buildTestApp(engine, { VARCO_PIN_SEMPLIFICATO: 'false' }, { hasher });
    await seedDemoData({ db: t.db, hasher, box: createSecretBox(t.config.secretKey), config: t.config });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Every form of every page, one post per field and control character; the page is read again before each post. */
  async function attack(client: Client, pages: string[], who: { cf: string; pin: string }, skip: RegExp = /\/esci$/) {
    const failures: string[] = [];
    for (const page of pages) {
      const first = await client.get(page);
      expect(first.statusCode, page).toBeLessThan(500);
      const forms = formsOf(first.body, page.replace(/^https?:\/\/[^/]+/, ''));
      for (const [k, form] of forms.entries()) {
        if (skip.test(form.action)) continue;
        for (const field of form.fields) {
          for (const ctl of [...CONTROLS, LONE_SURROGATE]) {
            const fresh = formsOf((await client.get(page)).body, page)[k] ?? form;
            const payload: Record<string, string> = {};
            for (const f of fresh.fields)
              payload[f.name] = f.value || (f.kind === 'hidden' || f.kind === 'button' ? f.value : plausible(f.name, who.cf, who.pin));
            payload[field.name] = inject(ctl, payload[field.name] ?? '');
            const res = await client.post(fresh.action, payload, { csrf: false, json: ctl === LONE_SURROGATE });
            seen.push({ form: `${page} → ${fresh.action}`, field: field.name, status: res.statusCode });
            const where = `${fresh.action} ${field.name} ${JSON.stringify(ctl)} answered ${res.statusCode}`;
            if (res.statusCode >= 500) failures.push(where);
            else if (TYPED.has(field.kind) && !refused(res)) failures.push(`${where} (accepted)`);
            else if (TYPED.has(field.kind) && res.statusCode !== 303 && !NOT_APPLYING.has(field.name) && !res.body.includes(FIELD_ERROR))
              failures.push(`${where} (without "${FIELD_ERROR}")`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }

  async function citizen(c: { codiceFiscale: string; pin: string }) {
    const client = new Client(t.app);
    await client.get('/accedi');
    const res = await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: c.pin });
    expect(res.headers.location).toBe('/bacheca');
    return client;
  }

  it('anonymous forms: accesso, richiesta (both steps), ripristino, revoca, non-sono-stato-io, back-office login', async () => {
    const client = new Client(t.app);
    const anon = { cf: fresh.codiceFiscale, pin: 'K7X9M3P4' };
    await attack(
      client,
      ['/accedi', '/pin/richiesta', '/pin/smarrito', '/pin/ripristino', '/pin/ripristino/conferma', '/pin/revoca', '/backoffice/accedi'],
      anon,
    );
    // The second step of the request, its review and its answer.
    await client.get('/pin/richiesta');
    const step1 = await client.post('/pin/richiesta', { codiceFiscale: fresh.codiceFiscale, residenza: 'IT' });
    expect(step1.statusCode).toBe(303);
    await attack(client, [String(step1.headers.location)], anon);
    // The outside review's 500: a lone surrogate in a JSON body, in a field the step does not show
    // (carried to the next flow) and in the second step's draft (saved as jsonb).
    await client.get('/pin/richiesta');
    const carried = await client.post(
      '/pin/richiesta',
      { codiceFiscale: italianCitizen().codiceFiscale, residenza: 'IT', cognome: LONE_SURROGATE },
      { json: true },
    );
    expect(carried.statusCode).toBe(303);
    const draft = await client.get(String(carried.headers.location));
    expect(draft.statusCode).toBe(200);
    const saved = await client.post(String(carried.headers.location), { cognome: LONE_SURROGATE, azione: 'aggiorna' }, { json: true });
    expect(saved.statusCode).toBeLessThan(500);
    // The draft was kept (the surrogate as U+FFFD) and the step still opens.
    expect((await client.get(String(carried.headers.location))).statusCode).toBe(200);
    // Links sent by message: a token with a control character.
    for (const [path, field] of [
      ['/non-sono-stato-io', 't'],
      ['/pin/revoca/completa', 't'],
      ['/pin/revoca/conferma', 't'],
    ] as const) {
      for (const ctl of CONTROLS) {
        await client.get('/pin/revoca');
        const res = await client.post(path, { [field]: `ab${ctl}cd` });
        expect(res.statusCode, path).toBeLessThan(500);
      }
    }
  });

  it('the citizen forms: cambio-pin, recapiti, certificati, indennità, conversione, profilo', async () => {
    for (const c of [ordinario, dispositivo]) {
      const client = await citizen(c);
      const who = { cf: c.codiceFiscale, pin: c.pin };
      const pages = [
        '/bacheca',
        '/profilo',
        '/accedi/cambio-pin',
        '/profilo/recapiti?tipo=email',
        '/profilo/recapiti?tipo=cellulare',
        '/certificati-malattia',
        '/prestazioni/covid-19/domanda',
        ...['art27', 'art28', 'art29', 'art30', 'art38', 'art23'].map((cat) => `/prestazioni/covid-19/domanda?categoria=${cat}`),
        '/pin/dispositivo',
        '/pin/dispositivo/converti',
        '/pin/dispositivo/documento',
        '/pin/dispositivo/modulo',
        '/pin/dispositivo/conferma',
        '/documenti',
      ];
      await attack(client, pages, who);
    }
  });

  it('the back-office forms of every role, and the OpenID Provider interaction', async () => {
    for (const o of [...DEMO_OPERATORS].sort((a, b) => (a.role === 'supervisore' ? 1 : b.role === 'supervisore' ? -1 : 0))) {
      const client = new Client(t.app);
      await client.get('/backoffice/accedi');
      // A fresh TOTP step each time (RFC 6238 §5.2 refuses a replay): the login row is updated to accept it.
      await t.db.updateTable('operators').set({ totp_last_step: null }).where('username', '=', o.username).execute();
      const res = await client.post('/backoffice/accedi', { username: o.username, password: o.password, totp: totpCode(o.totpSecret, new Date()) });
      expect(res.headers.location, o.username).toBe('/backoffice');
      const who = { cf: ordinario.codiceFiscale, pin: ordinario.pin };
      await attack(
        client,
        [
          '/backoffice',
          `/backoffice/cittadino?cf=${ordinario.codiceFiscale}`,
          `/backoffice/cittadino?codiceFiscale=${ordinario.codiceFiscale}`,
          ...BACKOFFICE_PAGES,
        ],
        who,
        /\/esci$|\/operatori\/[^/]+\/stato$/,
      );
    }

    const id = `rp.${randomBytes(4).toString('hex')}`;
    await addClient(t.db, createSecretBox(t.config.secretKey), { id, name: 'Servizio di prova', scopes: ['openid', 'profile'], redirectUris: [REDIRECT] });
    for (const loggedIn of [false, true]) {
      const client = loggedIn ? await citizen(ordinario) : new Client(t.app);
      const q = new URLSearchParams({
        client_id: id,
        response_type: 'code',
        scope: 'openid profile',
        redirect_uri: REDIRECT,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        state: 'st',
      });
      let res = await client.get(`/oidc/auth?${q}`);
      for (let i = 0; i < 6 && [302, 303].includes(res.statusCode) && !String(res.headers.location).startsWith(REDIRECT); i++)
        res = await client.get(String(res.headers.location).replace(/^https?:\/\/[^/]+/, ''));
      expect(res.statusCode).toBe(200);
      const page = /\/autorizza\/[^"?]+/.exec(res.body)?.[0]?.replace(/\/(consenso|annulla)$/, '');
      expect(page).toBeDefined();
      await attack(client, [page!], { cf: ordinario.codiceFiscale, pin: ordinario.pin }, /^$/);
    }
    expect(seen.length).toBeGreaterThan(500);
  });

  it('under the forms: a lockout key and an audit record holding a NUL are written, the NUL as U+FFFD', async () => {
    const now = new Date();
    expect(lockoutKey('RSSMRA85T10A56\u00002S')).not.toContain('\u0000');
    const reserved = await reserveAttempt(t.db, 'op:ab\u0000cd', now);
    expect(reserved.allowed).toBe(true);
    await recordFailure(t.db, 'op:ab\u0000cd', 1, now);
    await recordSuccess(t.db, 'op:ab\u0000cd', now);
    expect(await t.db.selectFrom('lockouts').select('cf_key').where('cf_key', '=', 'op:ab\ufffdcd').execute()).toHaveLength(1);
    await audit.operatorLoginFailed(t.db, { actor: 'anonymous', userAgent: 'UA\u0000' }, { username: 'ab\u0000cd' });
    const row = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('event', '=', 'operator.login_failed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.details).toMatchObject({ username: 'ab\ufffdcd', userAgent: 'UA\ufffd' });
  });

  it('a control character in the query of the main pages answers 400 or the page, never 500', async () => {
    const client = await citizen(ordinario);
    const routes = [
      '/',
      '/accedi',
      '/pin',
      '/pin/richiesta',
      '/pin/richiesta/dati',
      '/pin/smarrito',
      '/pin/ripristino',
      '/pin/ripristino/conferma',
      '/pin/revoca',
      '/pin/revoca/completa',
      '/bacheca',
      '/profilo',
      '/profilo/recapiti',
      '/certificati-malattia',
      '/prestazioni',
      '/prestazioni/covid-19/domanda',
      '/prestazioni/covid-19/domande',
      '/servizi',
      '/cerca',
      '/documenti',
      '/non-sono-stato-io',
      '/accedi/cambio-pin',
      '/pin/dispositivo',
      '/lingua/de',
      '/api/geo/comuni',
      '/backoffice/accedi',
      '/backoffice/cittadino',
      '/oidc/auth',
      '/autorizza/abc',
      '/accedi/federata/ritorno',
    ];
    const params = [
      'ritorno',
      'next',
      'q',
      't',
      'tipo',
      'categoria',
      'cf',
      'codiceFiscale',
      'provincia',
      'pagina',
      'stato',
      'pin',
      'aggiornato',
      'inviata',
      'code',
      'state',
      'x',
    ];
    const supervisore = DEMO_OPERATORS.find((o) => o.role === 'supervisore')!;
    const operator = new Client(t.app);
    await operator.get('/backoffice/accedi');
    await t.db.updateTable('operators').set({ totp_last_step: null }).where('username', '=', supervisore.username).execute();
    expect(
      (
        await operator.post('/backoffice/accedi', {
          username: supervisore.username,
          password: supervisore.password,
          totp: totpCode(supervisore.totpSecret, new Date()),
        })
      ).headers.location,
    ).toBe('/backoffice');
    const backoffice = ['/backoffice', '/backoffice/cittadino', ...BACKOFFICE_PAGES];
    for (const [who, list] of [
      [client, routes],
      [operator, backoffice],
    ] as const) {
      for (const route of list) {
        for (const ctl of ['%00', '%01', '%1B', '%7F', '%C0%80']) {
          const url = `${route}?${params.map((p) => `${p}=a${ctl}b`).join('&')}`;
          const res = await who.get(url);
          expect(res.statusCode, url).toBeLessThan(500);
          const single = await who.get(`${route}?${ctl}=${ctl}`);
          expect(single.statusCode, `${route} ${ctl}`).toBeLessThan(500);
        }
      }
    }
  });
});
