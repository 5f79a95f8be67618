import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCnsListener } from '../src/cns/cns.js';
import { createPinHasher } from '../src/security/hasher.js';
import { type TestApp, buildTestApp } from './support/app.js';
import { createTestCa, type Issued } from './support/cns-pki.js';
import { ENGINES } from './support/db.js';
import { italianCitizen } from './support/citizens.js';
import { givenCitizenWithPin } from './support/pins.js';
import { auditOf } from './support/rows.js';
import { cnsAuthorityWithRevokedCard, cnsListenerEnv } from './support/cns-listener.js';
import { sessionOf } from './support/login-rows.js';

interface Answer {
  status: number;
  location: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** A real TLS handshake with (or without) a client certificate, then GET /accedi/cns. */
function cnsLogin(port: number, ca: string, client?: Issued): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/accedi/cns', method: 'GET', ca, ...(client ? { cert: client.cert, key: client.key } : {}), servername: undefined },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            location: res.headers.location,
            cookie: res.headers['set-cookie']?.find((c) => c.startsWith('varco_session=')),
            body,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Issue 7, CNS: login by TLS client certificate on Varco's own HTTPS listener. A CA, the
 * cards' certificates and a CRL are issued by Debian's openssl; every case goes through a real
 * handshake.
 */
describe.each(ENGINES)('CNS login by client certificate on %s', (engine) => {
  const { ca: cnsCa, revoked: revokedCard, crl } = cnsAuthorityWithRevokedCard('Regione Test');
  const otherCa = createTestCa('Autorita Sconosciuta');
  let t: TestApp;
  let listener: Server;
  let port: number;

  beforeAll(async () => {
    t = await buildTestApp(engine, cnsListenerEnv(cnsCa, crl, '0'));
    listener = (await startCnsListener(t.app, t.config, '127.0.0.1'))!;
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(async () => {
    listener?.close();
    await t?.close();
  });

  it('a valid card opens a dispositivo session for the citizen it names (registered if new), and goes back to the portal', async () => {
    const cf = italianCitizen().codiceFiscale;
    const answer = await cnsLogin(port, cnsCa.caPem(), cnsCa.cns(cf, { surname: 'BIANCHI', given: 'ANNA' }));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`${t.config.publicUrl}/bacheca`);
    expect(answer.cookie).toBeDefined();
    const citizen = await t.db.selectFrom('citizens').select(['id', 'nome', 'cognome']).where('codice_fiscale', '=', cf).executeTakeFirstOrThrow();
    expect(citizen).toMatchObject({ nome: 'ANNA', cognome: 'BIANCHI' });
    expect(await sessionOf(t.db, citizen.id)).toEqual({ level: 'dispositivo', auth_method: 'cns', auth_provider: 'Regione Test', credential_id: null });
    // The session works on the portal: the profile says how the citizen entered.
    const profile = await t.app.inject({ url: '/profilo', headers: { cookie: answer.cookie!.split(';')[0]! } });
    expect(profile.body).toContain('Sei autenticato con CNS');
  });

  it('a card of a citizen who has a PIN maps to that citizen', async () => {
    const c = await givenCitizenWithPin(t.db, createPinHasher(t.config.argon2), { pin: 'K7X9M3P4' });
    const answer = await cnsLogin(port, cnsCa.caPem(), cnsCa.cns(c.codiceFiscale));
    expect(answer.status).toBe(303);
    expect(await t.db.selectFrom('sessions').select('auth_method').where('citizen_id', '=', c.citizenId).execute()).toEqual([{ auth_method: 'cns' }]);
  });

  const refusals: [string, () => Issued | undefined, string][] = [
    ['no certificate', () => undefined, 'non ha presentato alcun certificato'],
    [
      'an expired certificate',
      () => cnsCa.cns(italianCitizen().codiceFiscale, { notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') }),
      'scaduto',
    ],
    ['a revoked certificate (CRL)', () => revokedCard, 'revocato'],
    ['a certificate of an unknown authority', () => otherCa.cns(italianCitizen().codiceFiscale), 'non è stato emesso da un'],
    ['a certificate without a codice fiscale', () => cnsCa.client('/C=IT/O=Regione Test/CN=Mario Rossi'), 'non contiene un codice fiscale valido'],
  ];
  it.each(refusals)('%s is refused with a clear page, no session, and an audit record', async (_label, card, message) => {
    const sessionsBefore = await t.db.selectFrom('sessions').select('id_hash').execute();
    const refusedBefore = await auditOf(t.db, { event: 'login.federated_refused' }).select('id').execute();
    const answer = await cnsLogin(port, cnsCa.caPem(), card());
    expect(answer.status).toBe(401);
    expect(answer.cookie).toBeUndefined();
    expect(answer.body).toContain(message);
    expect(await t.db.selectFrom('sessions').select('id_hash').execute()).toHaveLength(sessionsBefore.length);
    expect(await auditOf(t.db, { event: 'login.federated_refused' }).select('id').execute()).toHaveLength(refusedBefore.length + 1);
  });
});

describe('CNS when the revocation list has expired', () => {
  const ca = createTestCa('Regione Scaduta');
  const crl = ca.crl({ expired: true });
  let t: TestApp;
  let listener: Server;
  beforeAll(async () => {
    t = await buildTestApp('pglite', cnsListenerEnv(ca, crl, '0'));
    listener = (await startCnsListener(t.app, t.config, '127.0.0.1'))!;
  });
  afterAll(async () => {
    listener?.close();
    await t?.close();
  });

  it('tells the citizen the check is unavailable, not that their card expired', async () => {
    const answer = await cnsLogin((listener.address() as AddressInfo).port, ca.caPem(), ca.cns(italianCitizen().codiceFiscale));
    expect(answer.status).toBe(401);
    expect(answer.body).toContain('Non è possibile verificare in questo momento');
    expect(answer.body).not.toContain('scaduto');
  });
});

describe('CNS behind a verifying reverse proxy', () => {
  const cnsCa = createTestCa('Regione Proxy');
  let t: TestApp;
  beforeAll(async () => {
    // Named ranges as Fastify reads them: loopback is 127.0.0.1/8 and ::1.
    t = await buildTestApp('pglite', { VARCO_TRUSTED_PROXIES: 'loopback', VARCO_CNS_HEADER: 'X-SSL-Client-Cert' });
  });
  afterAll(async () => {
    await t?.close();
  });
  const login = (headers: Record<string, string>, remoteAddress = '127.0.0.1') => t.app.inject({ url: '/accedi/cns', headers, remoteAddress });

  it('takes the certificate the proxy verified', async () => {
    const cf = italianCitizen().codiceFiscale;
    const card = cnsCa.cns(cf);
    const res = await login({ 'x-ssl-client-cert': encodeURIComponent(card.cert), 'x-ssl-client-verify': 'SUCCESS' });
    expect(res.statusCode).toBe(303);
    expect(await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', cf).executeTakeFirst()).toBeDefined();
  });

  it('says what the proxy found wrong, and ignores the headers from any other address', async () => {
    const card = cnsCa.cns(italianCitizen().codiceFiscale);
    const revoked = await login({ 'x-ssl-client-cert': encodeURIComponent(card.cert), 'x-ssl-client-verify': 'FAILED:certificate revoked' });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.body).toContain('revocato');
    const forged = await login({ 'x-ssl-client-cert': encodeURIComponent(card.cert), 'x-ssl-client-verify': 'SUCCESS' }, '10.1.2.3');
    expect(forged.statusCode).toBe(401);
    expect(forged.body).toContain('non ha presentato alcun certificato');
  });
});
