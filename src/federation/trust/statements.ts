import { createLocalJWKSet, decodeJwt, errors, type JWK, jwtVerify } from 'jose';
import { z } from 'zod';

/**
 * OpenID Federation 1.0 entity statements: an entity's configuration about itself
 * (`/.well-known/openid-federation`, iss = sub) and a superior's subordinate statement about it
 * (its fetch endpoint, iss ≠ sub). Both are JWTs of type `entity-statement+jwt`.
 */
export const ENTITY_STATEMENT_TYPE = 'entity-statement+jwt';
export const TRUST_MARK_TYPE = 'trust-mark+jwt';

/** A public key as federation statements carry it (the members a public RSA or EC key has; others are dropped). */
const jwkSchema = z.object({
  kty: z.enum(['RSA', 'EC']),
  kid: z.string().max(200).optional(),
  use: z.enum(['sig', 'enc']).optional(),
  alg: z.string().max(20).optional(),
  n: z.string().max(2000).optional(),
  e: z.string().max(20).optional(),
  crv: z.string().max(20).optional(),
  x: z.string().max(200).optional(),
  y: z.string().max(200).optional(),
  x5c: z.array(z.string().max(10_000)).max(5).optional(),
}) satisfies z.ZodType<JWK>;
const jwksSchema = z.object({ keys: z.array(jwkSchema).min(1).max(20) });
export type Jwks = { keys: JWK[] };

/** An entity id: an https (or loopback http) URL, printable, with no whitespace (it goes into logs and the audit trail). */
export const entityIdSchema = z
  .string()
  .max(500)
  .url()
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .refine((u) => !/[\s\u0000-\u001f\u007f-\u009f]/.test(u), 'an entity id has no whitespace or control characters');
const entityId = entityIdSchema;

export const entityStatementSchema = z
  .object({
    iss: entityId,
    sub: entityId,
    iat: z.number().int(),
    exp: z.number().int(),
    jwks: jwksSchema,
    authority_hints: z.array(entityId).max(10).optional(),
    metadata: z.record(z.record(z.unknown())).optional(),
    metadata_policy: z.record(z.record(z.record(z.unknown()))).optional(),
    // Constraints Varco does not understand refuse the statement (they would restrict what it trusts).
    constraints: z
      .object({
        max_path_length: z.number().int().min(0).optional(),
        naming_constraints: z
          .object({ permitted: z.array(z.string().min(1).max(253)).max(100).optional(), excluded: z.array(z.string().min(1).max(253)).max(100).optional() })
          .strict()
          .optional(),
        allowed_entity_types: z.array(z.string().min(1).max(100)).max(20).optional(),
      })
      .strict()
      .optional(),
    crit: z.array(z.string()).optional(),
    metadata_policy_crit: z.array(z.string()).optional(),
    trust_marks: z
      .array(z.object({ id: z.string().optional(), trust_mark_type: z.string().optional(), trust_mark: z.string() }).passthrough())
      .max(20)
      .optional(),
    trust_mark_issuers: z.record(z.array(entityId)).optional(),
  })
  .passthrough();

export type EntityStatement = z.infer<typeof entityStatementSchema> & { jwks: Jwks };

export const trustMarkSchema = z
  .object({
    iss: entityId,
    sub: entityId,
    iat: z.number().int(),
    exp: z.number().int().optional(),
    id: z.string().optional(),
    trust_mark_type: z.string().optional(),
  })
  .passthrough();

export type TrustMark = z.infer<typeof trustMarkSchema> & { type: string };

/** Why a statement or a chain was refused (the audit record and the page name it); 'entity_type': the entity is not of the type asked (not an OpenID provider). */
export type TrustFailure = 'unreachable' | 'malformed' | 'signature' | 'expired' | 'no_path' | 'policy' | 'metadata' | 'trust_mark' | 'entity_type';

