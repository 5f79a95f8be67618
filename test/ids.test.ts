import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../src/clients/clients.js';
import { requestRevocaApproval } from '../src/backoffice/approvazioni/service.js';
import { storeFile } from '../src/flows/conversione/files.js';
import { depositDocument } from '../src/flows/documenti/routes.js';
import { ibanWithCheckDigits } from '../src/domain/iban.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { buildApp } from '../src/server/app.js';
import { type Client, type TestApp, buildTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { loginOperator } from './support/operators.js';
import { loggedInCitizen } from './support/pins.js';
import { aPdf, clean } from './support/uploads.js';
import { auditOf } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

/** Route parameters that are not ids of anyone's data, each with the reason. */
const NOT_IDS: Record<string, string> = {
  'GET /lingua/:locale': 'a language code',
  'GET /servizi/:id': 'a public catalog entry, the same for everyone',
  'GET /accedi/spid/:idp': 'a SPID identity provider of the configuration, the same for everyone',
  'GET /pin/revoca/controllo/:file': 'the image of a captcha challenge: random, short-lived, no personal data (unknown ids are 404, tested below)',
};

interface World {
  t: TestApp;
  owner: Awaited<ReturnType<typeof loggedInCitizen>>;
  stranger: Client;
  operatorContactCenter: Client;
  operatorSede: Client;
}

/**
 * For each route that takes an id: the owner's id, asked by someone else, is refused and shows
 * nothing of the owner. Citizen data is reachable only by its owner and by operators whose role
 * covers it.
 */
const CHECKS: Record<string, (w: World) => Promise<void>> = {
  'GET /documenti/:file': async (w) => {
    const id = await depositDocument(w.t.db, w.t.config.filesDir, w.owner.c.codiceFiscale, 2025, await aPdf('owner'), w.t.config.uploads);
    const stranger = await loggedInCitizen(w.t, hasher, { dispositivo: true });
    expect((await stranger.client.get(`/documenti/${id}.pdf`)).statusCode).toBe(404);
  },
  'GET /prestazioni/covid-19/domande/:id': async (w) => {
    const id = await ownerApplication(w);
    const res = await w.stranger.get(`/prestazioni/covid-19/domande/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(w.owner.c.codiceFiscale);
  },
  'GET /prestazioni/covid-19/domande/:id/ricevuta': async (w) => {
    const id = await ownerApplication(w);
    const res = await w.stranger.get(`/prestazioni/covid-19/domande/${id}/ricevuta`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).not.toBe('application/pdf');
  },
  'GET /backoffice/domande/:id': async (w) => {
    const id = await ownerApplication(w);
    await expectOperatorsOnly(w, 'GET', `/backoffice/domande/${id}`);
  },
  'POST /backoffice/domande/:id/esito': async (w) => {
    const id = await ownerApplication(w);
    await expectOperatorsOnly(w, 'POST', `/backoffice/domande/${id}/esito`, { esito: 'respinta', motivo: 'x' });
    expect((await w.t.db.selectFrom('covid_applications').select('stato').where('id', '=', id).executeTakeFirstOrThrow()).stato).toBe('in_verifica');
  },
  'GET /backoffice/conversioni/:id': async (w) => expectOperatorsOnly(w, 'GET', `/backoffice/conversioni/${await ownerConversion(w)}`),
  'POST /backoffice/conversioni/:id/approva': async (w) => {
    const id = await ownerConversion(w);
    await expectOperatorsOnly(w, 'POST', `/backoffice/conversioni/${id}/approva`, {});
    expect((await w.t.db.selectFrom('conversion_requests').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('in_lavorazione');
  },
  'POST /backoffice/conversioni/:id/respingi': async (w) => {
    const id = await ownerConversion(w);
    await expectOperatorsOnly(w, 'POST', `/backoffice/conversioni/${id}/respingi`, { motivo: 'x' });
    expect((await w.t.db.selectFrom('conversion_requests').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('in_lavorazione');
  },
  'GET /backoffice/file/:id': async (w) => {
    const fileId = await storeFile(w.t.db, w.t.config.filesDir, w.owner.c.citizenId, 'documento', await clean(await aPdf('id card')));
    await expectOperatorsOnly(w, 'GET', `/backoffice/file/${fileId}`);
  },
  'POST /backoffice/operatori/:id/stato': async (w) => {
    const target = await w.t.db.selectFrom('operators').select(['id', 'disabled_at']).where('role', '=', 'contact-center').executeTakeFirstOrThrow();
    for (const client of [w.owner.client, w.stranger, w.operatorSede]) {
      const res = await client.post(
        `/backoffice/operatori/${target.id}/stato`,
        { disabilita: '1' },
        { csrf: client === w.operatorSede ? client.csrf() : csrfOf(client) },
      );
      expect(res.statusCode === 403 || (res.statusCode === 303 && res.headers.location === '/backoffice/accedi'), `${res.statusCode}`).toBe(true);
    }
    expect((await w.t.db.selectFrom('operators').select('disabled_at').where('id', '=', target.id).executeTakeFirstOrThrow()).disabled_at).toBeNull();
  },
  'POST /backoffice/approvazioni/:id/approva': async (w) => {
    const id = await ownerRevocaApproval(w);
    for (const client of [w.owner.client, w.stranger, w.operatorContactCenter, w.operatorSede]) {
      await client.get('/backoffice');
      const res = await client.post(`/backoffice/approvazioni/${id}/approva`, {}, { csrf: csrfOf(client) });
      expect(res.statusCode === 403 || (res.statusCode === 303 && res.headers.location === '/backoffice/accedi'), `${res.statusCode}`).toBe(true);
    }
    expect((await w.t.db.selectFrom('operator_approvals').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('pending');
  },
  'POST /backoffice/approvazioni/:id/respingi': async (w) => {
    const id = await ownerRevocaApproval(w);
    for (const client of [w.owner.client, w.stranger, w.operatorContactCenter, w.operatorSede]) {
      await client.get('/backoffice');
      const res = await client.post(`/backoffice/approvazioni/${id}/respingi`, { motivo: 'x' }, { csrf: csrfOf(client) });
      expect(res.statusCode === 403 || (res.statusCode === 303 && res.headers.location === '/backoffice/accedi'), `${res.statusCode}`).toBe(true);
    }
    expect((await w.t.db.selectFrom('operator_approvals').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('pending');
  },
  'POST /backoffice/clienti/:id/stato': async (w) => {
    await addClient(w.t.db, createSecretBox(w.t.config.secretKey), { id: `ids.client.${randomUUID().slice(0, 8)}`, name: 'x', scopes: ['certificati:write'] });
    const client = await w.t.db.selectFrom('clients').select('id').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
    for (const c of [w.owner.client, w.stranger, w.operatorContactCenter, w.operatorSede]) {
      const res = await c.post(`/backoffice/clienti/${client.id}/stato`, { azione: 'disattiva' }, { csrf: csrfOf(c) });
      expect(res.statusCode === 403 || (res.statusCode === 303 && res.headers.location === '/backoffice/accedi'), `${res.statusCode}`).toBe(true);
    }
    expect((await w.t.db.selectFrom('clients').select('disabled_at').where('id', '=', client.id).executeTakeFirstOrThrow()).disabled_at).toBeNull();
  },
  'POST /backoffice/clienti/:id/rimuovi': async (w) => {
    const id = `ids.rm.${randomUUID().slice(0, 8)}`;
    await addClient(w.t.db, createSecretBox(w.t.config.secretKey), { id, name: 'x', scopes: ['certificati:write'] });
    for (const c of [w.owner.client, w.stranger, w.operatorContactCenter, w.operatorSede]) {
      const res = await c.post(`/backoffice/clienti/${id}/rimuovi`, {}, { csrf: csrfOf(c) });
      expect(res.statusCode === 403 || (res.statusCode === 303 && res.headers.location === '/backoffice/accedi'), `${res.statusCode}`).toBe(true);
    }
    expect(await w.t.db.selectFrom('clients').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined();
  },
  'GET /autorizza/:uid': async (w) => {
    const uid = await ownerInteraction(w);
    const res = await w.stranger.get(`/autorizza/${uid}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain(w.owner.c.nome);
  },
  'POST /autorizza/:uid/consenso': async (w) => {
    const uid = await ownerInteraction(w);
    await w.stranger.get('/bacheca');
    const res = await w.stranger.post(`/autorizza/${uid}/consenso`, { scope: 'profile' }, { csrf: csrfOf(w.stranger) });
    expect(res.statusCode).toBe(400);
    expect(await auditOf(w.t.db, { event: 'oidc.consent' }).select('id').execute()).toEqual([]);
  },
  'POST /autorizza/:uid/annulla': async (w) => {
    const uid = await ownerInteraction(w);
    await w.stranger.get('/bacheca');
    const res = await w.stranger.post(`/autorizza/${uid}/annulla`, {}, { csrf: csrfOf(w.stranger) });
    expect(res.statusCode).toBe(400);
    // The owner's request is still waiting for the owner.
    expect((await w.owner.client.get(`/autorizza/${uid}`)).statusCode).not.toBe(400);
  },
  'GET /dev/mailbox/:id/attachments/:n': async (w) => {
    // Development only: a production configuration does not register the dev mailbox at all.
    const app = await buildApp({ config: { ...w.t.config, devMailbox: false }, db: w.t.db, hasher, box: createSecretBox(w.t.config.secretKey), logger: false });
    try {
      expect(app.routeList.some((r) => r.url.startsWith('/dev/'))).toBe(false);
    } finally {
      await app.close();
    }
  },
};

let accounts = 0;
async function ownerApplication(w: World): Promise<string> {
  const client = w.owner.client;
  await client.get('/prestazioni/covid-19/domanda?categoria=art23');
  const existing = await w.t.db.selectFrom('covid_applications').select('id').where('citizen_id', '=', w.owner.c.citizenId).executeTakeFirst();
  if (existing) return existing.id;
  const res = await client.post('/prestazioni/covid-19/domanda', {
    categoria: 'art30',
    giornate2019: '100',
    iban: ibanWithCheckDigits('IT', `X0542811101${String(900_000 + accounts++).padStart(12, '0')}`),
    intestatario: 'si',
    decl_operaioAgricoloOtd: 'si',
    decl_nonPensionato: 'si',
    azione: 'conferma',
  });
  const id = /domande\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  if (!id) throw new Error(`application not accepted: ${res.statusCode}`);
  return id;
}

/** F7: a revocation of the owner's PIN, requested by a contact-center operator, waiting for a supervisore. */
async function ownerRevocaApproval(w: World): Promise<string> {
  const existing = await w.t.db
    .selectFrom('operator_approvals')
    .select('id')
    .where('codice_fiscale', '=', w.owner.c.codiceFiscale)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (existing) return existing.id;
  const requester = await w.t.db.selectFrom('operators').select('id').where('role', '=', 'contact-center').executeTakeFirstOrThrow();
  const done = await requestRevocaApproval(
    { db: w.t.db, now: () => new Date() },
    {
      citizenId: w.owner.c.citizenId,
      codiceFiscale: w.owner.c.codiceFiscale,
      credentialId: w.owner.c.credentialId,
      identification: 'domande e risposte registrate',
      operatorId: requester.id,
    },
    { actor: 'test' },
  );
  if (!done.ok) throw new Error('approval not recorded');
  return (await w.t.db.selectFrom('operator_approvals').select('id').where('number', '=', done.number).executeTakeFirstOrThrow()).id;
}

async function ownerConversion(w: World): Promise<string> {
  const id = randomUUID();
  await w.t.db
    .insertInto('conversion_requests')
    .values({
      id,
      number: `CONV-${id.slice(0, 8)}`,
      citizen_id: w.owner.c.citizenId,
      credential_id: w.owner.c.credentialId,
      state: 'in_lavorazione',
      doc_type: 'carta_identita',
      doc_number: 'CA00000AA',
      doc_authority: 'Comune di Pisa',
      doc_issued: '2020-01-01',
      doc_expires: '2030-01-01',
      submitted_at: new Date(),
    })
    .execute();
  return id;
}

/** An authorization request of a relying party, started in the owner's browser: its interaction id. */
async function ownerInteraction(w: World): Promise<string> {
  const id = `ids.rp.${randomUUID().slice(0, 8)}`;
  await addClient(w.t.db, createSecretBox(w.t.config.secretKey), {
    id,
    name: 'Servizio',
    scopes: ['openid', 'profile'],
    redirectUris: ['https://rp.example/cb'],
  });
  const q = new URLSearchParams({
    client_id: id,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: 'https://rp.example/cb',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  const res = await w.owner.client.get(`/oidc/auth?${q}`);
  const uid = /^\/autorizza\/([\w-]+)$/.exec(String(res.headers.location))?.[1];
  expect(uid, String(res.headers.location)).toBeDefined();
  return uid!;
}

/** Any CSRF token the client holds (its last page), so the refusal is about the id, not the token. */
function csrfOf(client: Client): string {
  try {
    return client.csrf();
  } catch {
    return 'none';
  }
}

/** Citizens (the owner too) never reach back-office routes; a contact-center operator does not reach review routes. */
async function expectOperatorsOnly(w: World, method: 'GET' | 'POST', url: string, form: Record<string, string> = {}) {
  for (const client of [w.owner.client, w.stranger]) {
    await client.get('/bacheca');
    const res = method === 'GET' ? await client.get(url) : await client.post(url, form);
    expect(res.statusCode, `${method} ${url}`).toBe(303);
    expect(res.headers.location).toBe('/backoffice/accedi');
  }
  await w.operatorContactCenter.get('/backoffice');
  const cc = method === 'GET' ? await w.operatorContactCenter.get(url) : await w.operatorContactCenter.post(url, form);
  expect(cc.statusCode, `contact center on ${url}`).toBe(403);
}

describe.each(ENGINES)('ids in URLs reach only their owner (issue 6) on %s', (engine) => {
  const w = {} as World;
  beforeAll(async () => {
    w.t = await buildTestApp(engine, {}, { hasher });
    w.owner = await loggedInCitizen(w.t, hasher, { dispositivo: true });
    w.stranger = (await loggedInCitizen(w.t, hasher)).client;
    w.operatorContactCenter = (await loginOperator(w.t, 'contact-center', `cc.ids.${engine}`)).client;
    w.operatorSede = (await loginOperator(w.t, 'sede', `sede.ids.${engine}`)).client;
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('every registered route that takes an id has a check below (or is listed as not an id, with the reason)', () => {
    const withParams = [...new Set(w.t.app.routeList.filter((r) => r.method !== 'HEAD' && r.url.includes('/:')).map((r) => `${r.method} ${r.url}`))];
    const unchecked = withParams.filter((r) => !(r in CHECKS) && !(r in NOT_IDS));
    expect(unchecked).toEqual([]);
    // And no check is left for a route that no longer exists.
    expect(Object.keys(CHECKS).filter((k) => !withParams.includes(k) && !k.startsWith('GET /dev/'))).toEqual([]);
  });

  it.each(Object.keys(CHECKS))('%s refuses an id that is not the caller’s', async (route) => {
    await CHECKS[route]!(w);
  });

  it('an unknown captcha image is not found', async () => {
    expect((await w.t.app.inject({ method: 'GET', url: `/pin/revoca/controllo/${randomUUID()}.png` })).statusCode).toBe(404);
  });
});
