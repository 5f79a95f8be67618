import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/**
 * A stand-in OpenID Federation for the tests, built by them: entities on one loopback server
 * (`http://127.0.0.1:<port>/<name>`), each with its own RSA federation key, publishing a signed
 * entity configuration at `/.well-known/openid-federation`, and, for superiors, subordinate
 * statements at `/fetch?sub=…` and their subordinates at `/list`. Every statement is signed when
 * asked, at the federation's clock (`now`), so a test can move time and break one link at a time.
 */
export interface Jwks {
  keys: JWK[];
}

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface Subordinate {
  /** The subordinate's keys as the superior states them (default: its current keys). */
  jwks?: Jwks;
  metadataPolicy?: Record<string, Record<string, Record<string, unknown>>>;
  metadata?: Record<string, Record<string, unknown>>;
  constraints?: Record<string, unknown>;
  /** Seconds the statement lives (negative: already expired). */
  lifetime?: number;
  /** Extra claims (e.g. `metadata_policy_crit`). */
  claims?: Record<string, unknown>;
}

export interface StandInEntity {
  readonly name: string;
  readonly id: string;
  keys: KeyPair[];
  authorityHints: string[];
  metadata: Record<string, Record<string, unknown>>;
  trustMarks: { trust_mark_type: string; trust_mark: string }[];
  trustMarkIssuers?: Record<string, string[]>;
  subordinates: Map<string, Subordinate>;
  /** Seconds its entity configuration lives. */
  lifetime: number;
  /** Sign with a key the entity does not publish (a forged statement). */
  forge: boolean;
  /** What its list endpoint answers instead of its subordinates (a broken or hostile list). */
  list?: unknown;
  /** The key its subordinate statements are signed with, when not its first (see `addStatementKey`). */
  statementKey?: KeyPair;
  readonly jwks: Jwks;
}

export interface StandInFederation {
  readonly base: string;
  /** Seconds since the epoch at which statements are signed. */
  now: number;
  /** Requests answered, by path. */
  readonly hits: Map<string, number>;
  entity(name: string): StandInEntity;
  /** A new entity; with `id`, one served elsewhere (a provider's own server), whose configuration `configuration` signs. */
  add(name: string, o?: { authorityHints?: string[]; metadata?: Record<string, Record<string, unknown>>; id?: string }): Promise<StandInEntity>;
  /** The entity's configuration, signed now: for an entity served by its own server. */
  configuration(entity: StandInEntity): Promise<string>;
  /** Makes `superior` state `subordinate` (its keys, and what else is given). */
  subordinate(superior: StandInEntity, subordinate: StandInEntity, s?: Subordinate): void;
  trustMark(issuer: StandInEntity, subject: StandInEntity, type: string, o?: { lifetime?: number }): Promise<string>;
  /** A new federation key for the entity, used from now on (the old one is no longer published). */
  rotate(entity: StandInEntity): Promise<void>;
  /** A second key the entity publishes in its configuration (still signed with its first) and signs its subordinate statements with. */
  addStatementKey(entity: StandInEntity): Promise<void>;
  close(): Promise<void>;
}

async function keyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  jwk.kid = `k${Math.random().toString(36).slice(2, 10)}`;
  jwk.alg = 'RS256';
  jwk.use = 'sig';
  return { privateKey, jwk };
}

