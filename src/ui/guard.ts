import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Level } from '../db/schema.js';
import type { AppDeps } from './deps.js';
import type { Db } from '../db/database.js';
import { levelAdvice, levelPage, noPinPage } from './level-page.js';
import type { Session, SessionCitizen } from '../sessions/store.js';

export const SESSION_COOKIE = 'varco_session';

export type { SessionCitizen } from '../sessions/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    session?: Session;
    citizen?: SessionCitizen;
  }
}

/** R18: semplificato < ordinario < dispositivo. */
const RANK: Record<Level, number> = { semplificato: 0, ordinario: 1, dispositivo: 2 };

export function levelAtLeast(have: Level, need: Level): boolean {
  return RANK[have] >= RANK[need];
}

/**
 * Whether the PIN behind a session is dispositivo now (R15): a conversion approved after the
 * session was opened leaves the session at its old level until the citizen logs in again.
 */
export async function pinIsDispositivo(db: Db, credentialId: string | null): Promise<boolean> {
  if (!credentialId) return false;
  const row = await db.selectFrom('credentials').select('dispositivo').where('id', '=', credentialId).where('state', '!=', 'revoked').executeTakeFirst();
  return row?.dispositivo === true;
}

/** A same-site path to come back to after login; anything else falls back to the board. */
export function safeReturnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?!\/)[\w\-/.?=&%]*$/.test(value) && !value.startsWith('/accedi') && value.length < 300 ? value : undefined;
}

/**
 * The one mechanism that guards routes (R10, R18): a live session, the PIN change first when it
 * is due (R7, R8), and the level the route declares. Each refusal answers a page or a redirect
 * that says what to do.
 */
export function requireSession(deps: AppDeps, opts: { level?: Level; allowMustChange?: boolean; needsPin?: boolean } = {}): preHandlerAsyncHookHandler {
  const need = opts.level ?? 'semplificato';
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const loaded = await deps.sessions.load(req.cookies[SESSION_COOKIE]);
    const back = encodeURIComponent(req.url);
    if (loaded.status !== 'ok') {
      if (loaded.status === 'expired') reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect(`/accedi?${loaded.status === 'expired' ? 'scaduta=1&' : 'richiesto=1&'}ritorno=${back}`, 303);
    }
    const { session, citizen } = loaded;
    req.session = session;
    req.citizen = citizen;
    req.ctx.user = { nome: citizen.nome, cognome: citizen.cognome };
    // Pages with personal data are never cached (the 2020 click-day leak came from cached pages).
    reply.header('cache-control', 'no-store');
    if (session.mustChangePin && !opts.allowMustChange) return reply.redirect('/accedi/cambio-pin', 303);
    if (!levelAtLeast(session.level, need)) {
      const advice = levelAdvice(session.level, { pinDispositivo: await pinIsDispositivo(deps.db, session.credentialId) });
      return reply
        .code(403)
        .type('text/html')
        .send(levelPage(req.ctx, { required: need, current: session.level, advice, ritorno: req.url }));
    }
    // Changing or converting a PIN needs a session opened with that PIN, not SPID, CIE or CNS.
    if (opts.needsPin && !session.credentialId) return reply.code(403).type('text/html').send(noPinPage(req.ctx, session.authMethod));
  };
}

/**
 * A login (PIN, SPID, CIE, CNS): a new session with a new id (R10), whose cookie replaces the
 * one this browser had; the session that cookie named, if live, is ended.
 */
export async function startSession(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  s: Omit<Parameters<AppDeps['sessions']['create']>[0], 'ip' | 'userAgent'>,
): Promise<void> {
  const previous = await deps.sessions.load(req.cookies[SESSION_COOKIE]);
  if (previous.status === 'ok') await deps.sessions.end(previous.session.idHash, 'replaced');
  const { id } = await deps.sessions.create({ ...s, ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
  reply.setCookie(SESSION_COOKIE, id, deps.cookieOptions({ sameSite: 'lax' }));
}
