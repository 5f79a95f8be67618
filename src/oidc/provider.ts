import type { ParameterizedContext } from 'koa';
import { type AdapterPayload, type Configuration, interactionPolicy, type KoaContextWithOIDC, Provider } from 'oidc-provider';
import { audit, type AuditContext } from '../audit/events.js';
import { clientMetadata } from '../clients/clients.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { Level } from '../db/schema.js';
import type { SecretBox } from '../security/secret-box.js';
import { levelAtLeast, SESSION_COOKIE } from '../ui/guard.js';
import type { SessionStore } from '../sessions/store.js';
import { payloadAdapter } from './adapter.js';
import { ACR, SCOPE_CLAIMS } from './claims.js';
import { signingKeys } from './keys.js';

export { ACR, SCOPE_CLAIMS } from './claims.js';
import { logoutPage, oidcErrorPage, postLogoutPage } from './views.js';
import type { PageContext } from '../ui/layout.js';
import { LANG_COOKIE, pageContextFor } from '../ui/page-context.js';
import { contentSecurityPolicy, originsOf, withFormAction } from '../security/headers.js';

export const ISSUER_PATH = '/oidc';
export const INTERACTION_PATH = '/autorizza';

/** The level a request asks: the client's minimum, raised when the lowest `acr_values` it names is dispositivo. */
export function requiredLevel(minLevel: unknown, acrValues: unknown): 'ordinario' | 'dispositivo' {
  const asked = typeof acrValues === 'string' ? acrValues.split(' ') : [];
  const onlyDispositivo = asked.includes(ACR.dispositivo) && !asked.includes(ACR.ordinario);
  return minLevel === 'dispositivo' || onlyDispositivo ? 'dispositivo' : 'ordinario';
}

/** Citizen ids are UUIDs: anything else is not looked up. */
const UUID = /^[0-9a-f-]{36}$/;

/** The codice fiscale of each account the provider found during a request, for that request's audit record. */
const citizensOfRequest = new WeakMap<KoaContextWithOIDC, Map<string, string>>();

export function acrOf(level: Level): string | undefined {
  return level === 'semplificato' ? undefined : ACR[level];
}

export interface OidcDeps {
  config: Config;
  db: Db;
  box: SecretBox;
  sessions: SessionStore;
}

/**
 * Varco as OpenID Provider (issue 7) on `oidc-provider`: authorization code with PKCE S256,
 * client_secret_basic and private_key_jwt, signed request objects, client credentials for the
 * API's machine clients, RP-initiated logout. Its storage is the project's database; its
 * interaction pages (login, consent) are the portal's own, under /autorizza.
 */