export class TrustError extends Error {
  constructor(
    readonly reason: TrustFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The claims this implementation understands, for `crit` (any other listed there refuses the statement). */
const UNDERSTOOD = new Set(Object.keys(entityStatementSchema.shape));

/** Reads a statement without checking its signature: only to find the keys that will check it. */
export function peek(jwt: string): EntityStatement {
  let payload: unknown;
  try {
    payload = decodeJwt(jwt);
  } catch {
    throw new TrustError('malformed', 'not a JWT');
  }
  return parseStatement(payload);
}

function parseStatement(payload: unknown): EntityStatement {
  const parsed = entityStatementSchema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new TrustError('malformed', `entity statement: ${first?.path.join('.') ?? ''} ${first?.message ?? ''}`.trim());
  }
  const statement = parsed.data;
  const unknown = (statement.crit ?? []).filter((c) => !UNDERSTOOD.has(c));
  if (unknown.length) throw new TrustError('malformed', `critical claims not understood: ${unknown.join(', ')}`);
  return statement;
}

/**
 * A federation JWT's payload, once its signature (with `keys`), type and lifetime are checked;
 * `now` is in seconds, 60 s of clock skew are allowed. A failure is a TrustError: for a trust
 * mark always 'trust_mark', for a statement 'expired', 'signature' or 'malformed'.
 */
async function verifiedPayload(jwt: string, keys: Jwks, o: { typ: string; now: number; what: string; trustMark: boolean }): Promise<unknown> {
  try {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(keys), {
      typ: o.typ,
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
      currentDate: new Date(o.now * 1000),
      clockTolerance: 60,
    });
    return payload;
  } catch (error) {
    const reason = (r: TrustFailure): TrustFailure => (o.trustMark ? 'trust_mark' : r);
    if (error instanceof errors.JWTExpired) throw new TrustError(reason('expired'), `${o.what} has expired`);
    if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
      throw new TrustError(reason('signature'), `${o.what}: signature not made by a key the superior lists`);
    throw new TrustError(reason('malformed'), `${o.what}: ${error instanceof Error ? error.message : 'invalid'}`);
  }
}

/** Checks a statement's signature with the given keys, its type, issuer, subject and lifetime. */
export async function verifyStatement(jwt: string, keys: Jwks, expected: { iss: string; sub: string; now: number }): Promise<EntityStatement> {
  const what = `statement of ${expected.iss} about ${expected.sub}`;
  const statement = parseStatement(await verifiedPayload(jwt, keys, { typ: ENTITY_STATEMENT_TYPE, now: expected.now, what, trustMark: false }));
  if (statement.iss !== expected.iss || statement.sub !== expected.sub)
    throw new TrustError('malformed', `expected a statement of ${expected.iss} about ${expected.sub}, got ${statement.iss} about ${statement.sub}`);
  return statement;
}

/** Checks a trust mark's signature with its issuer's keys, its type, subject and lifetime. */
export async function verifyTrustMark(jwt: string, keys: Jwks, expected: { sub: string; type: string; now: number }): Promise<TrustMark> {
  const what = `trust mark ${expected.type}`;
  const parsed = trustMarkSchema.safeParse(await verifiedPayload(jwt, keys, { typ: TRUST_MARK_TYPE, now: expected.now, what, trustMark: true }));
  if (!parsed.success) throw new TrustError('trust_mark', `${what}: malformed`);
  const type = parsed.data.trust_mark_type ?? parsed.data.id;
  if (type !== expected.type || parsed.data.sub !== expected.sub) throw new TrustError('trust_mark', `${what} is not about ${expected.sub}`);
  return { ...parsed.data, type };
}

/** The issuer of a trust mark, unverified: to find whose keys check it. */
export function trustMarkIssuer(jwt: string): string {
  try {
    const iss = decodeJwt(jwt).iss;
    if (typeof iss === 'string') return iss;
  } catch {
    // falls through
  }
  throw new TrustError('trust_mark', 'trust mark without an issuer');
}
