import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_ACR, type IdentityProvider } from '../config/identity-providers.js';
import type { Config } from '../config/config.js';
import type { TrustAnchorConfig } from '../config/trust-anchors.js';
import { createTrustResolver, type TrustChain } from './trust/chain.js';
import { configurationUrl, federationGet } from './trust/fetch.js';
import { peek, TrustError } from './trust/statements.js';

/** The SPID and CIE levels Varco accepts (R17: level 2 or higher), in the notations the federations use. */
const LEVEL_2_OR_MORE = ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3', 'CIE_L2', 'CIE_L3'];

/** A provider of the SPID or CIE entrance, as the login page lists it and the relying party talks to it. */
export interface ProviderEntry {
  /** Short id, in URLs (`/accedi/spid/<id>`) and the audit trail. */
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
}

/** How many entities a discovery reads at most, across the anchors' and intermediates' lists. */
const MAX_ENTITIES = 200;
const listSchema = z.array(z.string().url().max(500)).max(MAX_ENTITIES);

/**
 * The SPID and CIE providers Varco offers (issue 15): those of the configured trust anchors whose
 * trust chain resolves (discovered from the anchors' list endpoints, down through intermediates,
 * or named in VARCO_TRUST_ANCHORS), beside the pinned development providers. The list is read
 * again every `refreshSeconds`; a provider is resolved again on every login (from the chain
 * cache, until its exp), so one whose chain fails since it was listed is refused.
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
      now,
      fetchTimeoutMs: o.fetchTimeoutMs,
    }),
  }));
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
  let listed: { at: number; entries: Promise<ProviderEntry[]> } | undefined;
  let last: ProviderEntry[] = [];
  /** The federation each listed provider was found in: its chain is resolved there again. */
  const origin = new Map<string, (typeof federations)[number]>();

  /** The entity ids below an anchor that may be providers: its list, and its intermediates' lists (breadth first). */
  async function candidates(f: (typeof federations)[number]): Promise<string[]> {
    if (f.anchor.providers) return f.anchor.providers;
    const anchorConfig = await f.resolver.configuration(f.anchor.entityId);
    const found: string[] = [];
    const seen = new Set<string>([f.anchor.entityId]);
    let level: { list: unknown }[] = [{ list: anchorConfig.statement.metadata?.federation_entity?.federation_list_endpoint }];
    for (let depth = 0; depth < 3 && level.length && seen.size < MAX_ENTITIES; depth++) {
      const next: { list: unknown }[] = [];
      for (const { list } of level) {
        if (typeof list !== 'string') continue;
        const ids = listSchema.safeParse(
          JSON.parse(await federationGet(list, { accept: 'application/json', allowHttp: f.anchor.allowHttp, timeoutMs: o.fetchTimeoutMs })),
        );
        if (!ids.success) throw new TrustError('malformed', `${list}: not a list of entity ids`);
        for (const id of ids.data) {
          if (seen.has(id) || seen.size >= MAX_ENTITIES) continue;
          seen.add(id);
          // Unverified, only to see what the entity is: its chain, if it is a provider, is what is trusted.
          const jwt = await federationGet(configurationUrl(id), {
            accept: 'application/entity-statement+jwt',
            allowHttp: f.anchor.allowHttp,
            timeoutMs: o.fetchTimeoutMs,
          }).catch(() => undefined);
          const stated = jwt ? safePeek(jwt) : undefined;
          if (stated?.metadata?.openid_provider) found.push(id);
          if (stated?.metadata?.federation_entity?.federation_list_endpoint) next.push({ list: stated.metadata.federation_entity.federation_list_endpoint });
        }
      }
      level = next;
    }
    return found;
  }

  /** One provider from its chain, or why not. */
  async function entryOf(f: (typeof federations)[number], entityId: string): Promise<ProviderEntry> {
    const chain = await f.resolver.resolve(entityId, 'openid_provider');
    return entryFromChain(f.anchor, chain, o.clientId);
  }

  async function discover(): Promise<ProviderEntry[]> {
    const entries: ProviderEntry[] = [...pinned];
    const ids = new Set(entries.map((e) => e.id));
    for (const f of federations) {
      let found: string[];
      try {
        found = await candidates(f);
      } catch (error) {
        o.log?.warn({ anchor: f.anchor.entityId, err: messageOf(error) }, 'federation list unreadable');
        continue;
      }
      for (const entityId of found) {
        try {
          const entry = await entryOf(f, entityId);
          if (ids.has(entry.id)) entry.id = uniqueId(entry.id, entityId);
          ids.add(entry.id);
          entries.push(entry);
          origin.set(entry.issuer, f);
        } catch (error) {
          // Not listed: its chain does not resolve now (the log says why; a login attempt is audited).
          o.log?.warn(
            { provider: entityId, reason: error instanceof TrustError ? error.reason : 'error', err: messageOf(error) },
            'provider refused: trust chain',
          );
        }
      }
    }
    last = entries;
    return entries;
  }

  function entries(): Promise<ProviderEntry[]> {
    if (!listed || now() - listed.at >= refreshSeconds) {
      const previous = listed;
      const fresh = { at: now(), entries: discover() };
      listed = fresh;
      // While a new list is read, an old one answers (a slow anchor does not hold the login page).
      if (previous) return previous.entries.catch(() => last);
    }
    return listed.entries;
  }

  return {
    /** Every provider to offer now. */
    entries,
    async find(id: string): Promise<ProviderEntry | undefined> {
      return (await entries()).find((e) => e.id === id);
    },
    /**
     * The provider's chain now (from the cache until it expires): a federation's provider whose
     * chain no longer resolves is refused with the reason (a TrustError). Pinned providers have none.
     */
    async chainOf(entry: ProviderEntry): Promise<TrustChain | undefined> {
      if (entry.source === 'pinned') return undefined;
      const f = origin.get(entry.issuer);
      if (!f) throw new TrustError('no_path', `no trust anchor lists ${entry.issuer}`);
      return f.resolver.resolve(entry.issuer, 'openid_provider');
    },
    /** Forgets the list and the chains (after a configuration change; the tests). */
    clear() {
      listed = undefined;
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
    directory = createProviderDirectory({ anchors: config.trustAnchors, pinned: config.identityProviders, clientId: config.publicUrl, log });
    directories.set(config, directory);
  }
  return directory;
}

