import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProviderDirectory, type ProviderEntry } from '../src/federation/directory.js';
import { createFederationRp, type FederationRp, tokenHash } from '../src/federation/rp.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { italianCitizen } from './support/citizens.js';
import { useFreshDatabase } from './support/db.js';

/**
 * Issue 15, thinking like an attacker: what Varco's relying party refuses of a provider's answer.
 * The provider here is hand-made and answers what each case wants (a wrong at_hash, a userinfo in
 * clear, encrypted to another key, signed by another key, about another subject, a level 1
 * login, another issuer); the good case is the SPID/CIE profile: an ID token with at_hash and
 * acr, the userinfo signed then encrypted to Varco's encryption key.
 */
const t = useFreshDatabase('pglite');
const box = createSecretBox(randomBytes(32));
const VARCO = 'https://varco.example';
const cf = italianCitizen().codiceFiscale;

interface Answer {
  idToken: (claims: JWTPayload) => JWTPayload;
  /** The userinfo body and its content type. */
  userinfo: (claims: JWTPayload) => Promise<{ type: string; body: string }>;
}

let server: Server;
let issuer = '';
let opKey: { privateKey: CryptoKey; jwk: JWK };
let otherKey: { privateKey: CryptoKey; jwk: JWK };
let varcoEnc: JWK;
let nonce = '';
let answer: Answer;
let rp: FederationRp;
const revoked: URLSearchParams[] = [];
const tokenRequestTypes: string[] = [];

async function rsa(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const sign = (claims: JWTPayload, key = opKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid }).setIssuedAt().setExpirationTime('5m').sign(key.privateKey);

const encryptTo = async (jwt: string, jwk: JWK) =>
  new CompactEncrypt(new TextEncoder().encode(jwt))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512', kid: jwk.kid, cty: 'JWT' })
    .encrypt(await importJWK(jwk, 'RSA-OAEP-256'));

const ACCESS_TOKEN = 'at-0123456789';
const userClaims = () => ({ iss: issuer, aud: VARCO, sub: 'op-sub-1', 'https://attributes.eid.gov.it/fiscal_number': `TINIT-${cf}`, given_name: 'Anna' });
const GOOD: Answer = {
  idToken: (c) => c,
  userinfo: async (c) => ({ type: 'application/jwt', body: await encryptTo(await sign(c), varcoEnc) }),
};

