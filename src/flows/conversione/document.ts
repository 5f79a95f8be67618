import { parseItalianDate } from '../../domain/contacts.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../ui/forms.js';
import type { IdentityDocument } from './service.js';
import { controlCharErrors } from '../../ui/validators.js';

export const DOC_TYPES = ['carta_identita', 'patente', 'passaporto'] as const;

/** R15: an identity document as typed (tipo, numero, ente, rilascio, scadenza); an expired one is refused. */
export function validateDocument(t: Translate, raw: Record<string, string>, now: Date): { errors: FieldErrors; document?: IdentityDocument } {
  const errors: FieldErrors = {};
  const today = now.toISOString().slice(0, 10);
  const type = DOC_TYPES.find((d) => d === raw.tipo);
  if (!type) errors.tipo = t('error.choice', { field: t('field.tipoDocumento') });
  if (!raw.numero) errors.numero = t('error.required', { field: t('field.numeroDocumento') });
  else if (!/^[A-Za-z0-9 -]{4,20}$/.test(raw.numero)) errors.numero = t('error.invalidChars', { field: t('field.numeroDocumento') });
  if (!raw.ente) errors.ente = t('error.required', { field: t('field.enteRilascio') });
  else if (!/^[\p{L}\p{N} '.,()-]{2,80}$/u.test(raw.ente)) errors.ente = t('error.invalidChars', { field: t('field.enteRilascio') });
  const issued = raw.rilascio ? parseItalianDate(raw.rilascio) : undefined;
  const expires = raw.scadenza ? parseItalianDate(raw.scadenza) : undefined;
  if (!raw.rilascio) errors.rilascio = t('error.required', { field: t('field.dataRilascio') });
  else if (!issued) errors.rilascio = t('error.date.generic', { field: t('field.dataRilascio') });
  else if (issued > today) errors.rilascio = t('error.doc.issuedFuture');
  if (!raw.scadenza) errors.scadenza = t('error.required', { field: t('field.dataScadenza') });
  else if (!expires) errors.scadenza = t('error.date.generic', { field: t('field.dataScadenza') });
  else if (expires < today) errors.scadenza = t('error.doc.expired');
  else if (issued && expires <= issued) errors.scadenza = t('error.doc.order');
  controlCharErrors(
    t,
    raw,
    { numero: t('field.numeroDocumento'), ente: t('field.enteRilascio'), rilascio: t('field.dataRilascio'), scadenza: t('field.dataScadenza') },
    errors,
  );
  if (Object.keys(errors).length || !type || !raw.numero || !raw.ente || !issued || !expires) return { errors };
  return { errors, document: { type, number: raw.numero.toUpperCase(), authority: raw.ente, issued, expires } };
}
