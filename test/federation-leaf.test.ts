import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { peek, verifyStatement } from '../src/federation/trust/statements.js';
import { rotateSigningKey } from '../src/oidc/keys.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { buildTestApp, useTestApp } from './support/app.js';

/** Issue 15: Varco as a leaf of the SPID/CIE federations — its entity configuration and its keys. */
const marks = path.join(mkdtempSync(path.join(tmpdir(), 'varco-marks-')), 'trust-marks.json');
const MARK = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3JlZ2lzdHJ5LmV4YW1wbGUifQ.c2ln';
writeFileSync(marks, JSON.stringify([{ id: 'https://registry.spid.example/openid_relying_party/public', trust_mark: MARK }]));

describe('the entity configuration', () => {
  const t = useTestApp('pglite', {
    VARCO_AUTHORITY_HINTS: 'https://registry.spid.gov.it, https://registry.servizicie.interno.gov.it',
    VARCO_TRUST_MARKS_FILE: marks,
    VARCO_FEDERATION_CONTACTS: 'federazione@inps.example',
  });

  async function configuration(): Promise<string> {
    const res = await t.app.inject({ method: 'GET', url: '/.well-known/openid-federation' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/entity-statement+jwt');
    return res.body;
  }

  it('is self-signed with the federation key and names superiors, trust marks, contacts and the relying-party metadata', async () => {
    const jwt = await configuration();
    const self = t.config.publicUrl;
    const statement = await verifyStatement(jwt, peek(jwt).jwks, { iss: self, sub: self, now: Math.floor(Date.now() / 1000) });
    expect(decodeProtectedHeader(jwt).typ).toBe('entity-statement+jwt');
    expect(statement.authority_hints).toEqual(['https://registry.spid.gov.it', 'https://registry.servizicie.interno.gov.it']);
    expect(statement.trust_marks).toEqual([
      {
        trust_mark_type: 'https://registry.spid.example/openid_relying_party/public',
        id: 'https://registry.spid.example/openid_relying_party/public',
        trust_mark: MARK,
      },
    ]);
    const rp = statement.metadata?.openid_relying_party ?? {};
    expect(rp).toMatchObject({
      client_id: self,
      client_registration_types: ['automatic'],
      redirect_uris: [`${self}/accedi/federata/ritorno`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      userinfo_encrypted_response_alg: 'RSA-OAEP-256',
      userinfo_encrypted_response_enc: 'A256CBC-HS512',
      contacts: ['federazione@inps.example'],
      organization_name: t.config.istituto.name,
    });
    expect(statement.metadata?.federation_entity).toMatchObject({ organization_name: t.config.istituto.name, contacts: ['federazione@inps.example'] });
    // The relying-party keys: one to verify its requests, one to encrypt userinfo to; neither is the federation key.
    const rpKeys = (rp.jwks as { keys: { kid: string; use: string; alg: string; d?: string }[] }).keys;
    expect(rpKeys.map((k) => [k.use, k.alg])).toEqual([
      ['sig', 'RS256'],
      ['enc', 'RSA-OAEP-256'],
    ]);
    expect(rpKeys.some((k) => 'd' in k)).toBe(false);
    const federationKids = statement.jwks.keys.map((k) => k.kid);
    expect(federationKids).toEqual([decodeProtectedHeader(jwt).kid]);
    expect(rpKeys.map((k) => k.kid)).not.toContain(federationKids[0]);
    // By reference too (AgID's validator, case 1.2.4): the relying-party keys and the key that signed this statement, no private part.
    expect(rp.jwks_uri).toBe(`${self}/federazione/jwks.json`);
    const byReference = (await t.app.inject({ method: 'GET', url: '/federazione/jwks.json' })).json<{ keys: { kid: string; d?: string }[] }>().keys;
    expect(byReference.map((k) => k.kid)).toEqual([...rpKeys.map((k) => k.kid), federationKids[0]]);
    expect(byReference.some((k) => 'd' in k)).toBe(false);
  });

  it('after `varco keys rotate --use federation`, a new process signs with the new key and still publishes the old one', async () => {
    const before = peek(await configuration()).jwks.keys.map((k) => k.kid);
    const rotated = await rotateSigningKey(t.db, createSecretBox(t.config.secretKey), 'federation');
    expect(rotated.retired).toBe(before[0]);
    const next = await buildTestApp('pglite', { VARCO_SECRET_KEY: t.config.secretKey.toString('hex') }, { db: { db: t.db, url: undefined } });
    try {
      const res = await next.app.inject({ method: 'GET', url: '/.well-known/openid-federation' });
      expect(decodeProtectedHeader(res.body).kid).toBe(rotated.kid);
      expect(peek(res.body).jwks.keys.map((k) => k.kid)).toEqual([rotated.kid, before[0]]);
      const self = next.config.publicUrl;
      await expect(verifyStatement(res.body, peek(res.body).jwks, { iss: self, sub: self, now: Math.floor(Date.now() / 1000) })).resolves.toBeTruthy();
    } finally {
      await next.app.close();
    }
  });
});

describe('the federation settings', () => {
  const base = { VARCO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'varco-leaf-')) };
  it('refuses an authority hint that is not https, and a contact that is not an email address', () => {
    expect(() => loadConfig({ ...base, VARCO_AUTHORITY_HINTS: 'ftp://registry.example' })).toThrow(
      /VARCO_AUTHORITY_HINTS: ftp:\/\/registry.example is not an https URL/,
    );
    expect(() => loadConfig({ ...base, VARCO_FEDERATION_CONTACTS: 'not-an-address' })).toThrow(/VARCO_FEDERATION_CONTACTS: not-an-address/);
  });
  it('refuses a trust marks file that is not a list of signed trust marks', () => {
    const bad = path.join(base.VARCO_DATA_DIR, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ id: 'x', trust_mark: 'not a jwt' }]));
    expect(() => loadConfig({ ...base, VARCO_TRUST_MARKS_FILE: bad })).toThrow(/VARCO_TRUST_MARKS_FILE .*trust_mark a signed JWT/);
  });
});