beforeAll(async () => {
  [opKey, otherKey] = await Promise.all([rsa('op-1'), rsa('other-1')]);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration')
      return json({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        revocation_endpoint: `${issuer}/revoke`,
      });
    if (url.pathname === '/revoke') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        revoked.push(new URLSearchParams(body));
        res.writeHead(200).end();
      });
      return;
    }
    if (url.pathname === '/token') {
      tokenRequestTypes.push(req.headers['content-type'] ?? '');
      const base = { iss: issuer, aud: VARCO, sub: 'op-sub-1', nonce, acr: 'https://www.spid.gov.it/SpidL2', at_hash: tokenHash(ACCESS_TOKEN, 'RS256') };
      void sign(answer.idToken(base)).then((idToken) => json({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300, id_token: idToken }));
      return;
    }
    if (url.pathname === '/userinfo') {
      if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return res.writeHead(401).end();
      void answer.userinfo(userClaims()).then(({ type, body }) => res.writeHead(200, { 'content-type': type }).end(body));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const provider = (kind: 'spid' | 'cie'): ProviderEntry => ({
  id: `op-${kind}`,
  kind,
  name: 'OP',
  issuer,
  clientId: VARCO,
  acrValues: ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3'],
  allowHttp: true,
  source: 'pinned',
  jwks: { keys: [opKey.jwk] },
});

beforeEach(async () => {
  answer = GOOD;
  const pinned = [provider('spid'), provider('cie')].map((p) => ({ ...p, allowHttp: true, jwks: { keys: [opKey.jwk as Record<string, unknown>] } }));
  const directory = createProviderDirectory({ anchors: [], pinned, clientId: VARCO });
  rp ??= createFederationRp({ db: t.db, box, publicUrl: VARCO, directory, leaf: { authorityHints: [], trustMarks: [], contacts: [] }, organization: 'INPS' });
  varcoEnc = (await rp.publicJwks()).keys.find((k) => k.use === 'enc') ?? {};
});

/** The login from its start at Varco to the provider's answer with a code. */
async function login(kind: 'spid' | 'cie' = 'spid', withIss = true) {
  const p = provider(kind);
  const { pending, url } = await rp.start(p, 'it', undefined);
  expect(new URL(url).searchParams.get('request')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  nonce = pending.nonce;
  const back = new URL('https://varco.example/accedi/federata/ritorno');
  back.searchParams.set('code', 'c-1');
  back.searchParams.set('state', pending.state);
  if (withIss) back.searchParams.set('iss', issuer);
  return rp.callback(p, pending, back);
}

describe("a provider's answer that follows the SPID/CIE profile", () => {
  it('gives the identity: the codice fiscale from the decrypted, verified userinfo', async () => {
    const result = await login();
    expect(result).toEqual({
      ok: true,
      acr: 'https://www.spid.gov.it/SpidL2',
      subject: 'op-sub-1',
      identity: expect.objectContaining({ codiceFiscale: cf, nome: 'Anna' }),
    });
  });

  it('asks the token endpoint with the form type exactly as the rules write it', async () => {
    tokenRequestTypes.length = 0;
    expect((await login()).ok).toBe(true);
    expect(tokenRequestTypes).toEqual(['application/x-www-form-urlencoded']);
  });

  it('then revokes the access token at once, authenticated with private_key_jwt', async () => {
    revoked.length = 0;
    expect((await login()).ok).toBe(true);
    expect(revoked).toHaveLength(1);
    expect(revoked[0]?.get('token')).toBe(ACCESS_TOKEN);
    expect(revoked[0]?.get('token_type_hint')).toBe('access_token');
    expect(revoked[0]?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(revoked[0]?.get('client_assertion')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('is read also when the encrypted userinfo comes as a JSON string', async () => {
    answer = { ...GOOD, userinfo: async (c) => ({ type: 'application/json', body: JSON.stringify(await encryptTo(await sign(c), varcoEnc)) }) };
    expect((await login()).ok).toBe(true);
  });
});

describe("a provider's answer Varco refuses", () => {
  it.each<[string, Partial<Answer>, RegExp]>([
    ['an ID token without at_hash', { idToken: ({ at_hash: _drop, ...c }) => c }, /at_hash/],
    ['an ID token whose at_hash is of another access token', { idToken: (c) => ({ ...c, at_hash: tokenHash('another-token', 'RS256') }) }, /at_hash/],
    ['an ID token of another issuer', { idToken: (c) => ({ ...c, iss: 'https://evil.example' }) }, /unexpected JWT claim value/],
    ['an ID token for another client', { idToken: (c) => ({ ...c, aud: 'https://other-rp.example' }) }, /unexpected JWT claim value/],
    ['the userinfo in clear JSON', { userinfo: async (c) => ({ type: 'application/json', body: JSON.stringify(c) }) }, /not an encrypted JWT/],
    ['the userinfo signed but not encrypted', { userinfo: async (c) => ({ type: 'application/jwt', body: await sign(c) }) }, /not an encrypted JWT/],
    [
      'the userinfo encrypted to another key',
      { userinfo: async (c) => ({ type: 'application/jwt', body: await encryptTo(await sign(c), otherKey.jwk) }) },
      /decrypt/i,
    ],
    [
      'the userinfo signed by a key not the provider’s',
      { userinfo: async (c) => ({ type: 'application/jwt', body: await encryptTo(await sign(c, otherKey), varcoEnc) }) },
      /key|signature/i,
    ],
    [
      'the userinfo about another subject',
      { userinfo: async (c) => ({ type: 'application/jwt', body: await encryptTo(await sign({ ...c, sub: 'someone-else' }), varcoEnc) }) },
      /another subject/,
    ],
  ])('%s', async (_what, change, detail) => {
    answer = { ...GOOD, ...change };
    const result = await login();
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(result.ok ? '' : result.detail).toMatch(detail);
  });

  it('a login of level 1, whatever the provider says it is', async () => {
    answer = { ...GOOD, idToken: (c) => ({ ...c, acr: 'https://www.spid.gov.it/SpidL1' }) };
    expect(await login()).toEqual({ ok: false, reason: 'acr', detail: 'https://www.spid.gov.it/SpidL1' });
  });

  it('a CIE answer without iss (the mix-up defence CIE requires); a SPID one without it is read', async () => {
    expect(await login('cie', false)).toMatchObject({ ok: false, reason: 'invalid', detail: 'no iss in the authorization response' });
    expect((await login('spid', false)).ok).toBe(true);
  });

  it('an answer naming another issuer in iss', async () => {
    const p = provider('spid');
    const { pending } = await rp.start(p, 'it', undefined);
    nonce = pending.nonce;
    const back = new URL(`https://varco.example/accedi/federata/ritorno?code=c-1&state=${pending.state}&iss=${encodeURIComponent('https://evil.example')}`);
    expect(await rp.callback(p, pending, back)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

it('at_hash is the left half of the hash of the access token (OpenID Connect Core 3.1.3.6)', () => {
  const digest = createHash('sha256').update('x').digest();
  expect(tokenHash('x', 'RS256')).toBe(digest.subarray(0, 16).toString('base64url'));
  expect(tokenHash('x', 'RS512')).toBe(createHash('sha512').update('x').digest().subarray(0, 32).toString('base64url'));
  expect(tokenHash('x', 'none')).toBeUndefined();
});