function entryFromChain(anchor: TrustAnchorConfig, chain: TrustChain, clientId: string): ProviderEntry {
  const m = chain.metadata;
  // The provider's issuer is its entity id: metadata naming another issuer is someone else's.
  if (m.issuer !== chain.subject) throw new TrustError('metadata', `${chain.subject} states the issuer ${String(m.issuer)}`);
  for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint'])
    if (typeof m[endpoint] !== 'string') throw new TrustError('metadata', `${chain.subject} states no ${endpoint}`);
  const supported = Array.isArray(m.acr_values_supported) ? m.acr_values_supported.filter((a): a is string => typeof a === 'string') : undefined;
  const acrValues = supported ? LEVEL_2_OR_MORE.filter((a) => supported.includes(a)) : DEFAULT_ACR[anchor.kind];
  if (acrValues.length === 0) throw new TrustError('metadata', `${chain.subject} offers no login of level 2 or higher`);
  const text = (v: unknown) => (typeof v === 'string' && v.trim().length > 0 && v.length <= 80 ? v.trim() : undefined);
  const logo = typeof m.logo_uri === 'string' && /^https:\/\/\S+$/.test(m.logo_uri) && m.logo_uri.length <= 500 ? m.logo_uri : undefined;
  return {
    id: slugOf(chain.subject),
    kind: anchor.kind,
    name: text(m.organization_name) ?? text(m.client_name) ?? new URL(chain.subject).hostname,
    ...(logo ? { logo } : {}),
    issuer: chain.subject,
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

function safePeek(jwt: string) {
  try {
    return peek(jwt);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
