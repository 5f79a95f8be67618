import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { audit } from '../audit/events.js';
import { normalizeCf } from '../domain/codice-fiscale/index.js';
import type { OperatorRole } from '../db/schema.js';
import { validateDocument } from '../flows/conversione/document.js';
import { readStoredFile } from '../flows/conversione/files.js';
import { formatRome } from '../domain/rome-time.js';
import { mask } from '../flows/profilo/views.js';
import { pickFields } from '../flows/richiesta/form.js';
import type { AppDeps } from '../web/deps.js';
import type { FieldErrors } from '../web/forms.js';
import { html } from '../web/html.js';
import { page } from '../web/layout.js';
import { type Operator, authenticateOperator, createOperatorSession, endOperatorSession, loadOperatorSession } from './operators.js';
import { revokeCredential } from '../flows/revoca/service.js';
import { decideConversion } from './review.js';
import { backofficeRichiestaRoutes } from './richiesta.js';
import { backofficeDomandeRoutes } from './domande.js';
import { backofficeClientiRoutes } from './clienti.js';
import { backofficeQuoteRoutes } from './quote.js';
import { citizenPage, homePage, loginPage, operatorsPage, requestPage } from './views.js';
import { auditContextOf } from '../web/audit-context.js';

const COOKIE = 'varco_operator';
/** Who may review online conversions (R15). */
const REVIEWERS: readonly OperatorRole[] = ['sede', 'supervisore'];

declare module 'fastify' {
  interface FastifyRequest {
    operator?: Operator & { sessionHash: string };
  }
}

