import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeEmail, normalizePhone } from '../../domain/contacts.js';
import { DOC_TYPES } from '../../flows/conversione/document.js';
import { contactsOnRecord, replaceContactsAtSede } from '../../flows/recapiti/service.js';
import { mask } from '../../ui/format.js';
import { controlCharErrors, pickFields } from '../../ui/validators.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { queryValue } from '../../ui/route.js';
import { type OperatorRequest, operatorHandler, requireOperator } from '../accesso/guard.js';
import { requestRevocaApproval } from '../approvazioni/service.js';
import { citizenByCf, citizenOverview, liveCredential, lookupCf, setIntermediario } from './service.js';
import { citizenPage } from './views.js';

/** Citizen lookup and what operators do on a citizen's record (the in-person conversion is in ../conversioni). */
export function backofficeCittadiniRoutes(app: FastifyInstance, deps: AppDeps): void {
  async function showCitizen(
    req: FastifyRequest,
    reply: FastifyReply,
    { operator: op, audit }: OperatorRequest,
    cf: string,
    contacts?: { raw: Record<string, string>; errors: FieldErrors },
  ) {
    const found = await citizenOverview(deps.db, cf, audit);
    if (!found) return reply.type('text/html').send(citizenPage(req.ctx, op, { requests: [], audit: [] }));
    const { citizen, credential, requests, trail, approvals } = found;
    const show = (v: string | null) => (op.role === 'contact-center' ? mask(v) : (v ?? '—'));
    const errore = queryValue(req, 'errore');
    const revoca = queryValue(req, 'revoca');
    return reply
      .code(contacts && Object.keys(contacts.errors).length ? 422 : 200)
      .type('text/html')
      .send(
        citizenPage(req.ctx, op, {
          citizen: {
            codice_fiscale: citizen.codice_fiscale,
            cognome: citizen.cognome,
            nome: citizen.nome,
            cellulare: show(citizen.cellulare),
            email: show(citizen.email),
            pec: show(citizen.pec),
            intermediario: citizen.intermediario,
          },
          credential,
          requests,
          audit: trail,
          notesError: errore === 'note',
          converted: queryValue(req, 'convertito') === '1',
          documentError: errore === 'documento',
          revocaNotice: revoca === 'attesa' ? 'pending' : revoca === 'gia' ? 'already' : undefined,
          approvals,
          contacts: { raw: contacts?.raw ?? {}, errors: contacts?.errors ?? {}, done: queryValue(req, 'recapiti') === '1' },
        }),
      );
  }

  /** Citizen lookup; the contact center sees contacts masked. Every lookup is audited. */
  app.get(
    '/backoffice/cittadino',
    { preHandler: requireOperator(deps) },
    operatorHandler(async (req, reply, who) => showCitizen(req, reply, who, lookupCf(queryValue(req, 'cf')))),
  );

  /** Issue 5: a supervisore grants or removes the intermediary profile (R8's 3-month rule follows it). */
  app.post(
    '/backoffice/cittadino/intermediario',
    { preHandler: requireOperator(deps, ['supervisore']) },
    operatorHandler(async (req, reply, { audit }) => {
      const raw = pickFields(req.body, ['cf', 'azione']);
      const citizen = await citizenByCf(deps.db, raw.cf);
      if (!citizen) return reply.callNotFound();
      await setIntermediario(deps, citizen, raw.azione === 'concedi', audit);
      return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}`, 303);
    }),
  );

  /**
   * R14: a caller without a tessera sanitaria, identified on the phone; the questions and answers
   * are recorded. F7: the revocation waits for a supervisore other than the requester.
   */
  app.post(
    '/backoffice/cittadino/revoca',
    { preHandler: requireOperator(deps, ['contact-center', 'supervisore']) },
    operatorHandler(async (req, reply, { operator, audit }) => {
      const raw = pickFields(req.body, ['cf', 'note']);
      const citizen = await citizenByCf(deps.db, raw.cf);
      if (!citizen) return reply.callNotFound();
      const notes = (raw.note ?? '').slice(0, 2000);
      // eslint-disable-next-line no-control-regex -- notes keep tabs and line breaks, never another control character (NUL among them) or bad UTF-8
      if (notes.length < 20 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(notes))
        return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&errore=note`, 303);
      const live = await liveCredential(deps.db, citizen.id);
      if (!live) return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}`, 303);
      const done = await requestRevocaApproval(
        deps,
        { citizenId: citizen.id, codiceFiscale: citizen.codice_fiscale, credentialId: live.id, identification: notes, operatorId: operator.id },
        audit,
      );
      return reply.redirect(`/backoffice/cittadino?cf=${citizen.codice_fiscale}&revoca=${done.ok ? 'attesa' : 'gia'}`, 303);
    }),
  );

  /**
   * F7: a record's contacts change only at a sede, with the citizen and an identity document in
   * front of the operator; audited (kinds and document, not the values); every previous contact
   * that changed is told, and ripristino codes still on their way to the old contacts die.
   * A contact-center operator never changes contacts (403).
   */
  app.post(
    '/backoffice/cittadino/recapiti',
    { preHandler: requireOperator(deps, ['sede']) },
    operatorHandler(async (req, reply, who) => {
      const { t } = req.ctx;
      const raw = pickFields(req.body, ['cf', 'nuovoCellulare', 'nuovaEmail', 'nuovaPec', 'docTipo', 'docNumero', 'docVisto']);
      const citizen = await citizenByCf(deps.db, raw.cf);
      if (!citizen) return reply.callNotFound();
      const record = await contactsOnRecord(deps.db, citizen.id);
      const errors: FieldErrors = {};
      const changes: { kind: 'cellulare' | 'email' | 'pec'; value: string }[] = [];
      if (raw.nuovoCellulare) {
        const p = normalizePhone(raw.nuovoCellulare);
        if (!p.ok || (p.e164.startsWith('+39') && !p.italianMobile)) errors.nuovoCellulare = t('error.phone.format', { field: t('field.cellulare') });
        else if (p.e164 !== record.cellulare) changes.push({ kind: 'cellulare', value: p.e164 });
      }
      for (const [field, kind] of [
        ['nuovaEmail', 'email'],
        ['nuovaPec', 'pec'],
      ] as const) {
        if (!raw[field]) continue;
        const m = normalizeEmail(raw[field]);
        if (!m) errors[field] = t('error.email.format', { field: t(`field.${kind}`) });
        else if (m !== record[kind]) changes.push({ kind, value: m });
      }
      const docTipo = DOC_TYPES.find((d) => d === raw.docTipo);
      const docNumero = raw.docNumero !== undefined && /^[A-Za-z0-9 -]{4,20}$/.test(raw.docNumero) ? raw.docNumero : undefined;
      if (!docTipo) errors.docTipo = t('error.choice', { field: t('field.tipoDocumento') });
      if (!docNumero) errors.docNumero = t('error.bo.document');
      if (raw.docVisto !== 'si') errors.docVisto = t('error.bo.identified');
      controlCharErrors(
        t,
        raw,
        { nuovoCellulare: t('field.cellulare'), nuovaEmail: t('field.email'), nuovaPec: t('field.pec'), docNumero: t('field.numeroDocumento') },
        errors,
      );
      if (!Object.keys(errors).length && changes.length === 0) errors.nuovoCellulare = t('error.bo.contacts.none');
      if (!docTipo || !docNumero || Object.keys(errors).length) return showCitizen(req, reply, who, record.codice_fiscale, { raw, errors });
      await replaceContactsAtSede(deps, record, changes, { type: docTipo, number: docNumero.toUpperCase() }, who.audit);
      return reply.redirect(`/backoffice/cittadino?cf=${record.codice_fiscale}&recapiti=1`, 303);
    }),
  );
}
