import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import type { SecretBox } from '../security/secret-box.js';

/**
 * What a key is for: 'op' signs the OpenID Provider's ID tokens; 'rp' signs Varco's request
 * objects and client assertions towards SPID/CIE; 'federation' signs Varco's entity
 * configuration (OpenID Federation); 'rp-enc' is the key SPID/CIE providers encrypt userinfo to.
 */
export type KeyUse = 'op' | 'rp' | 'federation' | 'rp-enc';
export const KEY_USES: readonly KeyUse[] = ['op', 'rp', 'federation', 'rp-enc'];

/** A key as kept: a private JWK, always with its kid. */
export type SigningJwk = JWK & { kid: string };

/** The opened row is checked for what every use of it relies on (a key type and a kid); the rest is jose's to read. */
const storedJwk = z.object({ kty: z.string(), kid: z.string() }).passthrough();

/**
 * The private signing key for a use ('op': ID tokens of the OpenID Provider; 'rp': Varco's
 * request objects and client assertions towards SPID/CIE), kept sealed in the database. The
 * first process to start creates it; a unique index makes every other process take that one.
 */
export async function signingKey(db: Kysely<Database>, box: SecretBox, use: KeyUse): Promise<SigningJwk> {
  const existing = await db.selectFrom('signing_keys').select(['kid', 'sealed_jwk']).where('use', '=', use).where('retired_at', 'is', null).executeTakeFirst();
  if (existing) return opened(box, existing);
  await db
    .insertInto('signing_keys')
    .values(await newKeyRow(box, use))
    .onConflict((oc) => oc.column('use').where('retired_at', 'is', null).doNothing())
    .execute();
  return signingKey(db, box, use);
}

/** A new RSA 2048 key (RS256 to sign, RSA-OAEP-256 to decrypt for 'rp-enc'), sealed for its row. */
async function newKeyRow(box: SecretBox, use: KeyUse): Promise<{ kid: string; use: KeyUse; sealed_jwk: string }> {
  const alg = use === 'rp-enc' ? 'RSA-OAEP-256' : 'RS256';
  const { privateKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use: use === 'rp-enc' ? 'enc' : 'sig' };
  return { kid, use, sealed_jwk: box.seal(JSON.stringify(jwk), `signing-key:${kid}`) };
}

function opened(box: SecretBox, row: { kid: string; sealed_jwk: string }): SigningJwk {
  const parsed: unknown = JSON.parse(box.open(row.sealed_jwk, `signing-key:${row.kid}`));
  return storedJwk.parse(parsed);
}

/** A retired key stays published this long, so tokens it signed still verify (ID tokens live 10 minutes). */
export const RETIRED_KEY_PUBLISHED_HOURS = 24;

/** The live key first (it signs), then the keys retired in the last day (they only verify). */
export async function signingKeys(db: Kysely<Database>, box: SecretBox, use: KeyUse, now = new Date()): Promise<[SigningJwk, ...SigningJwk[]]> {
  const live = await signingKey(db, box, use);
  const retired = await db
    .selectFrom('signing_keys')
    .select(['kid', 'sealed_jwk'])
    .where('use', '=', use)
    .where('retired_at', '>', new Date(now.getTime() - RETIRED_KEY_PUBLISHED_HOURS * 3_600_000))
    .orderBy('retired_at', 'desc')
    .execute();
  return [live, ...retired.map((r) => opened(box, r))];
}

/**
 * `varco keys rotate`: the live key of that use is retired and a new one made, in one
 * transaction. Processes read their keys at start: restart them after a rotation.
 */
export async function rotateSigningKey(db: Kysely<Database>, box: SecretBox, use: KeyUse): Promise<{ retired: string | undefined; kid: string }> {
  const row = await newKeyRow(box, use);
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .updateTable('signing_keys')
      .set({ retired_at: new Date() })
      .where('use', '=', use)
      .where('retired_at', 'is', null)
      .returning('kid')
      .executeTakeFirst();
    await trx.insertInto('signing_keys').values(row).execute();
    return { retired: old?.kid, kid: row.kid };
  });
}

/** The public half of a private JWK. */
export function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}
