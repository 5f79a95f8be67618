import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { addClient } from '../../src/clients/clients.js';
import { signingKey, publicJwk } from '../../src/oidc/keys.js';
import { ACR } from '../../src/oidc/provider.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { expectAccessible, launchChromium, newPage } from '../support/browser.js';
import { italianCitizen } from '../support/citizens.js';
import { givenCitizenWithPin } from '../support/pins.js';
import { freePort, type ServedPortal, serveVarco } from '../support/serve.js';
import { type Person, startSpidProvider } from '../support/spid-provider.js';
import { startRelyingPartySite } from '../support/relying-party.js';
import { relyingPartyAskingDispositivo } from '../support/federated-login.js';
import { auditOf } from '../support/rows.js';
import { sessionOf } from '../support/login-rows.js';

/**
 * Issue 7, SPID and CIE: Varco as relying party of a real OpenID Connect provider on the
 * loopback (a second oidc-provider configured as the SPID/CIE profile wants), in Chromium,
 * against `varco serve` on PostgreSQL.
 */
describe('SPID and CIE entrances of /accedi', () => {
  let portal: ServedPortal;
  let browser: Browser;
  let idp: Awaited<ReturnType<typeof startSpidProvider>>;
  const people: Person[] = [];
  const newPerson = () => {
    const c = italianCitizen();
    const [d, m, y] = c.form.dataNascita!.split('/');
    const p = { codiceFiscale: c.codiceFiscale, nome: 'Giuseppe', cognome: 'Verdi', dataNascita: `${y}-${m}-${d}`, email: 'g.verdi@example.org' };
    people.push(p);
    return p;
  };

  beforeAll(async () => {
    const idpPort = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'varco-fed-'));
    const file = path.join(dir, 'federation.json');
    const issuer = `http://127.0.0.1:${idpPort}`;
    writeFileSync(
      file,
      JSON.stringify({
        providers: [
          { id: 'idp-prova', kind: 'spid', name: 'IdP di prova', issuer, allowHttp: true },
          { id: 'cie-prova', kind: 'cie', name: 'CIE di prova', issuer, allowHttp: true },
        ],
      }),
    );
    [portal, browser] = await Promise.all([serveVarco({ VARCO_FEDERATION_FILE: file }), launchChromium()]);
    // The provider knows Varco by its entity id and its published keys. Issue 15: beside the
    // signing key, the key providers encrypt userinfo to, and the federation key of its entity configuration.
    const kids = await Promise.all((['rp', 'rp-enc', 'federation'] as const).map(async (use) => publicJwk(await signingKey(portal.db, portal.box, use)).kid));
    const published = (await (await fetch(`${portal.baseUrl}/federazione/jwks.json`)).json()) as { keys: { kid: string; use: string }[] };
    expect(published.keys.map((k) => [k.kid, k.use])).toEqual([
      [kids[0], 'sig'],
      [kids[1], 'enc'],
      [kids[2], 'sig'],
    ]);
    idp = await startSpidProvider({ port: idpPort, varcoUrl: portal.baseUrl, people });
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await portal?.close();
  });

  async function throughIdp(page: Page, entrance: string, cf: string, acr: string) {
    await page.goto(`${portal.baseUrl}/accedi?metodo=${entrance === 'cie-login' ? 'cie' : 'spid'}`);
    await expectAccessible(page, `tab ${entrance}`);
    await Promise.all([page.waitForURL(`${idp.issuer}/interaction/**`), page.click(`#${entrance}`)]);
    await page.fill('#cf', cf);
    await page.selectOption('#acr', acr);
    await Promise.all([page.waitForURL(`${portal.baseUrl}/**`), page.click('#idp-login')]);
    await page.waitForLoadState('load');
  }

  it('a citizen who never had a PIN enters with SPID level 2: registered by codice fiscale, session dispositivo, profile says SPID', async () => {
    const person = newPerson();
    const page = await newPage(browser);
    await throughIdp(page, 'spid-idp-prova', person.codiceFiscale, 'https://www.spid.gov.it/SpidL2');
    expect(page.url()).toBe(`${portal.baseUrl}/bacheca`);
    const citizen = await portal.db
      .selectFrom('citizens')
      .select(['id', 'nome', 'cognome', 'data_nascita', 'residenza'])
      .where('codice_fiscale', '=', person.codiceFiscale)
      .executeTakeFirstOrThrow();
    expect(citizen.nome).toBe('Giuseppe');
    expect(citizen.residenza).toBeNull();
    expect(await sessionOf(portal.db, citizen.id)).toEqual({ level: 'dispositivo', auth_method: 'spid', auth_provider: idp.issuer, credential_id: null });
    await page.goto(`${portal.baseUrl}/profilo`);
    expect(await page.textContent('#auth-kind')).toContain('Sei autenticato con SPID');
    await expectAccessible(page, 'profile with SPID');
    // A PIN operation is not for a SPID session: a clear page, not an error.
    await page.goto(`${portal.baseUrl}/accedi/cambio-pin`);
    expect(await page.textContent('#no-pin')).toContain('SPID');
    const login = await auditOf(portal.db, { cf: person.codiceFiscale, event: 'login.succeeded' }).select('details').executeTakeFirstOrThrow();
    expect(login.details).toMatchObject({ method: 'spid', provider: 'idp-prova', level: 'dispositivo', newCitizen: true });
  });

  it('a relying party of Varco, asking dispositivo, gets it for a SPID session, with amr spid', async () => {
    const person = newPerson();
    const page = await newPage(browser);
    await throughIdp(page, 'spid-idp-prova', person.codiceFiscale, 'https://www.spid.gov.it/SpidL2');
    const claims = await relyingPartyAskingDispositivo(portal, page, 'rp.spid');
    expect(claims.acr).toBe(ACR.dispositivo);
    expect(claims.amr).toEqual(['spid']);
    expect(claims.fiscal_number).toBe(`TINIT-${person.codiceFiscale}`);
  });

  it("a relying party's request: the citizen starts SPID, then CIE, from its login page and comes back through the consent to the relying party", async () => {
    const site = await startRelyingPartySite();
    try {
      const { secret } = await addClient(portal.db, portal.box, {
        id: 'rp.ingresso',
        name: 'Servizio',
        scopes: ['openid', 'profile'],
        redirectUris: [`${site.url}/cb`],
      });
      const config = await oidc.discovery(new URL(`${portal.baseUrl}/oidc`), 'rp.ingresso', {}, oidc.ClientSecretBasic(secret!), {
        execute: [oidc.allowInsecureRequests],
      });
      for (const [entrance, acr] of [
        ['spid-idp-prova', 'https://www.spid.gov.it/SpidL2'],
        ['cie-login', 'CIE_L2'],
      ] as const) {
        const person = newPerson();
        const page = await newPage(browser);
        const verifier = oidc.randomPKCECodeVerifier();
        await page.goto(
          oidc.buildAuthorizationUrl(config, {
            redirect_uri: `${site.url}/cb`,
            scope: 'openid profile',
            code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
          }).href,
        );
        await page.waitForURL('**/accedi?**');
        const ritorno = new URL(page.url()).searchParams.get('ritorno');
        expect(ritorno).toMatch(/^\/autorizza\//);
        await page.goto(`${portal.baseUrl}/accedi?metodo=${entrance === 'cie-login' ? 'cie' : 'spid'}&ritorno=${encodeURIComponent(ritorno!)}`);
        await Promise.all([page.waitForURL(`${idp.issuer}/interaction/**`), page.click(`#${entrance}`)]);
        await page.fill('#cf', person.codiceFiscale);
        await page.selectOption('#acr', acr);
        await Promise.all([page.waitForURL(`${portal.baseUrl}/autorizza/**`), page.click('#idp-login')]);
        await Promise.all([page.waitForURL(`${site.url}/cb**`), page.click('#consent-allow')]);
        const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier });
        expect(tokens.claims()!.fiscal_number).toBe(`TINIT-${person.codiceFiscale}`);
        await page.context().close();
      }
    } finally {
      await site.close();
    }
  });

  it('SPID level 1 is refused with a clear page, and no session is opened', async () => {
    const person = newPerson();
    const page = await newPage(browser);
    await throughIdp(page, 'spid-idp-prova', person.codiceFiscale, 'https://www.spid.gov.it/SpidL1');
    expect(await page.textContent('#federated-error')).toContain('livello 2');
    await expectAccessible(page, 'SPID refused');
    expect(await portal.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', person.codiceFiscale).executeTakeFirst()).toBeUndefined();
    const refused = await portal.db.selectFrom('audit_events').select('details').where('event', '=', 'login.federated_refused').execute();
    expect(refused.some((r) => String((r.details as { reason: string }).reason).startsWith('acr'))).toBe(true);
  });

  it('a citizen with a PIN enters with CIE: the same citizen, at level dispositivo even though the PIN is ordinario', async () => {
    const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });
    const c = await givenCitizenWithPin(portal.db, hasher, { pin: 'K7X9M3P4' });
    people.push({ codiceFiscale: c.codiceFiscale, nome: c.nome, cognome: c.cognome, dataNascita: '1973-01-01' });
    const page = await newPage(browser);
    await throughIdp(page, 'cie-login', c.codiceFiscale, 'CIE_L2');
    expect(page.url()).toBe(`${portal.baseUrl}/bacheca`);
    const session = await portal.db.selectFrom('sessions').select(['level', 'auth_method']).where('citizen_id', '=', c.citizenId).executeTakeFirstOrThrow();
    expect(session).toEqual({ level: 'dispositivo', auth_method: 'cie' });
    expect(await portal.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).execute()).toHaveLength(1);
  });

  it('cancelling at the provider comes back to a page that says so; an answer replayed later is refused', async () => {
    const person = newPerson();
    const page = await newPage(browser);
    await page.goto(`${portal.baseUrl}/accedi?metodo=spid`);
    await Promise.all([page.waitForURL(`${idp.issuer}/interaction/**`), page.click('#spid-idp-prova')]);
    await page.fill('#cf', person.codiceFiscale);
    await Promise.all([page.waitForURL(`${portal.baseUrl}/**`), page.click('#idp-cancel')]);
    expect(await page.textContent('#federated-error')).toContain('annullato');
    // The same answer again: the request it belonged to is spent.
    await page.goto(page.url());
    expect(await page.textContent('#federated-error')).toContain('scaduta');
  });

  it('publishes a signed entity configuration naming its keys and redirect URI', async () => {
    const res = await fetch(`${portal.baseUrl}/.well-known/openid-federation`);
    expect(res.headers.get('content-type')).toContain('application/entity-statement+jwt');
    const [, body] = (await res.text()).split('.');
    const statement = JSON.parse(Buffer.from(body!, 'base64url').toString()) as {
      iss: string;
      metadata: { openid_relying_party: { redirect_uris: string[] } };
    };
    expect(statement.iss).toBe(portal.baseUrl);
    expect(statement.metadata.openid_relying_party.redirect_uris).toEqual([`${portal.baseUrl}/accedi/federata/ritorno`]);
  });

  it('the login page lists the SPID provider and the CIE entrance', async () => {
    const page = await newPage(browser);
    await page.goto(`${portal.baseUrl}/accedi?metodo=spid`);
    expect(await page.textContent('#spid-providers')).toContain('IdP di prova');
    // No form on the SPID tab: only the providers' links.
    expect(await page.locator('main form').count()).toBe(0);
    await page.goto(`${portal.baseUrl}/accedi?metodo=cie`);
    expect(await page.getAttribute('#cie-login', 'href')).toBe('/accedi/cie');
  });
});
