import { configurationUrl, federationGet } from './fetch.js';
import { applyPolicy, mergePolicies, type TypePolicy } from './policy.js';
import {
  type EntityStatement,
  type Jwks,
  peek,
  type TrustFailure,
  type TrustMark,
  TrustError,
  trustMarkIssuer,
  verifyStatement,
  verifyTrustMark,
} from './statements.js';

/** A trust anchor Varco accepts, with its federation keys pinned (VARCO_TRUST_ANCHORS). */
export interface TrustAnchor {
  entityId: string;
  jwks: Jwks;
}

export interface TrustOptions {
  anchors: readonly TrustAnchor[];
  /** Per entity type, the trust marks a subject of that type must carry (each one, issued by whom the anchor allows). */
  requiredTrustMarks?: Readonly<Record<string, readonly string[]>>;
  /** Plain http to loopback entities: development and tests only. */
  allowHttp?: boolean;
  /** Seconds since the epoch (the tests move it). */
  now?: () => number;
  /** How many superiors are followed above the subject at most. */
  maxDepth?: number;
  /** Seconds a failed resolution is remembered, so a failing provider is not asked on every click. */
  failureTtlSeconds?: number;
  fetchTimeoutMs?: number;
  /** Internal addresses (loopback, private networks) reachable: development and tests only. */
  allowInternal?: boolean;
  /** Most requests one resolution makes (default 24), and most milliseconds it takes (default 20,000). */
  budget?: { fetches: number; ms: number };
}

/** How many authority hints of one entity are tried (OpenID Federation lets an entity name several; a long list is an attack on the resolver). */
const MAX_HINTS = 3;
/**
 * Seconds a resolved chain is kept at least, even when a statement of it expires sooner: its
 * statements were accepted with 60 s of clock tolerance, so this never serves a chain the checks
 * would refuse, and a chain that just expired is resolved again at most every 10 s, not on every
 * request (a federation serving a stale statement is not asked again by every login).
 */
const MIN_CACHE_SECONDS = 10;

/** What one resolution may still spend: requests and time, so a federation of many hints cannot make it fan out. */
interface Budget {
  fetches: number;
  deadline: number;
}

/** A resolved and verified trust chain of one subject for one entity type. */
export interface TrustChain {
  subject: string;
  entityType: string;
  anchor: string;
  /** Entity ids from the subject up to the anchor. */
  path: string[];
  /** The subject's keys as its immediate superior states them. */
  jwks: Jwks;
  /** The subject's metadata of this type, with the superiors' metadata and policies applied. */
  metadata: Record<string, unknown>;
  trustMarks: TrustMark[];
  /** When the first statement (or required trust mark) of the chain expires, in seconds: the chain is resolved again then. */
  exp: number;
  /** The chain as the specification lists it: the subject's configuration, the subordinate statements, the anchor's configuration. */
  statements: string[];
}

interface Link {
  /** The verified statement about the entity below, by its superior. */
  statement: EntityStatement;
  jwt: string;
}

interface Path {
  /** The subordinate statements from the subject's superior up to the anchor's statement about the entity below it. */
  links: Link[];
  anchor: { configuration: EntityStatement; jwt: string };
}

/**
 * Resolves trust chains per OpenID Federation 1.0: the subject's entity configuration, its
 * authority hints followed up to a configured trust anchor (each superior's subordinate
 * statement read from its fetch endpoint and checked with its keys, the subject's own
 * configuration checked again with the keys its superior states), constraints, the merged
 * metadata policy, the required trust marks. Chains are cached until their `exp`.
 */
