import { createHash } from 'node:crypto';
import { DEFAULT_ACR, type IdentityProvider } from '../config/identity-providers.js';
import type { Config } from '../config/config.js';
import type { TrustAnchorConfig } from '../config/trust-anchors.js';
import { createTrustResolver, type TrustChain } from './trust/chain.js';
import { federationGet } from './trust/fetch.js';
import { entityIdSchema, TrustError } from './trust/statements.js';

/** The SPID and CIE levels Varco accepts (R17: level 2 or higher), in the notations the federations use. */
const LEVEL_2_OR_MORE = ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3', 'CIE_L2', 'CIE_L3'];

/** A provider of the SPID or CIE entrance, as the login page lists it and the relying party talks to it. */
export interface ProviderEntry {
  /** Short id, in URLs (`/accedi/spid/<id>`); what a login stores and the audit trail name is the issuer. */
  id: string;
  kind: 'spid' | 'cie';
  name: string;
  logo?: string;
  /** Its issuer, which for a federation's provider is its entity id. */
  issuer: string;
  clientId: string;
  /** acr values asked and accepted: level 2 or higher only. */
  acrValues: string[];
  /** Plain http to a loopback provider (development and tests only). */
  allowHttp: boolean;
  /** For a federation's provider: the trust anchor whose chain it was listed by (its chain is resolved there again). */
  anchor?: string;
  /** 'federation': its metadata and keys come from a trust chain, resolved again when it expires; 'pinned': from VARCO_FEDERATION_FILE (development). */
  source: 'federation' | 'pinned';
  /** For a pinned provider: its keys, if the file pins them. */
  jwks?: IdentityProvider['jwks'];
}

export interface DirectoryOptions {
  anchors: readonly TrustAnchorConfig[];
  pinned: readonly IdentityProvider[];
  /** Varco's client id at the providers (its entity id). */
  clientId: string;
  log?: { warn(o: object, msg: string): void };
  /** Seconds the list of providers is kept before it is read again (the chains themselves live until their exp). */
  refreshSeconds?: number;
  now?: () => number;
  fetchTimeoutMs?: number;
  /** Internal addresses (loopback, private networks) reachable: development and tests only (production refuses them). */
  allowInternal?: boolean;
  /** Milliseconds one anchor's discovery may take at most (default 60,000): what it found by then is offered. */
  discoveryMs?: number;
}

/** How many entities one anchor's discovery considers at most, across its and its intermediates' lists. */
const MAX_ENTITIES = 500;
/** How many requests (chain resolutions, lists) one discovery runs at once. */
const PARALLEL = 4;

/** What one anchor's discovery found: its providers, kept until a later discovery of that anchor succeeds. */
interface Found {
  entries: ProviderEntry[];
}

/**
 * The SPID and CIE providers Varco offers (issue 15): those of the configured trust anchors whose
 * trust chain resolves (discovered from the anchors' list endpoints, down through intermediates
 * whose own chains resolve, or named in VARCO_TRUST_ANCHORS), beside the pinned development
 * providers. The list is read again every `refreshSeconds`, in the background: `entries()` never
 * waits for a federation (on a cold start it answers with what is known, the pinned providers),
 * and an anchor whose discovery fails keeps its last list. A provider is resolved again on every
 * login (from the chain cache, until its exp) and checked as when it was listed, so one whose
 * chain fails or changes since is refused.
 */