export async function createOidcProvider(deps: OidcDeps): Promise<Provider> {
  const { config, db, box, sessions } = deps;
  // The live key signs; keys retired in the last day are still published for verification.
  const keys = await signingKeys(db, box, 'op');
  const secure = config.publicUrl.startsWith('https://');
  const policy = interactionPolicy.base();
  // The provider's own session follows the portal's: ended, changed citizen or a level that
  // moved (logout, step-up, another login) all ask the portal again.
  const login = policy.get('login');
  if (!login) throw new Error("oidc-provider's base policy has no login prompt");
  login.checks.add(
    new interactionPolicy.Check('portal_session', 'the portal session ended or changed', 'login_required', async (ctx) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const loaded = await sessions.load(ctx.cookies.get(SESSION_COOKIE, { signed: false }));
      if (loaded.status !== 'ok' || loaded.session.citizenId !== oidc.session.accountId || loaded.session.mustChangePin)
        return interactionPolicy.Check.REQUEST_PROMPT;
      const need = requiredLevel(oidc.client?.['varco_min_level'], oidc.params?.acr_values);
      if (!levelAtLeast(loaded.session.level, need) || oidc.session.acr !== acrOf(loaded.session.level)) return interactionPolicy.Check.REQUEST_PROMPT;
      return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );

  const configuration: Configuration = {
    adapter: (name: string) => (name === 'Client' ? clientAdapter(db, box) : payloadAdapter(db, name)),
    clients: [],
    jwks: { keys },
    findAccount: async (ctx, sub) => {
      if (!UUID.test(sub)) return undefined;
      const c = await db
        .selectFrom('citizens')
        .select(['codice_fiscale', 'nome', 'cognome', 'data_nascita', 'email', 'cellulare'])
        .where('id', '=', sub)
        .executeTakeFirst();
      if (!c) return undefined;
      // Kept for the audit record of this request (no second read of the citizen).
      const known = citizensOfRequest.get(ctx) ?? new Map<string, string>();
      known.set(sub, c.codice_fiscale);
      citizensOfRequest.set(ctx, known);
      return {
        accountId: sub,
        claims: () => ({
          sub,
          fiscal_number: `TINIT-${c.codice_fiscale}`,
          given_name: c.nome,
          family_name: c.cognome,
          birthdate: String(c.data_nascita).slice(0, 10),
          ...(c.email ? { email: c.email } : {}),
          ...(c.cellulare ? { phone_number: c.cellulare } : {}),
        }),
      };
    },
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
    },
    scopes: ['openid', 'profile', 'email', 'phone', 'certificati:write'],
    acrValues: [ACR.ordinario, ACR.dispositivo],
    // The consented claims go in the ID token itself, not only behind the userinfo endpoint.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt'],
    pkce: { methods: ['S256'], required: () => true },
    extraClientMetadata: { properties: ['varco_min_level'] },
    clientBasedCORS: () => false,
    cookies: {
      keys: [box.fingerprint('oidc-provider-cookies')],
      names: { session: 'varco_oidc', interaction: 'varco_oidc_interaction', resume: 'varco_oidc_resume' },
      long: { httpOnly: true, sameSite: 'lax', secure },
      short: { httpOnly: true, sameSite: 'lax', secure },
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`, policy },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Signed request objects by value (the request parameter); request_uri is not accepted.
      requestObjects: { request: true, requestUri: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(pageContextOf(ctx, config), form);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = postLogoutPage(pageContextOf(ctx, config));
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = oidcErrorPage(pageContextOf(ctx, config), out.error_description ?? out.error);
    },
    // Short lives: a code is exchanged at once; tokens outlive neither the portal's idle timeout
    // nor its 12-hour lifetime.
    ttl: { AuthorizationCode: 60, AccessToken: 600, ClientCredentials: 600, IdToken: 600, Interaction: 1800, Session: 12 * 3600, Grant: 12 * 3600 },
  };

  const provider = new Provider(`${config.publicUrl}${ISSUER_PATH}`, configuration);
  // The mount sets the forwarded headers itself from the public address (see asPublic).
  provider.proxy = true;
  provider.use(securityHeadersMiddleware());
  provider.use(auditMiddleware(deps));
  return provider;
}

/**
 * The portal's policy on every answer of the provider (set before the provider writes, so its
 * form_post page adds its script's hash to it). Two pages post a form that ends at a relying
 * party: the logout confirmation (→ a registered post_logout_redirect_uri) and the form_post
 * answer (→ the redirect_uri): their form-action names the origins registered for the client
 * the provider resolved, and nothing else.
 */
function securityHeadersMiddleware() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    ctx.set('content-security-policy', contentSecurityPolicy());
    await next();
    const origins = relyingPartyFormTargets(ctx);
    if (origins.length)
      ctx.set('content-security-policy', withFormAction(String(ctx.response.get('content-security-policy') || contentSecurityPolicy()), origins));
  };
}

function relyingPartyFormTargets(ctx: KoaContextWithOIDC): string[] {
  if (!ctx.response.is('html')) return [];
  const client = ctx.oidc?.client;
  if (!client) return [];
  const route = ctx.oidc.route;
  if (route === 'end_session') return originsOf(client.postLogoutRedirectUris ?? []);
  if ((route === 'authorization' || route === 'resume') && Reflect.get(ctx.oidc, 'responseMode') === 'form_post') return originsOf(client.redirectUris ?? []);
  return [];
}

/** Clients come from the one registry (`clients` table): the provider only reads them. */
function clientAdapter(db: Db, box: SecretBox) {
  const refuse = async () => {
    throw new Error('clients are registered with varco client add');
  };
  return {
    find: async (id: string): Promise<AdapterPayload | undefined> => clientMetadata(db, box, id),
    upsert: refuse,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: refuse,
    destroy: refuse,
    revokeByGrantId: async () => undefined,
  };
}

/**
 * Every token issued, every code handed out and every refusal at the token endpoint goes to
 * the audit trail; an RP-initiated logout the citizen confirmed ends the portal session too.
 */
function auditMiddleware(deps: OidcDeps) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const route = ctx.oidc?.route;
    if (!route) return;
    const client = ctx.oidc.client?.clientId ?? null;
    const who = (actor: string): AuditContext => ({ actor, ip: ctx.ip, channel: 'oidc', userAgent: ctx.get('user-agent') || null });
    if (route === 'token') {
      const params = ctx.oidc.params;
      const grantType = word(params?.grant_type);
      if (ctx.status === 200) {
        const code = ctx.oidc.entities.AuthorizationCode;
        const cf = code?.accountId ? await cfOf(deps.db, code.accountId, ctx) : null;
        await audit.oidcTokenIssued(deps.db, who(client ? `client:${client}` : 'anonymous'), cf, {
          clientId: client,
          grantType,
          scope: String(fieldOf(ctx.body, 'scope') ?? ''),
        });
      } else {
        await audit.oidcTokenRefused(deps.db, who(client ? `client:${client}` : 'anonymous'), {
          clientId: client,
          grantType,
          error: word(fieldOf(ctx.body, 'error') ?? ctx.status),
        });
      }
    } else if ((route === 'authorization' || route === 'resume') && ctx.status === 303 && /[?&#]code=/.test(String(ctx.response.get('location')))) {
      const accountId = ctx.oidc.session?.accountId;
      const cf = accountId ? await cfOf(deps.db, accountId, ctx) : null;
      await audit.oidcCodeIssued(deps.db, who(cf ? `citizen:${cf}` : 'anonymous'), cf, { clientId: client, acr: ctx.oidc.session?.acr ?? null });
    } else if (route === 'end_session_confirm' && ctx.status === 303 && ctx.oidc.params?.logout) {
      const loaded = await deps.sessions.load(ctx.cookies.get(SESSION_COOKIE, { signed: false }));
      if (loaded.status === 'ok') {
        await deps.sessions.end(loaded.session.idHash, 'rp_logout');
        await audit.sessionEnded(deps.db, who(`citizen:${loaded.citizen.codiceFiscale}`), loaded.citizen.codiceFiscale, 'rp_logout');
      }
      ctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: false });
    }
  };
}

/** One field of a JSON answer of the provider (its body is whatever it wrote). */
function fieldOf(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' && Object.hasOwn(body, name) ? Reflect.get(body, name) : undefined;
}

/** A protocol word for the audit trail (grant type, error code); anything else is recorded as such. */
function word(value: unknown): string {
  const v = String(value ?? '');
  return /^[\w:.-]{0,100}$/.test(v) ? v : '(invalid)';
}

async function cfOf(db: Db, citizenId: string, ctx: KoaContextWithOIDC): Promise<string | null> {
  const known = citizensOfRequest.get(ctx)?.get(citizenId);
  if (known) return known;
  if (!UUID.test(citizenId)) return null;
  const row = await db.selectFrom('citizens').select('codice_fiscale').where('id', '=', citizenId).executeTakeFirst();
  return row?.codice_fiscale ?? null;
}

/** A page context for the pages the provider renders itself (logout, errors), in the citizen's language. */
function pageContextOf(ctx: ParameterizedContext, config: Config): PageContext {
  return pageContextFor(config, {
    langCookie: ctx.cookies.get(LANG_COOKIE, { signed: false }),
    acceptLanguage: ctx.get('accept-language'),
    path: ctx.path,
    csrfToken: () => '',
  });
}