/** The back office: operators' login (password + TOTP), conversion review, citizen lookup. */
export function backofficeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const opCtx = (req: FastifyRequest) => auditContextOf(req, `operator:${req.operator!.username}`, 'backoffice');

  function requireOperator(roles?: readonly OperatorRole[]): preHandlerAsyncHookHandler {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const op = await loadOperatorSession(deps.db, req.cookies[COOKIE], deps.now());
      if (!op) return reply.redirect('/backoffice/accedi', 303);
      req.operator = op;
      reply.header('cache-control', 'no-store');
      if (roles && !roles.includes(op.role)) {
        return reply.code(403).type('text/html').send(page(req.ctx, { title: req.ctx.t('bo.forbidden') }, html`<h1>${req.ctx.t('bo.forbidden')}</h1><p><a href="/backoffice">${req.ctx.t('bo.title')}</a></p>`));
      }
    };
  }

  backofficeRichiestaRoutes(app, deps, () => requireOperator());
  backofficeDomandeRoutes(app, deps, requireOperator);
  backofficeClientiRoutes(app, deps, requireOperator);
  backofficeQuoteRoutes(app, deps, requireOperator);

  app.get('/backoffice/accedi', async (req, reply) => reply.type('text/html').send(loginPage(req.ctx, {})));

  app.post('/backoffice/accedi', { preHandler: deps.rateLimitHook('backoffice') }, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['username', 'password', 'totp']);
    const errors: FieldErrors = {};
    for (const [f, label] of [['username', t('bo.username')], ['password', t('bo.password')], ['totp', t('bo.totp')]] as const) if (!raw[f]) errors[f] = t('error.required', { field: label });
    if (Object.keys(errors).length) return reply.code(422).type('text/html').send(loginPage(req.ctx, { username: raw.username, errors }));
    const result = await authenticateOperator(
      { db: deps.db, hasher: deps.hasher, box: deps.box, dummyHash: deps.dummyHash, now: deps.now },
      { username: raw.username!, password: raw.password!, totp: raw.totp! },
      auditContextOf(req, 'anonymous', 'backoffice'),
    );
    if (!result.ok) {
      const error = result.reason === 'blocked' ? t('bo.login.blocked', { until: formatRome(result.until) }) : t('bo.login.invalid');
      return reply.code(result.reason === 'blocked' ? 423 : 401).type('text/html').send(loginPage(req.ctx, { username: raw.username, error }));
    }
    const id = await createOperatorSession(deps.db, result.operator.id, req.ip, deps.now());
    reply.setCookie(COOKIE, id, deps.cookieOptions({ path: '/backoffice', sameSite: 'strict' }));
    return reply.redirect('/backoffice', 303);
  });

  app.post('/backoffice/esci', { preHandler: requireOperator() }, async (req, reply) => {
    await endOperatorSession(deps.db, req.operator!.sessionHash, deps.now());
    await audit.operatorLoggedOut(deps.db, opCtx(req), { operatorId: req.operator!.id });
    reply.clearCookie(COOKIE, { path: '/backoffice' });
    return reply.redirect('/backoffice/accedi', 303);
  });

  app.get('/backoffice', { preHandler: requireOperator() }, async (req, reply) => {
    const op = req.operator!;
    const queue = REVIEWERS.includes(op.role)
      ? await deps.db
          .selectFrom('conversion_requests')
          .innerJoin('citizens', 'citizens.id', 'conversion_requests.citizen_id')
          .select(['conversion_requests.id', 'conversion_requests.number', 'conversion_requests.submitted_at', 'citizens.codice_fiscale', 'citizens.cognome', 'citizens.nome'])
          .where('conversion_requests.state', '=', 'in_lavorazione')
          .orderBy('conversion_requests.submitted_at')
          .limit(100)
          .execute()
      : undefined;
    const q = req.query as Record<string, unknown>;
    const notice = typeof q.approvata === 'string' ? req.ctx.t('bo.request.approved', { number: q.approvata.slice(0, 20) }) : typeof q.respinta === 'string' ? req.ctx.t('bo.request.rejected', { number: q.respinta.slice(0, 20) }) : undefined;
    return reply.type('text/html').send(homePage(req.ctx, op, { queue, notice }));
  });

  const validId = (id: string) => /^[0-9a-f-]{36}$/.test(id);

  async function loadRequest(id: string) {
    if (!validId(id)) return undefined;
    return deps.db.selectFrom('conversion_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  app.get('/backoffice/conversioni/:id', { preHandler: requireOperator(REVIEWERS) }, async (req, reply) => {
    const r = await loadRequest((req.params as { id: string }).id);
    if (!r) return reply.callNotFound();
    const citizen = await deps.db.selectFrom('citizens').select(['codice_fiscale', 'cognome', 'nome', 'data_nascita']).where('id', '=', r.citizen_id).executeTakeFirstOrThrow();
    return reply.type('text/html').send(requestPage(req.ctx, req.operator!, { request: r, citizen, errors: {} }));
  });

  app.post('/backoffice/conversioni/:id/approva', { preHandler: requireOperator(REVIEWERS) }, async (req, reply) => {
    const r = await loadRequest((req.params as { id: string }).id);
    if (!r) return reply.callNotFound();
    const done = await decideConversion({ db: deps.db, box: deps.box, now: deps.now }, r.id, { approve: true }, opCtx(req));
    return reply.redirect(done.ok ? `/backoffice?approvata=${encodeURIComponent(done.number)}` : `/backoffice/conversioni/${r.id}`, 303);
  });

  app.post('/backoffice/conversioni/:id/respingi', { preHandler: requireOperator(REVIEWERS) }, async (req, reply) => {
    const r = await loadRequest((req.params as { id: string }).id);
    if (!r) return reply.callNotFound();
    const reason = (pickFields(req.body, ['motivo']).motivo ?? '').slice(0, 300);
    if (!reason || /[\u0000-\u001f\ufffd]/.test(reason)) {
      const citizen = await deps.db.selectFrom('citizens').select(['codice_fiscale', 'cognome', 'nome', 'data_nascita']).where('id', '=', r.citizen_id).executeTakeFirstOrThrow();
      return reply.code(422).type('text/html').send(requestPage(req.ctx, req.operator!, { request: r, citizen, errors: { motivo: req.ctx.t('error.bo.reason') } }));
    }
    const done = await decideConversion({ db: deps.db, box: deps.box, now: deps.now }, r.id, { approve: false, reason }, opCtx(req));
    return reply.redirect(done.ok ? `/backoffice?respinta=${encodeURIComponent(done.number)}` : `/backoffice/conversioni/${r.id}`, 303);
  });

  /** Uploaded documents reach operators who review, and nobody else. */
  app.get('/backoffice/file/:id', { preHandler: requireOperator(REVIEWERS) }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!validId(id)) return reply.callNotFound();
    const owner = await deps.db.selectFrom('stored_files').innerJoin('citizens', 'citizens.id', 'stored_files.citizen_id').select('citizens.codice_fiscale').where('stored_files.id', '=', id).executeTakeFirst();
    const file = owner ? await readStoredFile(deps.db, deps.config.filesDir, id) : undefined;
    if (!file) return reply.callNotFound();
    await audit.operatorViewedFile(deps.db, opCtx(req), owner!.codice_fiscale, { fileId: id });
    return reply.type(file.contentType).header('content-disposition', 'inline').send(file.bytes);
  });

  const citizenByCf = async (raw: unknown) => {
    const cf = normalizeCf(String(raw ?? '')).slice(0, 16);
    return cf ? deps.db.selectFrom('citizens').select(['id', 'codice_fiscale']).where('codice_fiscale', '=', cf).executeTakeFirst() : undefined;
  };

  /** Issue 5: a supervisore grants or removes the intermediary profile (R8's 3-month rule follows it). */
  app.post('/backoffice/cittadino/intermediario', { preHandler: requireOperator(['supervisore']) }, async (req, reply) => {
    const raw = pickFields(req.body, ['cf', 'azione']);
    const citizen = await citizenByCf(raw.cf);
    if (!citizen) return reply.callNotFound();
    const intermediario = raw.azione === 'concedi';
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('citizens').set({ intermediario, updated_at: deps.now() }).where('id', '=', citizen.id).execute();
      await audit.intermediaryChanged(trx, opCtx(req), citizen.codice_fiscale, { intermediario });
    });
    return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}`, 303);
  });

  /** R14: a caller without a tessera sanitaria, identified on the phone; the questions and answers are recorded. */
  app.post('/backoffice/cittadino/revoca', { preHandler: requireOperator(['contact-center', 'supervisore']) }, async (req, reply) => {
    const raw = pickFields(req.body, ['cf', 'note']);
    const citizen = await citizenByCf(raw.cf);
    if (!citizen) return reply.callNotFound();
    const notes = (raw.note ?? '').slice(0, 2000);
    if (notes.length < 20 || /[\u0000-\u0008\ufffd]/.test(notes)) return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&errore=note`, 303);
    const live = await deps.db.selectFrom('credentials').select('id').where('citizen_id', '=', citizen.id).where('state', 'in', ['initial', 'active']).executeTakeFirst();
    if (live) {
      await deps.db.transaction().execute((trx) => revokeCredential(trx, deps.box, { citizenId: citizen.id, credentialId: live.id, now: deps.now() }, opCtx(req), { identification: notes }));
    }
    return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&revocato=1`, 303);
  });

  /** Issue 5: operators managed by a supervisore (created with `varco operator add`). */
  app.get('/backoffice/operatori', { preHandler: requireOperator(['supervisore']) }, async (req, reply) => {
    const ops = await deps.db.selectFrom('operators').select(['id', 'username', 'display_name', 'role', 'disabled_at']).orderBy('username').execute();
    return reply.type('text/html').send(operatorsPage(req.ctx, req.operator!, ops));
  });

  app.post('/backoffice/operatori/:id/stato', { preHandler: requireOperator(['supervisore']) }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!validId(id) || id === req.operator!.id) return reply.redirect('/backoffice/operatori', 303);
    const disable = pickFields(req.body, ['azione']).azione === 'disattiva';
    await deps.db.transaction().execute(async (trx) => {
      const changed = await trx.updateTable('operators').set({ disabled_at: disable ? deps.now() : null }).where('id', '=', id).returning('username').executeTakeFirst();
      if (!changed) return;
      if (disable) await trx.updateTable('operator_sessions').set({ ended_at: deps.now(), end_reason: 'disabled' }).where('operator_id', '=', id).where('ended_at', 'is', null).execute();
      await audit.operatorStateChanged(trx, opCtx(req), { username: changed.username, disabled: disable });
    });
    return reply.redirect('/backoffice/operatori', 303);
  });

  /** R15, other channels: a module received by fax or at the counter, checked by the operator, recorded as approved. */
  app.post('/backoffice/cittadino/conversione', { preHandler: requireOperator(REVIEWERS) }, async (req, reply) => {
    const raw = pickFields(req.body, ['cf', 'canale', 'tipo', 'numero', 'ente', 'rilascio', 'scadenza']);
    const citizen = await citizenByCf(raw.cf);
    if (!citizen) return reply.callNotFound();
    const { errors, document } = validateDocument(req.ctx.t, raw, deps.now());
    const credential = await deps.db.selectFrom('credentials').select(['id', 'dispositivo']).where('citizen_id', '=', citizen.id).where('state', 'in', ['initial', 'active']).executeTakeFirst();
    if (!document || !credential || Object.keys(errors).length) return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&errore=documento`, 303);
    const channel = raw.canale === 'fax' ? 'fax' : 'sede';
    const id = randomUUID();
    await deps.db
      .insertInto('conversion_requests')
      .values({
        id, number: `CONV-${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`, citizen_id: citizen.id, credential_id: credential.id, state: 'in_lavorazione', channel, submitted_at: deps.now(),
        doc_type: document.type, doc_number: document.number, doc_authority: document.authority, doc_issued: document.issued, doc_expires: document.expires,
      })
      .execute();
    await decideConversion({ db: deps.db, box: deps.box, now: deps.now }, id, { approve: true }, opCtx(req));
    return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&convertito=1`, 303);
  });

  /** Citizen lookup; the contact center sees contacts masked. Every lookup is audited. */
  app.get('/backoffice/cittadino', { preHandler: requireOperator() }, async (req, reply) => {
    const op = req.operator!;
    const cf = normalizeCf(String((req.query as Record<string, unknown>).cf ?? '')).slice(0, 16);
    const citizen = cf ? await deps.db.selectFrom('citizens').selectAll().where('codice_fiscale', '=', cf).executeTakeFirst() : undefined;
    if (!citizen) return reply.type('text/html').send(citizenPage(req.ctx, op, { requests: [], audit: [] }));
    await audit.operatorViewedCitizen(deps.db, opCtx(req), citizen.codice_fiscale);
    const show = (v: string | null) => (op.role === 'contact-center' ? mask(v) : (v ?? '—'));
    const credential = await deps.db.selectFrom('credentials').select(['state', 'dispositivo']).where('citizen_id', '=', citizen.id).orderBy('created_at', 'desc').executeTakeFirst();
    const requests = await deps.db.selectFrom('conversion_requests').select(['number', 'state']).where('citizen_id', '=', citizen.id).orderBy('created_at', 'desc').execute();
    const trail = await deps.db.selectFrom('audit_events').select(['occurred_at', 'event', 'actor', 'ip']).where('subject_cf', '=', citizen.codice_fiscale).orderBy('id', 'desc').limit(50).execute();
    const q = req.query as Record<string, unknown>;
    return reply.type('text/html').send(citizenPage(req.ctx, op, {
      citizen: { codice_fiscale: citizen.codice_fiscale, cognome: citizen.cognome, nome: citizen.nome, cellulare: show(citizen.cellulare), email: show(citizen.email), pec: show(citizen.pec), intermediario: citizen.intermediario },
      credential, requests, audit: trail, notesError: q.errore === 'note', revoked: q.revocato === '1', converted: q.convertito === '1', documentError: q.errore === 'documento',
    }));
  });
}
