import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireSession } from '../../sessions/guard.js';
import type { AppDeps } from '../../web/deps.js';
import type { FieldErrors } from '../../web/forms.js';
import { pickFields } from '../richiesta/form.js';
import { sniffContentType } from './files.js';
import { renderModulePdf } from './module-pdf.js';
import { formatItalianDate } from '../../domain/contacts.js';
import { validateDocument } from './document.js';
import { attachFiles, latestRequest, saveDraft, submitRequest } from './service.js';
import { confirmPage, dispositivoPage, documentPage, modulePage, submittedPage, warningsPage, welcomePage } from './views.js';
import { citizenAuditContextOf } from '../../web/audit-context.js';

/** R15: conversion of an ordinary PIN into a PIN dispositivo, online (the operators' review comes with the back office). */
export function conversioneRoutes(app: FastifyInstance, deps: AppDeps): void {
  // R18: the conversion itself needs an ordinario session (a semplificato one cannot convert).
  const guard = { preHandler: requireSession(deps, { level: 'ordinario', needsPin: true }) };
  const svc = { db: deps.db, filesDir: deps.config.filesDir, now: deps.now };
  const limitMb = Math.round(deps.config.uploadLimitBytes / 1024 / 1024);

  /** The draft this session may work on, or why not. */
  async function draftOf(req: FastifyRequest) {
    const latest = await latestRequest(deps.db, req.session!.citizenId);
    return latest?.state === 'bozza' ? latest : undefined;
  }

  app.get('/pin/dispositivo', async (req, reply) => reply.type('text/html').send(dispositivoPage(req.ctx)));
  app.get('/pin/dispositivo/avvertenze', async (req, reply) => reply.type('text/html').send(warningsPage(req.ctx)));

  app.get('/pin/dispositivo/converti', guard, async (req, reply) => {
    const { t } = req.ctx;
    if (req.session!.level === 'dispositivo') return reply.type('text/html').send(welcomePage(req.ctx, { notice: t('conv.already') }));
    const latest = await latestRequest(deps.db, req.session!.citizenId);
    if (latest?.state === 'in_lavorazione') return reply.type('text/html').send(welcomePage(req.ctx, { notice: t('conv.pending', { number: latest.number }) }));
    return reply.type('text/html').send(welcomePage(req.ctx, {}));
  });

  app.get('/pin/dispositivo/documento', guard, async (req, reply) => {
    const d = await draftOf(req);
    const raw: Record<string, string> = d ? { tipo: d.doc_type, numero: d.doc_number, ente: d.doc_authority, rilascio: formatItalianDate(d.doc_issued), scadenza: formatItalianDate(d.doc_expires) } : {};
    return reply.type('text/html').send(documentPage(req.ctx, { raw, errors: {} }));
  });

  app.post('/pin/dispositivo/documento', guard, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['tipo', 'numero', 'ente', 'rilascio', 'scadenza']);
    const { errors, document } = validateDocument(t, raw, deps.now());
    if (Object.keys(errors).length) return reply.code(422).type('text/html').send(documentPage(req.ctx, { raw, errors }));
    await saveDraft(svc, { citizenId: req.session!.citizenId, credentialId: req.session!.credentialId! }, document!, citizenAuditContextOf(req));
    return reply.redirect('/pin/dispositivo/modulo', 303);
  });

  app.get('/pin/dispositivo/modulo', guard, async (req, reply) => {
    const d = await draftOf(req);
    if (!d) return reply.redirect('/pin/dispositivo/converti', 303);
    return reply.type('text/html').send(modulePage(req.ctx, { request: d, errors: {}, limitMb }));
  });

  app.get('/pin/dispositivo/modulo.pdf', guard, async (req, reply) => {
    const d = await draftOf(req);
    if (!d) return reply.redirect('/pin/dispositivo/converti', 303);
    const c = req.citizen!;
    const pdf = await renderModulePdf(req.ctx.t, {
      istituto: deps.config.istituto.name, number: d.number, codiceFiscale: c.codiceFiscale, cognome: c.cognome, nome: c.nome, dataNascita: c.dataNascita,
      docType: req.ctx.t(`doc.${d.doc_type}`), docNumber: d.doc_number, docAuthority: d.doc_authority, docIssued: d.doc_issued, docExpires: d.doc_expires,
    });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${d.number}.pdf"`).send(pdf);
  });

  app.post('/pin/dispositivo/modulo', guard, async (req, reply) => {
    const { t } = req.ctx;
    const d = await draftOf(req);
    if (!d) return reply.redirect('/pin/dispositivo/converti', 303);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const errors: FieldErrors = {};
    const files: Record<string, Buffer> = {};
    for (const [name, label] of [['modulo', t('field.moduloFirmato')], ['documento', t('field.documentoIdentita')]] as const) {
      const value = body[name];
      if (!Buffer.isBuffer(value) || value.length === 0) errors[name] = t('error.file.missing', { field: label });
      else if (!sniffContentType(value)) errors[name] = t('error.file.type', { field: label });
      else files[name] = value;
    }
    if (Object.keys(errors).length) return reply.code(422).type('text/html').send(modulePage(req.ctx, { request: d, errors, limitMb }));
    await attachFiles(svc, d.id, req.session!.citizenId, { modulo: files.modulo!, documento: files.documento! });
    return reply.redirect('/pin/dispositivo/conferma', 303);
  });

  app.get('/pin/dispositivo/conferma', guard, async (req, reply) => {
    const d = await draftOf(req);
    if (!d?.module_file_id || !d.id_file_id) return reply.redirect('/pin/dispositivo/modulo', 303);
    return reply.type('text/html').send(confirmPage(req.ctx, d));
  });

  app.post('/pin/dispositivo/conferma', guard, async (req, reply) => {
    const d = await draftOf(req);
    if (!d || !(await submitRequest(svc, d.id, citizenAuditContextOf(req)))) return reply.redirect('/pin/dispositivo/converti', 303);
    return reply.type('text/html').send(submittedPage(req.ctx, d.number));
  });
}