export function createTrustResolver(options: TrustOptions) {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const maxDepth = options.maxDepth ?? 4;
  const anchors = new Map(options.anchors.map((a) => [a.entityId, a]));
  const cache = new Map<string, { chain: Promise<TrustChain>; until: number }>();
  /** Superiors whose configuration could not be read or verified lately: not asked again by every resolution until `until`. */
  const failedAuthorities = new Map<string, { error: TrustError; until: number }>();
  const budgetOf = (): Budget => ({ fetches: options.budget?.fetches ?? 24, deadline: Date.now() + (options.budget?.ms ?? 20_000) });

  const fetchJwt = (url: string, budget: Budget, notFound?: TrustFailure) => {
    budget.fetches -= 1;
    if (budget.fetches < 0 || Date.now() > budget.deadline) throw new TrustError('no_path', `${url}: the resolution's budget of requests and time is spent`);
    return federationGet(url, {
      accept: 'application/entity-statement+jwt',
      allowHttp: options.allowHttp,
      allowInternal: options.allowInternal,
      timeoutMs: Math.max(1, Math.min(options.fetchTimeoutMs ?? 10_000, budget.deadline - Date.now())),
      notFound,
    });
  };

  /** An entity configuration, checked with the keys it states itself (and again later with its superior's). */
  async function configuration(entityId: string, budget: Budget = budgetOf()): Promise<{ statement: EntityStatement; jwt: string }> {
    const jwt = await fetchJwt(configurationUrl(entityId), budget);
    const pinned = anchors.get(entityId);
    const keys = pinned ? pinned.jwks : peek(jwt).jwks;
    const statement = await verifyStatement(jwt, keys, { iss: entityId, sub: entityId, now: now() });
    return { statement, jwt };
  }

  /** A superior's configuration; a failure is remembered `failureTtlSeconds`, so a dead or hostile intermediate costs one request, not one per resolution. */
  async function authorityConfiguration(entityId: string, budget: Budget): Promise<{ statement: EntityStatement; jwt: string }> {
    const failed = failedAuthorities.get(entityId);
    if (failed && now() < failed.until) throw failed.error;
    try {
      return await configuration(entityId, budget);
    } catch (error) {
      const trustError = error instanceof TrustError ? error : new TrustError('unreachable', String(error));
      if (!/budget/.test(trustError.message)) failedAuthorities.set(entityId, { error: trustError, until: now() + (options.failureTtlSeconds ?? 60) });
      throw trustError;
    }
  }

  async function subordinateStatement(superior: EntityStatement, subject: string, budget: Budget): Promise<Link> {
    const endpoint = superior.metadata?.federation_entity?.federation_fetch_endpoint;
    if (typeof endpoint !== 'string') throw new TrustError('no_path', `${superior.sub} publishes no federation_fetch_endpoint`);
    const url = new URL(endpoint);
    url.searchParams.set('sub', subject);
    const jwt = await fetchJwt(url.href, budget, 'no_path');
    return { statement: await verifyStatement(jwt, superior.jwks, { iss: superior.sub, sub: subject, now: now() }), jwt };
  }

  /** Paths from `subject` (whose configuration is given) up to an anchor, the first that verifies (of its first MAX_HINTS hints). */
  async function pathUp(subject: { statement: EntityStatement; jwt: string }, depth: number, seen: Set<string>, budget: Budget): Promise<Path> {
    const hints = (subject.statement.authority_hints ?? []).slice(0, MAX_HINTS);
    if (hints.length === 0) throw new TrustError('no_path', `${subject.statement.sub} names no authority and is not a trust anchor Varco accepts`);
    const failures: TrustError[] = [];
    for (const hint of hints) {
      try {
        if (seen.has(hint)) throw new TrustError('no_path', `${hint}: a loop in the authority hints`);
        const superior = await authorityConfiguration(hint, budget);
        const link = await subordinateStatement(superior.statement, subject.statement.sub, budget);
        // The subject's configuration must be signed with a key its superior states (a key the superior no longer lists is revoked).
        await verifyStatement(subject.jwt, link.statement.jwks, { iss: subject.statement.sub, sub: subject.statement.sub, now: now() });
        // An anchor's configuration was checked with its pinned keys: the keys it states are its own.
        if (anchors.has(hint)) return { links: [link], anchor: { configuration: superior.statement, jwt: superior.jwt } };
        if (depth + 1 >= maxDepth) throw new TrustError('no_path', `no trust anchor within ${maxDepth} superiors`);
        const above = await pathUp(superior, depth + 1, new Set([...seen, hint]), budget);
        // An intermediate's statement counts only if signed with a key its own superior states for it, not one it only claims itself.
        const stated = above.links[0]?.statement.jwks;
        if (!stated) throw new TrustError('no_path', `${hint}: no statement about it above`);
        await verifyStatement(link.jwt, stated, { iss: hint, sub: subject.statement.sub, now: now() });
        return { links: [link, ...above.links], anchor: above.anchor };
      } catch (error) {
        failures.push(error instanceof TrustError ? error : new TrustError('unreachable', String(error)));
      }
    }
    // The most telling failure: one of a path that reached its superiors, before a missing path.
    throw failures.find((f) => f.reason !== 'no_path' && f.reason !== 'unreachable') ?? failures.find((f) => f.reason !== 'no_path') ?? failures[0];
  }

  /**
   * The constraints of every subordinate statement (OpenID Federation 1.0, section 6.2), each
   * applied to the entities below its issuer: `max_path_length` (intermediates between the issuer
   * and the subject), `naming_constraints` (their entity ids' host names, permitted and excluded,
   * as RFC 5280 reads a DNS name constraint) and `allowed_entity_types` (the subject's type;
   * federation_entity is always allowed). A constraint Varco does not know refuses the statement
   * when it is read (its schema is strict).
   */
  function checkConstraints(subjectId: string, links: readonly Link[], entityType: string): void {
    links.forEach((link, k) => {
      const c = link.statement.constraints;
      if (!c) return;
      const issuer = link.statement.iss;
      if (c.max_path_length !== undefined && k > c.max_path_length)
        throw new TrustError('no_path', `${issuer} allows ${c.max_path_length} intermediates below it, the chain has ${k}`);
      const below = [subjectId, ...links.slice(0, k).map((l) => l.statement.iss)];
      for (const entity of below) {
        const host = new URL(entity).hostname.toLowerCase();
        const { permitted, excluded } = c.naming_constraints ?? {};
        if (permitted && !permitted.some((name) => hostMatches(host, name)))
          throw new TrustError('policy', `${entity} is outside the names ${issuer} permits (${permitted.join(', ')})`);
        const hit = excluded?.find((name) => hostMatches(host, name));
        if (hit) throw new TrustError('policy', `${entity} is within the names ${issuer} excludes (${hit})`);
      }
      if (c.allowed_entity_types && entityType !== 'federation_entity' && !c.allowed_entity_types.includes(entityType))
        throw new TrustError('policy', `${issuer} does not allow ${entityType} below it`);
    });
  }

  async function checkTrustMarks(subject: EntityStatement, entityType: string, anchor: EntityStatement): Promise<TrustMark[]> {
    const marks: TrustMark[] = [];
    for (const type of options.requiredTrustMarks?.[entityType] ?? []) {
      const entry = (subject.trust_marks ?? []).find((m) => (m.trust_mark_type ?? m.id) === type);
      if (!entry) throw new TrustError('trust_mark', `${subject.sub} carries no trust mark ${type}`);
      const issuer = trustMarkIssuer(entry.trust_mark);
      const allowed = issuer === anchor.sub || (anchor.trust_mark_issuers?.[type] ?? []).includes(issuer);
      if (!allowed) throw new TrustError('trust_mark', `${issuer} may not issue the trust mark ${type} in ${anchor.sub}`);
      // An issuer the anchor allows is trusted for its marks by that: its own chain gives its keys, not its marks.
      const keys = issuer === anchor.sub ? anchor.jwks : (await cached(issuer, 'federation_entity', false)).jwks;
      marks.push(await verifyTrustMark(entry.trust_mark, keys, { sub: subject.sub, type, now: now() }));
    }
    return marks;
  }

  async function resolveUncached(subjectId: string, entityType: string, withTrustMarks: boolean): Promise<TrustChain> {
    const budget = budgetOf();
    const subject = await configuration(subjectId, budget);
    const path = await pathUp(subject, 0, new Set([subjectId]), budget);
    checkConstraints(subjectId, path.links, entityType);
    const first = path.links[0];
    if (!first) throw new TrustError('no_path', `${subjectId}: empty chain`);
    const own = subject.statement.metadata?.[entityType];
    if (!own && entityType !== 'federation_entity') throw new TrustError('entity_type', `${subjectId} states no ${entityType} metadata`);
    const stated = { ...own, ...first.statement.metadata?.[entityType] };
    const crit = path.links.flatMap((l) => l.statement.metadata_policy_crit ?? []);
    const policies: (TypePolicy | undefined)[] = path.links.map((l) => l.statement.metadata_policy?.[entityType]).reverse();
    const metadata = applyPolicy(stated, mergePolicies(policies, crit));
    const trustMarks = withTrustMarks ? await checkTrustMarks(subject.statement, entityType, path.anchor.configuration) : [];
    const exps = [
      subject.statement.exp,
      path.anchor.configuration.exp,
      ...path.links.map((l) => l.statement.exp),
      ...trustMarks.flatMap((m) => (m.exp ? [m.exp] : [])),
    ];
    return {
      subject: subjectId,
      entityType,
      anchor: path.anchor.configuration.sub,
      path: [subjectId, ...path.links.map((l) => l.statement.iss)],
      jwks: first.statement.jwks,
      metadata,
      trustMarks,
      exp: Math.min(...exps),
      statements: [subject.jwt, ...path.links.map((l) => l.jwt), path.anchor.jwt],
    };
  }

  /** A chain from the cache while none of its statements has expired; a failure is kept `failureTtlSeconds`. */
  function cached(subjectId: string, entityType: string, withTrustMarks: boolean): Promise<TrustChain> {
    const key = `${entityType} ${withTrustMarks ? 'marked' : 'unmarked'} ${subjectId}`;
    const hit = cache.get(key);
    if (hit && now() < hit.until) return hit.chain;
    const chain = resolveUncached(subjectId, entityType, withTrustMarks);
    const entry = { chain, until: Number.POSITIVE_INFINITY };
    cache.set(key, entry);
    chain.then(
      (c) => (entry.until = Math.max(c.exp, now() + MIN_CACHE_SECONDS)),
      () => (entry.until = now() + (options.failureTtlSeconds ?? 60)),
    );
    return chain;
  }

  return {
    /** The subject's chain, with the trust marks its type requires, cached until its `exp`. Throws a TrustError. */
    resolve: (subjectId: string, entityType: string): Promise<TrustChain> => cached(subjectId, entityType, true),
    /** An entity's chain as a federation entity (an intermediate), without trust marks: to trust what its configuration states, such as its list endpoint. */
    resolveAuthority: (entityId: string): Promise<TrustChain> => cached(entityId, 'federation_entity', false),
    /** An entity's configuration, checked with its own keys (an anchor's with its pinned keys): not a chain. */
    configuration: (entityId: string) => configuration(entityId),
    /** Forgets every cached chain and remembered failure (after a change of configuration). */
    clear: () => {
      cache.clear();
      failedAuthorities.clear();
    },
  };
}

export type TrustResolver = ReturnType<typeof createTrustResolver>;

/** A host name against a DNS name constraint (RFC 5280, 4.2.1.10): `.example.it` is any host below example.it; `example.it` is that host only. */
function hostMatches(host: string, constraint: string): boolean {
  const name = constraint.toLowerCase();
  return name.startsWith('.') ? host.endsWith(name) && host.length > name.length : host === name;
}
