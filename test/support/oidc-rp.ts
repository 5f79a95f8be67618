import { createHash, randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { addClient, type NewClient } from '../../src/clients/clients.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import type { TestApp } from './app.js';

/** Where the test relying parties get their authorization codes. */
export const RP_REDIRECT = 'https://rp.example.org/cb';

/**
 * A new relying party of the OpenID Provider with a random id: "Servizio di prova", scopes openid
 * and profile, codes sent to RP_REDIRECT; `o` adds to that (min level, logout URIs…). Its id and secret.
 */
export async function addRelyingParty(portal: Pick<TestApp, 'db' | 'config'>, o: Partial<NewClient> = {}) {
  const id = `rp.${randomBytes(4).toString('hex')}`;
  const { secret } = await addClient(portal.db, createSecretBox(portal.config.secretKey), {
    id,
    name: 'Servizio di prova',
    scopes: ['openid', 'profile'],
    redirectUris: [RP_REDIRECT],
    ...o,
  });
  if (secret === undefined) throw new Error('a relying party without a key set has a secret');
  return { id, secret };
}

/**
 * A relying party's authorization request for a code with PKCE (S256), state "st", to
 * RP_REDIRECT, scope "openid profile"; `fields` adds or replaces parameters. The query and the
 * code verifier the token request needs.
 */
export function authorizationRequest(clientId: string, fields: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: RP_REDIRECT,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'st',
    ...fields,
  });
  return { query, verifier };
}

/** The headers of a form posted to the provider by the relying party, authenticated with client_secret_basic. */
export function clientSecretBasic(rp: { id: string; secret: string }) {
  return { authorization: `Basic ${Buffer.from(`${rp.id}:${rp.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' };
}

/** The token request that exchanges `code` (with its PKCE verifier) for the relying party's tokens. */
export function tokenRequest(rp: { id: string; secret: string }, code: string, verifier: string): InjectOptions {
  return {
    method: 'POST',
    url: '/oidc/token',
    headers: clientSecretBasic(rp),
    payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: RP_REDIRECT, code_verifier: verifier }).toString(),
  };
}