export function createProviderDirectory(o: DirectoryOptions) {
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  const refreshSeconds = o.refreshSeconds ?? 600;
  const federations = o.anchors.map((anchor) => ({
    anchor,
    resolver: createTrustResolver({
      anchors: [{ entityId: anchor.entityId, jwks: { keys: anchor.jwks.keys } }],
      requiredTrustMarks: { openid_provider: anchor.requiredTrustMarks },
      allowHttp: anchor.allowHttp,
      allowInternal: o.allowInternal,
      now,
      fetchTimeoutMs: o.fetchTimeoutMs,
    }),
  }));
  type Federation = (typeof federations)[number];
  const pinned: ProviderEntry[] = o.pinned.map((p) => ({
    id: p.id,
    kind: p.kind,
    name: p.name,
    ...(p.logo ? { logo: p.logo } : {}),
    issuer: p.issuer,
    clientId: p.clientId,
    acrValues: p.acrValues,
    allowHttp: p.allowHttp === true,
    source: 'pinned',
    ...(p.jwks ? { jwks: p.jwks } : {}),
  }));
  /** Per anchor (configured once each), its last successful discovery. */
  const found = new Map<Federation, Found>();
  let current: ProviderEntry[] = withIds(pinned, []);
  let discovering: Promise<ProviderEntry[]> | undefined;
  let discoveredAt: number | undefined;
  /** Whether a discovery has ended since the start (or the last `clear()`): before that, the federations' providers are not known yet. */
  let discoveredOnce = false;

  const getOptions = (f: Federation, accept: string, deadline: number) => ({
    accept,
    allowHttp: f.anchor.allowHttp,
    allowInternal: o.allowInternal,
    timeoutMs: Math.max(1, Math.min(o.fetchTimeoutMs ?? 10_000, deadline - Date.now())),
  });

  /** The entity ids a list endpoint names (with the query given), the malformed ones left out and the rest cut at `room`. */
  async function readList(f: Federation, endpoint: string, query: Record<string, string>, room: number, deadline: number): Promise<string[]> {
    const url = new URL(endpoint);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const raw: unknown = JSON.parse(await federationGet(url.href, getOptions(f, 'application/json', deadline)));
    if (!Array.isArray(raw)) throw new TrustError('malformed', `${url.href}: not a list of entity ids`);
    const ids = raw.filter((id): id is string => entityIdSchema.safeParse(id).success);
    if (ids.length < raw.length) o.log?.warn({ list: url.href, skipped: raw.length - ids.length }, 'federation list: entries that are not entity ids left out');
    if (ids.length > room) o.log?.warn({ list: url.href, kept: room, listed: ids.length }, 'federation list: cut at the discovery limit');
    return ids.slice(0, Math.max(0, room));
  }

  /**
   * One anchor's providers: the OpenID providers its list names and those its intermediates'
   * lists name (two levels below it). An intermediate's list is followed only once its own chain
   * to the anchor resolves (its list endpoint as that chain states it); a list that cannot be
   * read is left out, the others still count. Bounded by MAX_ENTITIES and `discoveryMs`.
   */
  async function discoverAnchor(f: Federation): Promise<ProviderEntry[]> {
    const deadline = Date.now() + (o.discoveryMs ?? 60_000);
    const providerIds = new Set<string>();
    if (f.anchor.providers) f.anchor.providers.forEach((id) => providerIds.add(id));
    else {
      const anchorConfig = await f.resolver.configuration(f.anchor.entityId);
      const seen = new Set<string>([f.anchor.entityId]);
      let lists = [anchorConfig.statement.metadata?.federation_entity?.federation_list_endpoint];
      for (let depth = 0; depth < 3 && lists.length && Date.now() < deadline; depth++) {
        const intermediates: string[] = [];
        await inParallel(lists, async (list) => {
          if (typeof list !== 'string') return;
          const room = () => MAX_ENTITIES - seen.size;
          const read = (query: Record<string, string>) =>
            readList(f, list, query, room(), deadline).catch((error: unknown) => {
              o.log?.warn({ anchor: f.anchor.entityId, list, err: messageOf(error) }, 'federation list unreadable');
              return [];
            });
          const fresh = (ids: string[]) => ids.filter((id) => !seen.has(id) && seen.size < MAX_ENTITIES && seen.add(id));
          fresh(await read({ entity_type: 'openid_provider' })).forEach((id) => providerIds.add(id));
          if (depth < 2) intermediates.push(...fresh(await read({ intermediate: 'true' })));
        });
        // An intermediate counts once its chain resolves: the list endpoint is the one that chain states.
        const next: unknown[] = [];
        await inParallel(intermediates, async (id) => {
          if (Date.now() >= deadline) return;
          try {
            next.push((await f.resolver.resolveAuthority(id)).metadata.federation_list_endpoint);
          } catch (error) {
            o.log?.warn({ intermediate: id, reason: reasonOf(error), err: messageOf(error) }, 'federation intermediate refused: trust chain');
          }
        });
        lists = next;
      }
    }
    const entries: ProviderEntry[] = [];
    await inParallel([...providerIds], async (entityId) => {
      if (Date.now() >= deadline) return;
      try {
        entries.push(entryFromChain(f.anchor, await f.resolver.resolve(entityId, 'openid_provider'), o.clientId));
      } catch (error) {
        // An entity that is no provider (a list that ignores entity_type) is no news; a provider refused is (a login attempt is audited).
        if (reasonOf(error) !== 'entity_type')
          o.log?.warn({ provider: entityId, reason: reasonOf(error), err: messageOf(error) }, 'provider refused: trust chain');
      }
    });
    if (Date.now() >= deadline)
      o.log?.warn({ anchor: f.anchor.entityId, found: entries.length }, 'federation discovery: time budget spent, the providers found so far are offered');
    return entries.sort((a, b) => a.issuer.localeCompare(b.issuer));
  }

  async function discover(): Promise<ProviderEntry[]> {
    await Promise.all(
      federations.map(async (f) => {
        try {
          found.set(f, { entries: await discoverAnchor(f) });
        } catch (error) {
          // The anchor's last list stays: a federation briefly unreachable does not empty the login page.
          o.log?.warn({ anchor: f.anchor.entityId, err: messageOf(error) }, 'federation list unreadable');
        }
      }),
    );
    current = withIds(
      pinned,
      federations.flatMap((f) => found.get(f)?.entries ?? []),
    );
    discoveredOnce = true;
    return current;
  }

  /** Starts a discovery when the list is older than `refreshSeconds` (one at a time); the list now, without waiting for it. */
  function refresh(): Promise<ProviderEntry[]> | undefined {
    if (!federations.length) return undefined;
    if (!discovering && (discoveredAt === undefined || now() - discoveredAt >= refreshSeconds)) {
      discoveredAt = now();
      discovering = discover().finally(() => (discovering = undefined));
    }
    return discovering;
  }

  return {
    /** Every provider to offer now; never waits for a federation (a discovery due is started in the background). */
    async entries(): Promise<ProviderEntry[]> {
      void refresh()?.catch(() => undefined);
      return current;
    },
    /** True until the first discovery of the federations ends: the login page says the list is being read, not that SPID is off. */
    loading(): boolean {
      return federations.length > 0 && !discoveredOnce;
    },
    /** The list once the discovery under way (if any) is done: for the start of the portal and the tests. */
    async ready(): Promise<ProviderEntry[]> {
      await refresh();
      return current;
    },
    /** A provider by its id; while a discovery is under way an id not known yet is looked up in what it finds. */
    async find(id: string): Promise<ProviderEntry | undefined> {
      const known = current.find((e) => e.id === id);
      if (known) return known;
      await refresh();
      return current.find((e) => e.id === id);
    },
    /** A provider by what a login stored (its kind and issuer): ids may change between two discoveries, issuers do not. */
    async findByIssuer(kind: ProviderEntry['kind'], issuer: string): Promise<ProviderEntry | undefined> {
      return current.find((e) => e.kind === kind && e.issuer === issuer);
    },
    /**
     * The provider's chain now (from the cache until it expires), checked as when it was listed: a
     * federation's provider whose chain no longer resolves, or whose metadata no longer holds, is
     * refused with the reason (a TrustError). Pinned providers have none.
     */
    async chainOf(entry: ProviderEntry): Promise<TrustChain | undefined> {
      if (entry.source === 'pinned') return undefined;
      const f = federations.find((x) => x.anchor.entityId === entry.anchor && x.anchor.kind === entry.kind);
      if (!f) throw new TrustError('no_path', `no trust anchor lists ${entry.issuer}`);
      const chain = await f.resolver.resolve(entry.issuer, 'openid_provider');
      entryFromChain(f.anchor, chain, o.clientId);
      return chain;
    },
    /** Forgets the list and the chains (after a configuration change; the tests). */
    clear() {
      found.clear();
      current = withIds(pinned, []);
      discoveredAt = undefined;
      discoveredOnce = false;
      for (const f of federations) f.resolver.clear();
    },
  };
}

