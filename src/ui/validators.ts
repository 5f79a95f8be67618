import { normalizeCf, parseCf } from '../domain/codice-fiscale/index.js';
import { type CellulareResult, smsPrefixes } from '../domain/contacts.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import type { FieldErrors } from './forms.js';

/**
 * The validators every form shares: the known fields of a posted body, control characters, the
 * codice fiscale, the cellulare's message. A form's own rules stay in its flow.
 */

/** Raw form values as typed, kept in the flow so INDIETRO shows them again (R3). */
export type RawForm = Record<string, string>;

/** Takes only the known fields from a posted body, as trimmed strings (anything else is dropped). */
export function pickFields(body: unknown, fields: readonly string[]): RawForm {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const out: RawForm = {};
  for (const f of fields) {
    const v = source[f];
    out[f] = typeof v === 'string' ? v.trim() : '';
  }
  return out;
}

/** A field's label in the catalog (`field.<name>`), for its error messages. */
export function fieldLabel(t: Translate, field: string): string {
  const key = `field.${field}` as MessageKey;
  return t(key);
}

/**
 * Control characters (NUL among them: PostgreSQL refuses it in text and jsonb), the replacement
 * character (bad UTF-8) and a lone UTF-16 surrogate (a JSON body's "\ud800": jsonb refuses it).
 */
// eslint-disable-next-line no-control-regex -- this pattern exists to find control characters
export const CONTROL_CHARS = /[\u0000-\u001f\u007f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasControlChars(value: string | undefined): boolean {
  return value !== undefined && CONTROL_CHARS.test(value);
}

/**
 * docs/security.md (NUL bytes): the field error of every text field holding a control character,
 * for the forms outside the request's own validation; `labels` names each field checked. A field
 * already in error keeps its message only when it is not this one: the control character wins.
 */
export function controlCharErrors(t: Translate, raw: RawForm, labels: Record<string, string>, errors: FieldErrors): FieldErrors {
  for (const [field, fieldLabel] of Object.entries(labels)) {
    if (hasControlChars(raw[field])) errors[field] = t('error.invalidChars', { field: fieldLabel });
  }
  return errors;
}

/** A codice fiscale as typed: normalised, and an error in `errors.codiceFiscale` when absent or malformed. */
export function checkCodiceFiscale(t: Translate, raw: string | undefined, errors: FieldErrors): string {
  const cf = normalizeCf(raw ?? '');
  if (!cf) errors.codiceFiscale = t('error.required', { field: fieldLabel(t, 'codiceFiscale') });
  else if (hasControlChars(raw)) errors.codiceFiscale = t('error.invalidChars', { field: fieldLabel(t, 'codiceFiscale') });
  else {
    const parsed = parseCf(cf);
    if (!parsed.ok) errors.codiceFiscale = t(`error.cf.${parsed.error}`);
  }
  return cf;
}

/** The message of a refused cellulare, in every form that takes one (issue 12 F6: the SMS allow-list named). */
export function cellulareError(
  t: Translate,
  error: Extract<CellulareResult, { ok: false }>['error'],
  fieldLabel: string,
  countries: readonly string[],
): string {
  if (error === 'format') return t('error.phone.format', { field: fieldLabel });
  if (error === 'notMobile') return t('error.cellulare.notMobile');
  return t('error.cellulare.country', { prefixes: smsPrefixes(countries) });
}
