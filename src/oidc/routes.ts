import type { ServerResponse } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionResults, Provider } from 'oidc-provider';
import { audit } from '../audit/events.js';
import { levelAtLeast, pinIsDispositivo, SESSION_COOKIE } from '../ui/guard.js';
import { levelAdvice } from '../ui/level-page.js';
import type { AppDeps } from '../ui/deps.js';
import { auditContextOf } from '../ui/audit-context.js';
import { bodyValue, bodyValues, paramValue } from '../ui/route.js';
import { completeSecurityHeaders, contentSecurityPolicy, originsOf } from '../security/headers.js';
import { ACR, INTERACTION_PATH, ISSUER_PATH, requiredLevel, SCOPE_CLAIMS } from './provider.js';
import { consentPage, oidcErrorPage, stepUpPage } from './views.js';

declare module 'http' {
  interface IncomingMessage {
    originalUrl?: string;
  }
}

/**
 * The provider builds its URLs from the request: the host and scheme it sees are always the
 * public address's, and the client's address is the one Fastify established (trusted proxies
 * only), whatever headers the request carried.
 */
export function asPublic(req: FastifyRequest, publicUrl: URL): void {
  const h = req.raw.headers;
  h.host = publicUrl.host;
  h['x-forwarded-host'] = publicUrl.host;
  h['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
  h['x-forwarded-for'] = req.ip;
}

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A query string with control characters (or not decodable) is no request of a relying party. */
function badQuery(url: string): boolean {
  const q = url.indexOf('?');
  if (q < 0) return false;
  try {
    return CONTROL.test(decodeURIComponent(url.slice(q + 1).replace(/\+/g, ' ')));
  } catch {
    return true;
  }
}

/**
 * A hijacked reply skips Fastify's onSend hook: the portal's headers are added to the raw
 * response just before its head is written, whatever path (page, redirect, JSON, error) wrote it.
 */
function withSecurityHeaders(res: ServerResponse, secure: boolean): void {
  res.writeHead = new Proxy(res.writeHead, {
    apply(writeHead, self: ServerResponse, args: Parameters<ServerResponse['writeHead']>) {
      completeSecurityHeaders(self, secure);
      return Reflect.apply(writeHead, self, args);
    },
  });
}

/** The provider's own endpoints, handed the raw request before Fastify reads its body. */
export async function mountProvider(app: FastifyInstance, provider: Provider, deps: AppDeps): Promise<void> {
  const handler = provider.callback();
  const publicUrl = new URL(deps.config.publicUrl);
  const secure = publicUrl.protocol === 'https:';
  // Browser endpoints share the portal's limit per address; the endpoints relying parties'
  // servers call (token, userinfo, revocation) get a hundred times more.
  const pages = deps.rateLimitHook('oidc');
  const servers = deps.rateLimitHook('oidc-server', 100);
  await app.register(
    async (scope) => {
      // Refusals before the provider sees the request, in OAuth's own error format.
      scope.setErrorHandler((error: FastifyError, _req, reply) => {
        const status = error.statusCode === 429 ? 429 : 400;
        return reply
          .code(status)
          .header('cache-control', 'no-store')
          .type('application/json')
          .send({
            error: status === 429 ? 'slow_down' : 'invalid_request',
            error_description: status === 429 ? 'too many requests' : 'control characters in the request',
          });
      });
      scope.addHook('onRequest', async (req, reply) => {
        if (badQuery(req.raw.url ?? '')) throw Object.assign(new Error('control characters in the request'), { statusCode: 400 });
        const browser = /^\/oidc\/(auth|session\/end)(\/|\?|$)/.test(req.raw.url ?? '');
        await (browser ? pages : servers).call(scope, req, reply);
        asPublic(req, publicUrl);
        reply.hijack();
        withSecurityHeaders(reply.raw, secure);
        req.raw.originalUrl = req.raw.url;
        req.raw.url = (req.raw.url ?? '').slice(ISSUER_PATH.length) || '/';
        handler(req.raw, reply.raw);
      });
      const none = async () => undefined;
      scope.all('/', none);
      scope.all('/*', none);
    },
    { prefix: ISSUER_PATH },
  );
}

/**
 * Where a pending request of a relying party ends: the origins of its client's registered
 * redirect URIs (the provider only redirects to one of them). Any other path: none.
 */
export function relyingPartyTargets(provider: Provider): (path: string) => Promise<string[]> {
  return async (path) => {
    const uid = new RegExp(`^${INTERACTION_PATH}/([\\w-]{1,64})$`).exec(path)?.[1];
    if (!uid) return [];
    const interaction = await provider.Interaction.find(uid);
    const clientId = interaction?.params?.client_id;
    return typeof clientId === 'string' ? redirectOrigins(provider, clientId) : [];
  };
}

async function redirectOrigins(provider: Provider, clientId: string): Promise<string[]> {
  const client = await provider.Client.find(clientId);
  return originsOf(client?.redirectUris ?? []);
}

/**
 * The interaction pages of the provider (login and consent), rendered by the portal: the
 * citizen logs in on /accedi as always (PIN, SPID, CIE, CNS) and comes back here; a session
 * below what the relying party asks gets the step-up page; a semplificato session is never
 * handed to a relying party (R6, R18).
 */
export function interactionRoutes(app: FastifyInstance, deps: AppDeps, provider: Provider): void {
  const publicUrl = new URL(deps.config.publicUrl);
  const details = async (req: FastifyRequest, reply: FastifyReply) => {
    const uid = paramValue(req, 'uid');
    asPublic(req, publicUrl);
    try {
      const d = await provider.interactionDetails(req.raw, reply.raw);
      return d.uid === uid ? d : undefined;
    } catch {
      return undefined; // no interaction cookie, or it expired: the relying party must start again
    }
  };
  const expired = (req: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(400)
      .type('text/html')
      .send(oidcErrorPage(req.ctx, req.ctx.t('oidc.error.expired')));
  const finish = async (req: FastifyRequest, reply: FastifyReply, result: InteractionResults, merge: boolean) => {
    const url = await provider.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: merge });
    return reply.header('cache-control', 'no-store').redirect(url, 303);
  };

  app.get(`${INTERACTION_PATH}/:uid`, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const d = await details(req, reply);
    if (!d) return expired(req, reply);
    const client = await provider.Client.find(String(d.params.client_id));
    if (!client) return expired(req, reply);
    const clientName = String(client.clientName ?? client.clientId);
    // Consent, step-up cancel, and the login that follows: their forms end at the relying party.
    reply.header('content-security-policy', contentSecurityPolicy({ formAction: client.redirectUris ?? [] }));
    const need = requiredLevel(client['varco_min_level'], d.params.acr_values);
    const loaded = await deps.sessions.load(req.cookies[SESSION_COOKIE]);
    const back = `/accedi?ritorno=${encodeURIComponent(`${INTERACTION_PATH}/${d.uid}`)}`;
    if (loaded.status !== 'ok') return reply.redirect(back, 303);
    const { session, citizen } = loaded;
    req.ctx.user = { nome: citizen.nome, cognome: citizen.cognome };
    if (session.mustChangePin) return reply.redirect(`/accedi/cambio-pin?ritorno=${encodeURIComponent(`${INTERACTION_PATH}/${d.uid}`)}`, 303);
    const { t } = req.ctx;
    if (d.prompt.name === 'login') {
      // prompt=login or max_age: a login newer than the request itself.
      const forced = d.prompt.reasons.includes('login_prompt') || d.prompt.reasons.includes('max_age');
      if (forced && session.createdAt.getTime() < (d.iat ?? 0) * 1000) return reply.redirect(back, 303);
      // A semplificato session never reaches a relying party (need is ordinario at least).
      if (session.level === 'semplificato' || !levelAtLeast(session.level, need)) {
        const advice = levelAdvice(session.level, { pinDispositivo: await pinIsDispositivo(deps.db, session.credentialId) });
        return reply
          .type('text/html')
          .send(stepUpPage(req.ctx, { uid: d.uid, clientName, required: t(`level.${need}`), current: t(`level.${session.level}`), need, advice }));
      }
      return finish(
        req,
        reply,
        { login: { accountId: session.citizenId, acr: ACR[session.level], amr: [session.authMethod], ts: Math.floor(session.createdAt.getTime() / 1000) } },
        false,
      );
    }
    if (d.prompt.name === 'consent') {
      // Another citizen logged in on this browser since the request began: it must start again.
      if (d.session?.accountId !== session.citizenId) return expired(req, reply);
      const scopes = stringsOf(d.prompt.details.missingOIDCScope);
      return reply.type('text/html').send(consentPage(req.ctx, { uid: d.uid, clientName, scopes, level: t(`level.${session.level}`) }));
    }
    return expired(req, reply);
  });

  app.post(`${INTERACTION_PATH}/:uid/consenso`, async (req, reply) => {
    const d = await details(req, reply);
    if (!d || d.prompt.name !== 'consent') return expired(req, reply);
    const loaded = await deps.sessions.load(req.cookies[SESSION_COOKIE]);
    // Only the citizen who logged in for this request may consent to it.
    if (loaded.status !== 'ok' || d.session?.accountId !== loaded.session.citizenId) return expired(req, reply);
    const missing = stringsOf(d.prompt.details.missingOIDCScope);
    const chosen = bodyValues(req, 'scope');
    const accepted = ['openid', ...missing.filter((s) => s !== 'openid' && chosen.includes(s))];
    const grant =
      (d.grantId ? await provider.Grant.find(d.grantId) : undefined) ??
      new provider.Grant({ accountId: loaded.session.citizenId, clientId: String(d.params.client_id) });
    grant.addOIDCScope(accepted.join(' '));
    // A scope the citizen refused is recorded as refused: the relying party gets the rest.
    const refused = missing.filter((s) => !accepted.includes(s));
    if (refused.length) grant.rejectOIDCScope(refused.join(' '));
    const allowedClaims = new Set<string>(accepted.flatMap((s) => (isScope(s) ? SCOPE_CLAIMS[s] : [])));
    const claims = stringsOf(d.prompt.details.missingOIDCClaims).filter((c) => allowedClaims.has(c));
    if (claims.length) grant.addOIDCClaims(claims);
    const grantId = await grant.save();
    const cf = loaded.citizen.codiceFiscale;
    await audit.oidcConsent(deps.db, auditContextOf(req, `citizen:${cf}`), cf, { clientId: String(d.params.client_id), granted: true, scopes: accepted });
    return finish(req, reply, { consent: { grantId } }, true);
  });

  app.post(`${INTERACTION_PATH}/:uid/annulla`, async (req, reply) => {
    const d = await details(req, reply);
    if (!d) return expired(req, reply);
    const stepUp = bodyValue(req, 'motivo') === 'livello';
    const loaded = await deps.sessions.load(req.cookies[SESSION_COOKIE]);
    if (loaded.status === 'ok' && !stepUp) {
      const cf = loaded.citizen.codiceFiscale;
      await audit.oidcConsent(deps.db, auditContextOf(req, `citizen:${cf}`), cf, { clientId: String(d.params.client_id), granted: false, scopes: [] });
    }
    // The standard answers: the citizen refused, or could not reach the level asked.
    const result = stepUp
      ? { error: 'unmet_authentication_requirements', error_description: 'the session does not reach the requested authentication level' }
      : { error: 'access_denied', error_description: 'the citizen refused the request' };
    return finish(req, reply, result, false);
  });
}

/** The provider's prompt details (scopes, claims) are lists of strings. */
function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isScope(scope: string): scope is keyof typeof SCOPE_CLAIMS {
  return Object.hasOwn(SCOPE_CLAIMS, scope);
}