export type ProviderDirectory = ReturnType<typeof createProviderDirectory>;

const directories = new WeakMap<Config, ProviderDirectory>();

/**
 * The portal's one directory (per configuration): the SPID/CIE routes and the login page's
 * buttons read the same list, and the chains are resolved once per process.
 */
export function providerDirectoryFor(config: Config, log?: DirectoryOptions['log']): ProviderDirectory {
  let directory = directories.get(config);
  if (!directory) {
    directory = createProviderDirectory({
      anchors: config.trustAnchors,
      pinned: config.identityProviders,
      clientId: config.publicUrl,
      log,
      allowInternal: config.mode !== 'production',
    });
    directories.set(config, directory);
  }
  return directory;
}

/**
 * The ids of the providers, whatever order the lists gave them in: a federation's provider has
 * the id of its entity id (slugOf); two that would share one (`id.poste.it`, `id-poste.it`), or
 * one that would take a pinned provider's, both get a digest of kind and issuer added.
 */
function withIds(pinned: readonly ProviderEntry[], federated: readonly ProviderEntry[]): ProviderEntry[] {
  const count = new Map<string, number>();
  for (const e of [...pinned, ...federated.map((f) => ({ ...f, id: slugOf(f.issuer) }))]) count.set(e.id, (count.get(e.id) ?? 0) + 1);
  return [
    ...pinned,
    ...federated.map((e) => {
      const slug = slugOf(e.issuer);
      return { ...e, id: (count.get(slug) ?? 0) > 1 ? uniqueId(slug, `${e.kind} ${e.issuer}`) : slug };
    }),
  ];
}