/** With `realTime`, the federation's clock follows the real one (a test may still move it by an offset). */
export async function startStandInFederation(o: { realTime?: boolean } = {}): Promise<StandInFederation> {
  const entities = new Map<string, StandInEntity>();
  const hits = new Map<string, number>();
  const forger = await keyPair();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const [, name, ...rest] = url.pathname.split('/');
    const entity = name ? entities.get(name) : undefined;
    const answer = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type }).end(body);
    const route = rest.join('/');
    if (!entity) return answer(404, 'text/plain', 'no such entity');
    const statement =
      route === '.well-known/openid-federation'
        ? configurationOf(entity)
        : route === 'fetch'
          ? subordinateStatement(entity, url.searchParams.get('sub') ?? '')
          : undefined;
    if (route === 'list') return answer(200, 'application/json', JSON.stringify(entity.list ?? listOf(entity, url.searchParams)));
    if (!statement) return answer(404, 'text/plain', 'not found');
    statement.then(
      (jwt) => (jwt ? answer(200, 'application/entity-statement+jwt', jwt) : answer(404, 'application/json', '{"error":"not_found"}')),
      (error: unknown) => answer(500, 'text/plain', String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const start = Math.floor(Date.now() / 1000);
  let offset = 0;
  const fed: StandInFederation = {
    base,
    get now() {
      return (o.realTime ? Math.floor(Date.now() / 1000) : start) + offset;
    },
    set now(value: number) {
      offset = value - (o.realTime ? Math.floor(Date.now() / 1000) : start);
    },
    hits,
    entity(name) {
      const e = entities.get(name);
      if (!e) throw new Error(`no stand-in entity ${name}`);
      return e;
    },
    async add(name, o = {}) {
      const e: StandInEntity = {
        name,
        id: o.id ?? `${base}/${name}`,
        keys: [await keyPair()],
        authorityHints: o.authorityHints ?? [],
        metadata: o.metadata ?? {},
        trustMarks: [],
        subordinates: new Map(),
        lifetime: 3600,
        forge: false,
        get jwks() {
          return { keys: this.keys.map((k) => k.jwk) };
        },
      };
      const own = `${base}/${name}`;
      e.metadata.federation_entity = {
        federation_fetch_endpoint: `${own}/fetch`,
        federation_list_endpoint: `${own}/list`,
        organization_name: name,
        ...e.metadata.federation_entity,
      };
      entities.set(name, e);
      return e;
    },
    subordinate(superior, subordinate, s = {}) {
      superior.subordinates.set(subordinate.id, s);
      if (!subordinate.authorityHints.includes(superior.id)) subordinate.authorityHints.push(superior.id);
    },
    async trustMark(issuer, subject, type, o = {}) {
      const key = issuer.keys[0];
      if (!key) throw new Error('no key');
      return new SignJWT({ trust_mark_type: type, id: type })
        .setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid, typ: 'trust-mark+jwt' })
        .setIssuer(issuer.id)
        .setSubject(subject.id)
        .setIssuedAt(fed.now)
        .setExpirationTime(fed.now + (o.lifetime ?? 86_400))
        .sign(key.privateKey);
    },
    configuration: (entity) => configurationOf(entity),
    async rotate(entity) {
      entity.keys = [await keyPair()];
    },
    async addStatementKey(entity) {
      const key = await keyPair();
      entity.keys = [...entity.keys, key];
      entity.statementKey = key;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function sign(by: StandInEntity, payload: Record<string, unknown>, lifetime: number): Promise<string> {
    const own = payload.sub !== by.id ? (by.statementKey ?? by.keys[0]) : by.keys[0];
    const key = by.forge ? forger : own;
    if (!key) throw new Error('no key');
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: by.forge ? (own?.jwk.kid ?? 'x') : key.jwk.kid, typ: 'entity-statement+jwt' })
      .setIssuer(by.id)
      .setIssuedAt(fed.now)
      .setExpirationTime(fed.now + lifetime)
      .sign(key.privateKey);
  }

  function configurationOf(e: StandInEntity): Promise<string> {
    return sign(
      e,
      {
        sub: e.id,
        jwks: e.jwks,
        metadata: e.metadata,
        ...(e.authorityHints.length ? { authority_hints: e.authorityHints } : {}),
        ...(e.trustMarks.length ? { trust_marks: e.trustMarks } : {}),
        ...(e.trustMarkIssuers ? { trust_mark_issuers: e.trustMarkIssuers } : {}),
      },
      e.lifetime,
    );
  }

  /** Its subordinates, as the list endpoint filters them: `entity_type` (by their metadata) and `intermediate` (those with subordinates). */
  function listOf(e: StandInEntity, query: URLSearchParams): string[] {
    const type = query.get('entity_type');
    const intermediate = query.get('intermediate');
    return [...e.subordinates.keys()].filter((id) => {
      const sub = [...entities.values()].find((x) => x.id === id);
      if (!sub) return !type && intermediate !== 'true';
      if (type && !sub.metadata[type]) return false;
      return intermediate === null || (intermediate === 'true') === sub.subordinates.size > 0;
    });
  }

  async function subordinateStatement(superior: StandInEntity, sub: string): Promise<string | undefined> {
    const s = superior.subordinates.get(sub);
    const subject = [...entities.values()].find((e) => e.id === sub);
    if (!s || !subject) return undefined;
    return sign(
      superior,
      {
        sub,
        jwks: s.jwks ?? subject.jwks,
        ...(s.metadataPolicy ? { metadata_policy: s.metadataPolicy } : {}),
        ...(s.metadata ? { metadata: s.metadata } : {}),
        ...(s.constraints ? { constraints: s.constraints } : {}),
        ...s.claims,
      },
      s.lifetime ?? 3600,
    );
  }

  return fed;
}

