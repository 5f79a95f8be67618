import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugOf } from '../../src/federation/directory.js';
import { ACR } from '../../src/oidc/provider.js';
import { checkOnPhone, expectAccessible, launchChromium, newPage, PHONE } from '../support/browser.js';
import { italianCitizen } from '../support/citizens.js';
import { CIE_OP_MARK, providerMetadata, SPID_OP_MARK, startStandInFederation, type StandInFederation } from '../support/federation.js';
import { loginAtProvider, relyingPartyAskingDispositivo } from '../support/federated-login.js';
import { auditOf } from '../support/rows.js';
import { freePort, type ServedPortal, serveVarco } from '../support/serve.js';
import { type Person, startSpidProvider } from '../support/spid-provider.js';

/**
 * Issue 15: SPID and CIE through their federations, in Chromium with the production CSP. Two
 * stand-in trust anchors (SPID: anchor → intermediate → provider; CIE: anchor → provider), each
 * provider a real oidc-provider serving its own entity configuration, its trust mark issued in
 * the federation. Varco is configured with the anchors only (VARCO_TRUST_ANCHORS): the buttons,
 * the providers' endpoints and keys come from the resolved chains.
 */
describe('SPID and CIE from the federations’ trust chains', () => {
  let fed: StandInFederation;
  let portal: ServedPortal;
  let browser: Browser;
  const idps: Awaited<ReturnType<typeof startSpidProvider>>[] = [];
  const people: Person[] = [];
  let spidIssuer = '';
  let cieIssuer = '';
  let revokedId = '';
  let withdrawnIssuer = '';
  let revoke: () => void = () => undefined;

  const newPerson = () => {
    const c = italianCitizen();
    const p = { codiceFiscale: c.codiceFiscale, nome: 'Lucia', cognome: 'Bianchi', dataNascita: '1980-02-03' };
    people.push(p);
    return p;
  };

  async function signingJwks(): Promise<{ keys: JWK[] }> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    return { keys: [{ ...jwk, kid: `op-${Math.random().toString(36).slice(2, 10)}`, alg: 'RS256', use: 'sig' }] };
  }

  beforeAll(async () => {
    fed = await startStandInFederation({ realTime: true });
    const [taSpid, taCie, intermediario] = [await fed.add('ta-spid'), await fed.add('ta-cie'), await fed.add('intermediario')];
    const [spidPort, ciePort] = [await freePort(), await freePort()];
    let varcoUrl = '';
    for (const [port, kind] of [
      [spidPort, 'spid'],
      [ciePort, 'cie'],
    ] as const) {
      const entity = await fed.add(`${kind}-op`, { id: `http://127.0.0.1:${port}` });
      const idp = await startSpidProvider({
        port,
        varcoUrl: () => varcoUrl,
        people,
        jwks: await signingJwks(),
        federation: { configuration: () => fed.configuration(entity) },
      });
      idps.push(idp);
      entity.metadata.openid_provider = idp.metadata();
      if (kind === 'spid') {
        spidIssuer = idp.issuer;
        // The SPID anchor's policy keeps level 2 and 3 only; the provider's trust mark is the intermediate's.
        fed.subordinate(taSpid, intermediario, {
          metadataPolicy: { openid_provider: { acr_values_supported: { subset_of: ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3'] } } },
        });
        fed.subordinate(intermediario, entity);
        taSpid.trustMarkIssuers = { [SPID_OP_MARK]: [intermediario.id] };
        entity.trustMarks = [{ trust_mark_type: SPID_OP_MARK, trust_mark: await fed.trustMark(intermediario, entity, SPID_OP_MARK) }];
      } else {
        cieIssuer = idp.issuer;
        fed.subordinate(taCie, entity);
        entity.trustMarks = [{ trust_mark_type: CIE_OP_MARK, trust_mark: await fed.trustMark(taCie, entity, CIE_OP_MARK) }];
      }
    }
    // A third SPID provider, whose superior's statement is always just past its exp (within the
    // clock skew allowed): Varco resolves its chain again at every use, and notices a withdrawal.
    const withdrawn = await fed.add('spid-ritirato');
    withdrawn.metadata.openid_provider = {
      ...providerMetadata(withdrawn.id, ['https://www.spid.gov.it/SpidL2']),
      jwks: withdrawn.jwks,
      organization_name: 'Gestore ritirato',
    };
    fed.subordinate(taSpid, withdrawn, { lifetime: -5 });
    withdrawn.trustMarks = [{ trust_mark_type: SPID_OP_MARK, trust_mark: await fed.trustMark(taSpid, withdrawn, SPID_OP_MARK) }];
    revokedId = slugOf(withdrawn.id);
    withdrawnIssuer = withdrawn.id;
    revoke = () => taSpid.subordinates.delete(withdrawn.id);

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'varco-anchors-')), 'anchors.json');
    writeFileSync(
      file,
      JSON.stringify({
        anchors: [
          { entityId: taSpid.id, kind: 'spid', jwks: taSpid.jwks, requiredTrustMarks: [SPID_OP_MARK] },
          { entityId: taCie.id, kind: 'cie', jwks: taCie.jwks, requiredTrustMarks: [CIE_OP_MARK] },
        ],
      }),
    );
    [portal, browser] = await Promise.all([serveVarco({ VARCO_TRUST_ANCHORS: file }), launchChromium()]);
    varcoUrl = portal.baseUrl;
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(idps.map((i) => i.close()));
    await portal?.close();
    await fed?.close();
  });

  it('the login page offers the providers whose chains resolve, by the names their federation states, on a phone too', async () => {
    const page = await newPage(browser, { viewport: PHONE });
    // The page never waits for the federations: on a cold start it answers at once, and the providers appear once read.
    let listed: string[] = [];
    for (let tries = 0; tries < 600 && !listed.join(' | ').includes('IdP federato di prova'); tries++) {
      if (tries) await page.waitForTimeout(100);
      await page.goto(`${portal.baseUrl}/accedi?metodo=spid`);
      listed = await page.locator('#spid-providers a').allTextContents();
      // Until then the tab says the list is being read, never that SPID is not active here.
      if (!listed.length) expect(await page.textContent('#federation-loading')).toContain('in caricamento');
    }
    expect(listed.join(' | ')).toContain('IdP federato di prova');
    expect(listed.join(' | ')).toContain('Gestore ritirato');
    expect(await page.getAttribute(`#spid-${slugOf(spidIssuer)}`, 'href')).toBe(`/accedi/spid/${slugOf(spidIssuer)}`);
    await expectAccessible(page, 'SPID providers from the federation');
    await checkOnPhone(page);
    await page.goto(`${portal.baseUrl}/accedi?metodo=cie`);
    expect(await page.getAttribute('#cie-login', 'href')).toBe('/accedi/cie');
  });

  it('SPID level 2 through the intermediate: a relying party of Varco gets dispositivo with amr spid', async () => {
    const person = newPerson();
    const page = await newPage(browser);
    const revokedBefore = idps[0]?.revocations() ?? 0;
    const claims = await relyingPartyAskingDispositivo(portal, page, 'rp.federata.spid', async (ritorno) => {
      await page.goto(`${portal.baseUrl}/accedi?metodo=spid&ritorno=${encodeURIComponent(ritorno)}`);
      await Promise.all([page.waitForURL(`${spidIssuer}/interaction/**`), page.click(`#spid-${slugOf(spidIssuer)}`)]);
      await loginAtProvider(page, {
        portalUrl: portal.baseUrl,
        cf: person.codiceFiscale,
        acr: 'https://www.spid.gov.it/SpidL2',
        until: `${portal.baseUrl}/autorizza/**`,
      });
    });
    expect(claims.acr).toBe(ACR.dispositivo);
    expect(claims.amr).toEqual(['spid']);
    expect(claims.fiscal_number).toBe(`TINIT-${person.codiceFiscale}`);
    // Varco revoked the provider's access token once it had read the userinfo.
    expect(idps[0]?.revocations()).toBe(revokedBefore + 1);
    const login = await auditOf(portal.db, { cf: person.codiceFiscale, event: 'login.succeeded' }).select('details').executeTakeFirstOrThrow();
    expect(login.details).toMatchObject({
      method: 'spid',
      provider: slugOf(spidIssuer),
      issuer: spidIssuer,
      subject: expect.any(String),
      level: 'dispositivo',
    });
  });

  it('CIE level 3 straight below its anchor: the relying party gets amr cie', async () => {
    const person = newPerson();
    const page = await newPage(browser);
    const claims = await relyingPartyAskingDispositivo(portal, page, 'rp.federata.cie', async (ritorno) => {
      await page.goto(`${portal.baseUrl}/accedi?metodo=cie&ritorno=${encodeURIComponent(ritorno)}`);
      await Promise.all([page.waitForURL(`${cieIssuer}/interaction/**`), page.click('#cie-login')]);
      await loginAtProvider(page, { portalUrl: portal.baseUrl, cf: person.codiceFiscale, acr: 'CIE_L3', until: `${portal.baseUrl}/autorizza/**` });
    });
    expect(claims.amr).toEqual(['cie']);
    expect(claims.fiscal_number).toBe(`TINIT-${person.codiceFiscale}`);
  });

  it('SPID level 1 is refused with a page saying level 2 is needed, and no citizen is registered', async () => {
    const person = newPerson();
    const page = await newPage(browser);
    await page.goto(`${portal.baseUrl}/accedi?metodo=spid`);
    await Promise.all([page.waitForURL(`${spidIssuer}/interaction/**`), page.click(`#spid-${slugOf(spidIssuer)}`)]);
    await loginAtProvider(page, { portalUrl: portal.baseUrl, cf: person.codiceFiscale, acr: 'https://www.spid.gov.it/SpidL1' });
    expect(await page.textContent('#federated-error')).toContain('livello 2');
    await expectAccessible(page, 'SPID level 1 refused');
    expect(await portal.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', person.codiceFiscale).executeTakeFirst()).toBeUndefined();
  });

  it('a provider its federation withdrew since it was listed is refused before any redirect, with a page and an audit record', async () => {
    revoke();
    // Its chain, resolved when it was listed, expired at once (its statement lives -5 s): Varco keeps
    // such a chain 10 s at most (not resolving it on every click), then resolves it again and finds
    // the withdrawal. Until then a start still goes to the provider.
    for (let tries = 0; tries < 300; tries++) {
      const res = await fetch(`${portal.baseUrl}/accedi/spid/${revokedId}`, { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status === 403) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const page = await newPage(browser);
    await page.goto(`${portal.baseUrl}/accedi?metodo=spid`);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/accedi/spid/${revokedId}`)), page.click(`#spid-${revokedId}`)]);
    expect(response.status()).toBe(403);
    expect(page.url()).toBe(`${portal.baseUrl}/accedi/spid/${revokedId}`);
    expect(await page.textContent('#federated-error')).toContain('federazione SPID');
    await expectAccessible(page, 'provider refused by its trust chain');
    const refused = await portal.db.selectFrom('audit_events').select('details').where('event', '=', 'login.federated_refused').execute();
    expect(refused.map((r) => r.details)).toContainEqual(
      expect.objectContaining({ method: 'spid', provider: revokedId, issuer: withdrawnIssuer, reason: expect.stringMatching(/^trust_chain: no_path: /) }),
    );
  });
});