/** Runs `task` over `items`, PARALLEL at a time. */
async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  // One iterator shared by the workers: each item is taken once.
  const queue = items.values();
  const worker = async () => {
    for (const item of queue) await task(item);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

function entryFromChain(anchor: TrustAnchorConfig, chain: TrustChain, clientId: string): ProviderEntry {
  const m = chain.metadata;
  // The provider's issuer is its entity id: metadata naming another issuer is someone else's.
  if (m.issuer !== chain.subject) throw new TrustError('metadata', `${chain.subject} states the issuer ${String(m.issuer)}`);
  for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint'])
    if (typeof m[endpoint] !== 'string') throw new TrustError('metadata', `${chain.subject} states no ${endpoint}`);
  if (typeof m.jwks !== 'object' && typeof m.signed_jwks_uri !== 'string' && typeof m.jwks_uri !== 'string')
    throw new TrustError('metadata', `${chain.subject} states no keys for its ID tokens (jwks, signed_jwks_uri or jwks_uri)`);
  const supported = Array.isArray(m.acr_values_supported) ? m.acr_values_supported.filter((a): a is string => typeof a === 'string') : undefined;
  const acrValues = supported ? LEVEL_2_OR_MORE.filter((a) => supported.includes(a)) : DEFAULT_ACR[anchor.kind];
  if (acrValues.length === 0) throw new TrustError('metadata', `${chain.subject} offers no login of level 2 or higher`);
  // The button shows the name the chain states (its logo_uri is not shown: the portal's CSP takes images from the portal only).
  const text = (v: unknown) => (typeof v === 'string' && v.trim().length > 0 && v.length <= 80 ? printable(v.trim()) : undefined);
  return {
    id: slugOf(chain.subject),
    kind: anchor.kind,
    name: text(m.organization_name) ?? text(m.client_name) ?? new URL(chain.subject).hostname,
    issuer: chain.subject,
    anchor: anchor.entityId,
    clientId,
    acrValues,
    allowHttp: anchor.allowHttp,
    source: 'federation',
  };
}

/** A readable id from an entity id (`https://id.example.it/oidc` → `id-example-it-oidc`), as the routes accept it. */
export function slugOf(entityId: string): string {
  const url = new URL(entityId);
  const slug = `${url.hostname}${url.port ? `-${url.port}` : ''}${url.pathname}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return slug.length >= 2 && slug.length <= 41 ? slug : uniqueId(slug.slice(0, 32).replace(/[^a-z0-9]+$/, '') || 'op', entityId);
}

function uniqueId(base: string, entityId: string): string {
  return `${base.slice(0, 33)}-${createHash('sha256').update(entityId).digest('hex').slice(0, 7)}`;
}

function reasonOf(error: unknown): string {
  return error instanceof TrustError ? error.reason : 'error';
}

/** Text from a federation for a button: no control characters. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