export const SPID_OP_MARK = 'https://registry.spid.example/openid_provider/public';
export const CIE_OP_MARK = 'https://registry.cie.example/openid_provider/public';

/** OpenID provider metadata of a stand-in SPID or CIE provider (the parts a trust chain touches). */
export function providerMetadata(issuer: string, acr: string[]): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    acr_values_supported: acr,
    id_token_signing_alg_values_supported: ['RS256', 'HS256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    client_registration_types_supported: ['automatic'],
  };
}

/**
 * The federation of the trust chain tests: a trust anchor `ta`, an intermediate `intermediario`
 * below it, a SPID provider `spid-op` below the intermediate and a CIE provider `cie-op` right
 * below the anchor. The anchor allows the intermediate to issue the SPID providers' trust mark
 * and issues the CIE one itself; each provider carries its mark. The anchor's policy keeps RS256
 * and RS512 as ID token algorithms; the intermediate's keeps private_key_jwt only.
 */
export async function standardFederation(fed: StandInFederation) {
  const ta = await fed.add('ta');
  const intermediario = await fed.add('intermediario');
  const spid = await fed.add('spid-op');
  const cie = await fed.add('cie-op');
  spid.metadata.openid_provider = providerMetadata(spid.id, [
    'https://www.spid.gov.it/SpidL1',
    'https://www.spid.gov.it/SpidL2',
    'https://www.spid.gov.it/SpidL3',
  ]);
  cie.metadata.openid_provider = providerMetadata(cie.id, ['CIE_L1', 'CIE_L2', 'CIE_L3']);
  ta.trustMarkIssuers = { [SPID_OP_MARK]: [intermediario.id], [CIE_OP_MARK]: [ta.id] };
  const anchorPolicy = { openid_provider: { id_token_signing_alg_values_supported: { subset_of: ['RS256', 'RS512'] } } };
  fed.subordinate(ta, intermediario, { metadataPolicy: anchorPolicy });
  fed.subordinate(ta, cie, { metadataPolicy: anchorPolicy });
  fed.subordinate(intermediario, spid, { metadataPolicy: { openid_provider: { token_endpoint_auth_methods_supported: { subset_of: ['private_key_jwt'] } } } });
  spid.trustMarks = [{ trust_mark_type: SPID_OP_MARK, trust_mark: await fed.trustMark(intermediario, spid, SPID_OP_MARK) }];
  cie.trustMarks = [{ trust_mark_type: CIE_OP_MARK, trust_mark: await fed.trustMark(ta, cie, CIE_OP_MARK) }];
  return { ta, intermediario, spid, cie, anchors: [{ entityId: ta.id, jwks: ta.jwks }] };
}
