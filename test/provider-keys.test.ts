import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderEntry } from '../src/federation/directory.js';
import { providerKeys } from '../src/federation/rp.js';
import type { TrustChain } from '../src/federation/trust/chain.js';

/**
 * Issue 15: where the keys of a federation's provider come from. Its chain states its federation
 * keys; the keys that sign its ID tokens are inline, or at its `signed_jwks_uri` (a JWT of type
 * `jwk-set+jwt` its federation key signs), or at its `jwks_uri`. A signed JWKS of another type,
 * signed by another key, by another issuer or expired would let whoever serves that URL choose
 * the keys of someone's login: each is refused.
 */
let server: Server;
let base = '';
const bodies = new Map<string, { type: string; body: string }>();
let federationKey: { privateKey: CryptoKey; jwk: JWK };
let otherKey: { privateKey: CryptoKey; jwk: JWK };
let idTokenKey: { privateKey: CryptoKey; jwk: JWK };

async function rsa(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

beforeAll(async () => {
  [federationKey, otherKey, idTokenKey] = await Promise.all([rsa('fed-1'), rsa('other-1'), rsa('op-1')]);
  server = createServer((req, res) => {
    const found = bodies.get(req.url ?? '');
    if (!found) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': found.type }).end(found.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const provider = (): ProviderEntry => ({
  id: 'op',
  kind: 'spid',
  name: 'OP',
  issuer: base,
  clientId: 'https://varco.example',
  acrValues: ['https://www.spid.gov.it/SpidL2'],
  allowHttp: true,
  source: 'federation',
});

const chainWith = (metadata: Record<string, unknown>): TrustChain => ({
  subject: base,
  entityType: 'openid_provider',
  anchor: 'https://anchor.example',
  path: [base, 'https://anchor.example'],
  jwks: { keys: [federationKey.jwk] },
  metadata,
  trustMarks: [],
  exp: Math.floor(Date.now() / 1000) + 3600,
  statements: [],
});

/** A signed JWKS as a provider publishes it, with what each case changes. */
function signedJwks(o: { typ?: string; key?: typeof federationKey; iss?: string; exp?: string } = {}) {
  const key = o.key ?? federationKey;
  const jwt = new SignJWT({ keys: [idTokenKey.jwk] })
    .setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid, typ: o.typ ?? 'jwk-set+jwt' })
    .setIssuer(o.iss ?? base)
    .setIssuedAt();
  if (o.exp) jwt.setExpirationTime(o.exp);
  return jwt.sign(key.privateKey);
}

/** The keys read for a provider whose `signed_jwks_uri` serves `jwt`. */
async function keysFromSigned(path: string, jwt: string) {
  bodies.set(path, { type: 'application/jwk-set+jwt', body: jwt });
  return providerKeys(provider(), chainWith({ signed_jwks_uri: `${base}${path}` }), true);
}

/** Whether the keys read verify an ID token signed with the provider's ID-token key. */
async function verifiesIdToken(keys: Awaited<ReturnType<typeof providerKeys>>) {
  const token = await new SignJWT({ sub: 's' }).setProtectedHeader({ alg: 'RS256', kid: idTokenKey.jwk.kid }).setIssuer(base).sign(idTokenKey.privateKey);
  return (await jwtVerify(token, keys, { issuer: base })).payload.sub === 's';
}

describe("a provider's signed JWKS", () => {
  it('of type jwk-set+jwt, signed with the federation key its chain states, gives the keys of its ID tokens', async () => {
    expect(await verifiesIdToken(await keysFromSigned('/ok', await signedJwks({ exp: '1h' })))).toBe(true);
  });

  it.each([
    ['of another type (a plain JWT)', () => signedJwks({ typ: 'JWT' })],
    ['signed by a key its chain does not state', () => signedJwks({ key: otherKey })],
    ['issued by another entity', () => signedJwks({ iss: 'https://someone-else.example' })],
    ['expired', () => signedJwks({ exp: '-10m' })],
  ])('%s is refused', async (name, make) => {
    await expect(keysFromSigned(`/${encodeURIComponent(name)}`, await make())).rejects.toMatchObject({ reason: 'metadata', message: /signed JWKS/ });
  });
});

describe("a provider's other keys", () => {
  it('inline jwks and a jwks_uri give the keys; a jwks_uri without keys, or none at all, is refused', async () => {
    expect(await verifiesIdToken(await providerKeys(provider(), chainWith({ jwks: { keys: [idTokenKey.jwk] } }), true))).toBe(true);
    bodies.set('/jwks', { type: 'application/json', body: JSON.stringify({ keys: [idTokenKey.jwk] }) });
    expect(await verifiesIdToken(await providerKeys(provider(), chainWith({ jwks_uri: `${base}/jwks` }), true))).toBe(true);
    bodies.set('/not-json', { type: 'application/json', body: '<html>' });
    await expect(providerKeys(provider(), chainWith({ jwks_uri: `${base}/not-json` }), true)).rejects.toMatchObject({ reason: 'metadata' });
    await expect(providerKeys(provider(), chainWith({}), true)).rejects.toMatchObject({ reason: 'metadata', message: /states no keys/ });
  });

  it('are not fetched from an internal address unless allowed (development)', async () => {
    bodies.set('/jwks', { type: 'application/json', body: JSON.stringify({ keys: [idTokenKey.jwk] }) });
    await expect(providerKeys(provider(), chainWith({ jwks_uri: `${base}/jwks` }), false)).rejects.toMatchObject({ reason: 'metadata' });
  });
});
