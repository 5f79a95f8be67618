import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { audit } from '../audit/events.js';
import { normalizeCf } from '../domain/codice-fiscale/index.js';
import type { OperatorRole } from '../db/schema.js';
import { validateDocument } from '../flows/conversione/document.js';
import { readStoredFile, sendStoredFile, storedFileRoute } from '../flows/conversione/files.js';
import { formatRome } from '../domain/rome-time.js';
import { mask } from '../ui/format.js';
import { controlCharErrors, hasControlChars, pickFields } from '../ui/validators.js';
import type { AppDeps } from '../ui/deps.js';
import type { FieldErrors } from '../ui/forms.js';
import { html } from '../ui/html.js';
import { page } from '../ui/layout.js';
import { type Operator, authenticateOperator, createOperatorSession, endOperatorSession, loadOperatorSession } from './operators.js';
import { issueDueRemoteIssues, openApprovalsFor, requestRevocaApproval } from './approvals.js';
import { approvalDepsOf, backofficeApprovazioniRoutes } from './approvazioni.js';
import { normalizeEmail, normalizePhone } from '../domain/contacts.js';
import { DOC_TYPES } from '../flows/conversione/document.js';
import { enqueue, type OutboxEntry } from '../outbox/outbox.js';
import { decideConversion } from './review.js';
import { backofficeRichiestaRoutes } from './richiesta.js';
import { backofficeDomandeRoutes } from './domande.js';
import { backofficeClientiRoutes } from './clienti.js';
import { backofficeReportsRoutes } from './segnalazioni.js';
import { backofficeQuoteRoutes } from './quote.js';
import { citizenPage, homePage, loginPage, operatorsPage, requestPage } from './views.js';
import { auditContextOf } from '../ui/audit-context.js';

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
      // F7: an approved remote issuance whose delay has passed goes out at the next back-office action too.
      await issueDueRemoteIssues(approvalDepsOf(deps), 'system:backoffice').catch((err: unknown) => req.log.error({ err }, 'remote issuance failed'));
      if (roles && !roles.includes(op.role)) {
        return reply.code(403).type('text/html').send(page(req.ctx, { title: req.ctx.t('bo.forbidden') }, html`<h1>${req.ctx.t('bo.forbidden')}</h1><p><a href="/backoffice">${req.ctx.t('bo.title')}</a></p>`));
      }
    };
  }

  backofficeRichiestaRoutes(app, deps, () => requireOperator());
  backofficeDomandeRoutes(app, deps, requireOperator);
  backofficeClientiRoutes(app, deps, requireOperator);
  backofficeApprovazioniRoutes(app, deps, requireOperator);
  backofficeReportsRoutes(app, deps, requireOperator);
  backofficeQuoteRoutes(app, deps, requireOperator);

  app.get('/backoffice/accedi', async (req, reply) => reply.type('text/html').send(loginPage(req.ctx, {})));

  app.post('/backoffice/accedi', { preHandler: deps.rateLimitHook('backoffice') }, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['username', 'password', 'totp']);
    const errors: FieldErrors = {};
    for (const [f, label] of [['username', t('bo.username')], ['password', t('bo.password')], ['totp', t('bo.totp')]] as const) if (!raw[f]) errors[f] = t('error.required', { field: label });
    controlCharErrors(t, raw, { username: t('bo.username'), password: t('bo.password'), totp: t('bo.totp') }, errors);
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
  app.get('/backoffice/file/:id', { preHandler: requireOperator(REVIEWERS), ...storedFileRoute }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!validId(id)) return reply.callNotFound();
    const owner = await deps.db.selectFrom('stored_files').innerJoin('citizens', 'citizens.id', 'stored_files.citizen_id').select('citizens.codice_fiscale').where('stored_files.id', '=', id).executeTakeFirst();
    const file = owner ? await readStoredFile(deps.db, deps.config.filesDir, id) : undefined;
    if (!file) return reply.callNotFound();
    await audit.operatorViewedFile(deps.db, opCtx(req), owner!.codice_fiscale, { fileId: id });
    return sendStoredFile(reply, file, id);
  });

  const citizenByCf = async (raw: unknown) => {
    const cf = normalizeCf(String(raw ?? '')).slice(0, 16);
    return cf && !hasControlChars(cf) ? deps.db.selectFrom('citizens').select(['id', 'codice_fiscale']).where('codice_fiscale', '=', cf).executeTakeFirst() : undefined;
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

  /**
   * R14: a caller without a tessera sanitaria, identified on the phone; the questions and answers
   * are recorded. F7: the revocation waits for a supervisore other than the requester.
   */
  app.post('/backoffice/cittadino/revoca', { preHandler: requireOperator(['contact-center', 'supervisore']) }, async (req, reply) => {
    const raw = pickFields(req.body, ['cf', 'note']);
    const citizen = await citizenByCf(raw.cf);
    if (!citizen) return reply.callNotFound();
    const notes = (raw.note ?? '').slice(0, 2000);
    if (notes.length < 20 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(notes)) return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&errore=note`, 303);
    const live = await deps.db.selectFrom('credentials').select('id').where('citizen_id', '=', citizen.id).where('state', 'in', ['initial', 'active']).executeTakeFirst();
    if (!live) return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}`, 303);
    const done = await requestRevocaApproval(deps, { citizenId: citizen.id, codiceFiscale: citizen.codice_fiscale, credentialId: live.id, identification: notes, operatorId: req.operator!.id }, opCtx(req));
    return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&revoca=${done.ok ? 'attesa' : 'gia'}`, 303);
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

  async function showCitizen(req: FastifyRequest, reply: FastifyReply, cf: string, contacts?: { raw: Record<string, string>; errors: FieldErrors }) {
    const op = req.operator!;
    // A control character is no codice fiscale (and PostgreSQL refuses a NUL): nobody found.
    const citizen = cf && !hasControlChars(cf) ? await deps.db.selectFrom('citizens').selectAll().where('codice_fiscale', '=', cf).executeTakeFirst() : undefined;
    if (!citizen) return reply.type('text/html').send(citizenPage(req.ctx, op, { requests: [], audit: [] }));
    await audit.operatorViewedCitizen(deps.db, opCtx(req), citizen.codice_fiscale);
    const show = (v: string | null) => (op.role === 'contact-center' ? mask(v) : (v ?? '—'));
    const credential = await deps.db.selectFrom('credentials').select(['state', 'dispositivo']).where('citizen_id', '=', citizen.id).orderBy('created_at', 'desc').executeTakeFirst();
    const requests = await deps.db.selectFrom('conversion_requests').select(['number', 'state']).where('citizen_id', '=', citizen.id).orderBy('created_at', 'desc').execute();
    const trail = await deps.db.selectFrom('audit_events').select(['occurred_at', 'event', 'actor', 'ip']).where('subject_cf', '=', citizen.codice_fiscale).orderBy('id', 'desc').limit(50).execute();
    const approvals = await openApprovalsFor(deps.db, citizen.codice_fiscale);
    const q = req.query as Record<string, unknown>;
    return reply.code(contacts && Object.keys(contacts.errors).length ? 422 : 200).type('text/html').send(citizenPage(req.ctx, op, {
      citizen: { codice_fiscale: citizen.codice_fiscale, cognome: citizen.cognome, nome: citizen.nome, cellulare: show(citizen.cellulare), email: show(citizen.email), pec: show(citizen.pec), intermediario: citizen.intermediario },
      credential, requests, audit: trail, notesError: q.errore === 'note', converted: q.convertito === '1', documentError: q.errore === 'documento',
      revocaNotice: q.revoca === 'attesa' ? 'pending' : q.revoca === 'gia' ? 'already' : undefined, approvals,
      contacts: { raw: contacts?.raw ?? {}, errors: contacts?.errors ?? {}, done: q.recapiti === '1' },
    }));
  }

  /** Citizen lookup; the contact center sees contacts masked. Every lookup is audited. */
  app.get('/backoffice/cittadino', { preHandler: requireOperator() }, async (req, reply) =>
    showCitizen(req, reply, normalizeCf(String((req.query as Record<string, unknown>).cf ?? '')).slice(0, 16)));

  /**
   * F7: a record's contacts change only at a sede, with the citizen and an identity document in
   * front of the operator; audited (kinds and document, not the values); every previous contact
   * that changed is told, and ripristino codes still on their way to the old contacts die.
   * A contact-center operator never changes contacts (403).
   */
  app.post('/backoffice/cittadino/recapiti', { preHandler: requireOperator(['sede']) }, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['cf', 'nuovoCellulare', 'nuovaEmail', 'nuovaPec', 'docTipo', 'docNumero', 'docVisto']);
    const citizen = await citizenByCf(raw.cf);
    if (!citizen) return reply.callNotFound();
    const record = await deps.db.selectFrom('citizens').select(['id', 'codice_fiscale', 'nome', 'cognome', 'locale', 'cellulare', 'email', 'pec']).where('id', '=', citizen.id).executeTakeFirstOrThrow();
    const errors: FieldErrors = {};
    const changes: { kind: 'cellulare' | 'email' | 'pec'; value: string }[] = [];
    if (raw.nuovoCellulare) {
      const p = normalizePhone(raw.nuovoCellulare);
      if (!p.ok || (p.e164.startsWith('+39') && !p.italianMobile)) errors.nuovoCellulare = t('error.phone.format', { field: t('field.cellulare') });
      else if (p.e164 !== record.cellulare) changes.push({ kind: 'cellulare', value: p.e164 });
    }
    for (const [field, kind] of [['nuovaEmail', 'email'], ['nuovaPec', 'pec']] as const) {
      if (!raw[field]) continue;
      const m = normalizeEmail(raw[field]);
      if (!m) errors[field] = t('error.email.format', { field: t(`field.${kind}`) });
      else if (m !== record[kind]) changes.push({ kind, value: m });
    }
    const docTipo = DOC_TYPES.find((d) => d === raw.docTipo);
    if (!docTipo) errors.docTipo = t('error.choice', { field: t('field.tipoDocumento') });
    if (!raw.docNumero || !/^[A-Za-z0-9 -]{4,20}$/.test(raw.docNumero)) errors.docNumero = t('error.bo.document');
    if (raw.docVisto !== 'si') errors.docVisto = t('error.bo.identified');
    controlCharErrors(t, raw, { nuovoCellulare: t('field.cellulare'), nuovaEmail: t('field.email'), nuovaPec: t('field.pec'), docNumero: t('field.numeroDocumento') }, errors);
    if (!Object.keys(errors).length && changes.length === 0) errors.nuovoCellulare = t('error.bo.contacts.none');
    if (Object.keys(errors).length) return showCitizen(req, reply, record.codice_fiscale, { raw, errors });
    const now = deps.now();
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('citizens').set({ ...Object.fromEntries(changes.map((c) => [c.kind, c.value])), updated_at: now }).where('id', '=', record.id).execute();
      await trx.updateTable('ripristino_codes').set({ used_at: now }).where('citizen_id', '=', record.id).where('used_at', 'is', null).execute();
      const params = { nome: record.nome, cognome: record.cognome };
      const told: OutboxEntry[] = changes.flatMap((c) => {
        const previous = record[c.kind];
        if (!previous) return [];
        return [{ channel: c.kind === 'cellulare' ? 'sms' as const : c.kind, template: 'contact.changedByOperator' as const, recipient: previous, locale: record.locale, params: { ...params, kind: c.kind }, citizenId: record.id }];
      });
      await enqueue(trx, deps.box, told);
      await audit.operatorContactsChanged(trx, opCtx(req), record.codice_fiscale, { kinds: changes.map((c) => c.kind), documentType: docTipo!, documentNumber: raw.docNumero!.toUpperCase() });
    });
    return reply.redirect(`/backoffice/cittadino?cf=${record.codice_fiscale}&recapiti=1`, 303);
  });
}
