import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { pinIsDispositivo, requireSession } from '../../ui/guard.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { pickFields } from '../../ui/validators.js';
import { sanitizeUpload } from './sanitize.js';
import { renderModulePdf } from './module-pdf.js';
import { formatItalianDate } from '../../domain/contacts.js';
import { validateDocument } from './document.js';
import { attachFiles, latestRequest, saveDraft, submitRequest } from './service.js';
import { alreadyDispositivoPage, confirmPage, dispositivoPage, documentPage, modulePage, submittedPage, warningsPage, welcomePage } from './views.js';
import { type CitizenRequest, MissingGuardError, citizenHandler, citizenOf } from '../../ui/route.js';
import { audit } from '../../audit/events.js';
import type { CleanFile } from './sanitize.js';

/** R15: conversion of an ordinary PIN into a PIN dispositivo, online (the operators' review comes with the back office). */
export function conversioneRoutes(app: FastifyInstance, deps: AppDeps): void {
  // R18: the conversion itself needs an ordinario session (a semplificato one cannot convert).
  // R15: once the PIN is dispositivo, no step of the conversion is offered again.
  const notYetDispositivo: preHandlerAsyncHookHandler = async (req, reply) => {
    const { session } = citizenOf(req);
    if (!(await pinIsDispositivo(deps.db, session.credentialId))) return;
    return reply
      .code(req.method === 'GET' ? 200 : 409)
      .type('text/html')
      .send(alreadyDispositivoPage(req.ctx, { relogin: session.level !== 'dispositivo' }));
  };
  const guard = { preHandler: [requireSession(deps, { level: 'ordinario', needsPin: true }), notYetDispositivo] };
  const svc = { db: deps.db, filesDir: deps.config.filesDir, now: deps.now, quotaBytes: deps.config.uploads.quotaBytes };
  const limitMb = Math.round(deps.config.uploadLimitBytes / 1024 / 1024);
  const quotaMb = Math.round(deps.config.uploads.quotaBytes / 1024 / 1024);
  // Issue 12 F5: uploads have their own bucket, a fifth of the pages' limit, counted before the body is read.
  const uploadLimited = deps.rateLimitHook('upload', Math.max(0.2, 1 / deps.config.rateLimit.requestsPerWindow));

  /** The draft this session may work on, or why not. */
  async function draftOf(citizenId: string) {
    const latest = await latestRequest(deps.db, citizenId);
    return latest?.state === 'bozza' ? latest : undefined;
  }
  type Draft = NonNullable<Awaited<ReturnType<typeof draftOf>>>;

  /** The handler of a step on the draft: without a draft, or one not `ready` for the step, back to `back`. */
  function draftHandler(
    back: string,
    handler: (req: FastifyRequest, reply: FastifyReply, d: Draft, who: CitizenRequest) => Promise<unknown>,
    ready: (d: Draft) => boolean = () => true,
  ) {
    return citizenHandler(async (req, reply, who) => {
      const d = await draftOf(who.session.citizenId);
      if (!d || !ready(d)) return reply.redirect(back, 303);
      return handler(req, reply, d, who);
    });
  }

  app.get('/pin/dispositivo', async (req, reply) => reply.type('text/html').send(dispositivoPage(req.ctx)));
  app.get('/pin/dispositivo/avvertenze', async (req, reply) => reply.type('text/html').send(warningsPage(req.ctx)));

  app.get(
    '/pin/dispositivo/converti',
    guard,
    citizenHandler(async (req, reply, { session }) => {
      const { t } = req.ctx;
      const latest = await latestRequest(deps.db, session.citizenId);
      if (latest?.state === 'in_lavorazione')
        return reply.type('text/html').send(welcomePage(req.ctx, { notice: t('conv.pending', { number: latest.number }) }));
      return reply.type('text/html').send(welcomePage(req.ctx, {}));
    }),
  );

  app.get(
    '/pin/dispositivo/documento',
    guard,
    citizenHandler(async (req, reply, { session }) => {
      const d = await draftOf(session.citizenId);
      const raw: Record<string, string> = d
        ? {
            tipo: d.doc_type,
            numero: d.doc_number,
            ente: d.doc_authority,
            rilascio: formatItalianDate(d.doc_issued),
            scadenza: formatItalianDate(d.doc_expires),
          }
        : {};
      return reply.type('text/html').send(documentPage(req.ctx, { raw, errors: {} }));
    }),
  );

  app.post(
    '/pin/dispositivo/documento',
    guard,
    citizenHandler(async (req, reply, { session, audit: ctx }) => {
      const { t } = req.ctx;
      const raw = pickFields(req.body, ['tipo', 'numero', 'ente', 'rilascio', 'scadenza']);
      const { errors, document } = validateDocument(t, raw, deps.now());
      if (Object.keys(errors).length || !document) return reply.code(422).type('text/html').send(documentPage(req.ctx, { raw, errors }));
      // The guard (needsPin) lets only a session opened with a PIN through.
      const { credentialId } = session;
      if (!credentialId) throw new MissingGuardError('PIN', req.url);
      await saveDraft(svc, { citizenId: session.citizenId, credentialId }, document, ctx);
      return reply.redirect('/pin/dispositivo/modulo', 303);
    }),
  );

  app.get(
    '/pin/dispositivo/modulo',
    guard,
    draftHandler('/pin/dispositivo/converti', async (req, reply, d) => reply.type('text/html').send(modulePage(req.ctx, { request: d, errors: {}, limitMb }))),
  );

  app.get(
    '/pin/dispositivo/modulo.pdf',
    guard,
    draftHandler('/pin/dispositivo/converti', async (req, reply, d, { citizen: c }) => {
      const pdf = await renderModulePdf(req.ctx.t, {
        istituto: deps.config.istituto.name,
        number: d.number,
        codiceFiscale: c.codiceFiscale,
        cognome: c.cognome,
        nome: c.nome,
        dataNascita: c.dataNascita,
        docType: req.ctx.t(`doc.${d.doc_type}`),
        docNumber: d.doc_number,
        docAuthority: d.doc_authority,
        docIssued: d.doc_issued,
        docExpires: d.doc_expires,
      });
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${d.number}.pdf"`).send(pdf);
    }),
  );

  app.post(
    '/pin/dispositivo/modulo',
    { onRequest: uploadLimited, ...guard },
    draftHandler('/pin/dispositivo/converti', async (req, reply, d, { session, audit: ctx }) => {
      const { t } = req.ctx;
      const errors: FieldErrors = {};
      const files: Partial<Record<'modulo' | 'documento', CleanFile>> = {};
      for (const [name, label] of [
        ['modulo', t('field.moduloFirmato')],
        ['documento', t('field.documentoIdentita')],
      ] as const) {
        // The multipart parser gives each file field as a Buffer.
        const value: unknown = fieldOf(req.body, name);
        if (!Buffer.isBuffer(value) || value.length === 0) {
          errors[name] = t('error.file.missing', { field: label });
          continue;
        }
        // F14: stored only as rewritten; what cannot be rewritten is refused, and the refusal audited.
        const clean = await sanitizeUpload(value, deps.config.uploads);
        if (clean.ok) files[name] = clean.file;
        else {
          errors[name] = t(`error.file.${clean.reason}`, { field: label, mp: deps.config.uploads.maxMegapixels });
          await audit.conversioneFilesRefused(deps.db, ctx, ctx.cf, { number: d.number, reason: clean.reason });
        }
      }
      const { modulo, documento } = files;
      if (Object.keys(errors).length || !modulo || !documento)
        return reply
          .code(422)
          .type('text/html')
          .send(modulePage(req.ctx, { request: d, errors, limitMb }));
      const attached = await attachFiles(svc, d.id, session.citizenId, { modulo, documento }, ctx);
      if (!attached.ok && attached.reason === 'not_draft') return reply.redirect('/pin/dispositivo/converti', 303);
      if (!attached.ok) {
        const quota = { modulo: t('error.file.quota', { field: t('field.moduloFirmato'), mb: quotaMb, days: deps.config.documentRetention.days }) };
        return reply
          .code(422)
          .type('text/html')
          .send(modulePage(req.ctx, { request: d, errors: quota, limitMb }));
      }
      return reply.redirect('/pin/dispositivo/conferma', 303);
    }),
  );

  app.get(
    '/pin/dispositivo/conferma',
    guard,
    draftHandler(
      '/pin/dispositivo/modulo',
      async (req, reply, d) => reply.type('text/html').send(confirmPage(req.ctx, d)),
      (d) => Boolean(d.module_file_id && d.id_file_id),
    ),
  );

  app.post(
    '/pin/dispositivo/conferma',
    guard,
    draftHandler('/pin/dispositivo/converti', async (req, reply, d, { audit: ctx }) => {
      if (!(await submitRequest(svc, d.id, ctx))) return reply.redirect('/pin/dispositivo/converti', 303);
      return reply.type('text/html').send(submittedPage(req.ctx, d.number));
    }),
  );
}

/** One field of a parsed body, whatever its type (the files of a multipart body are Buffers). */
function fieldOf(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' && Object.hasOwn(body, name) ? Reflect.get(body, name) : undefined;
}
