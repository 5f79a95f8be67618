import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SecretBox } from '../security/secret-box.js';

/**
 * The private signing key for a use ('op': ID tokens of the OpenID Provider; 'rp': Varco's
 * request objects and client assertions towards SPID/CIE), kept sealed in the database. The
 * first process to start creates it; a unique index makes every other process take that one.
 */
export async function signingKey(db: Kysely<Database>, box: SecretBox, use: 'op' | 'rp'): Promise<JWK> {
  const existing = await db.selectFrom('signing_keys').select(['kid', 'sealed_jwk']).where('use', '=', use).where('retired_at', 'is', null).executeTakeFirst();
  if (existing) return JSON.parse(box.open(existing.sealed_jwk, `signing-key:${existing.kid}`)) as JWK;
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  await db
    .insertInto('signing_keys')
    .values({ kid, use, sealed_jwk: box.seal(JSON.stringify(jwk), `signing-key:${kid}`) })
    .onConflict((oc) => oc.column('use').where('retired_at', 'is', null).doNothing())
    .execute();
  return signingKey(db, box, use);
}

/** The public half of a private JWK. */
export function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}
