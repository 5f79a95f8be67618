import { z } from 'zod';
import { checkCoherence } from '../../domain/codice-fiscale/index.js';
import { DEFAULT_SMS_COUNTRIES, checkCellulare, formatItalianDate, normalizeEmail, normalizePhone, parseItalianDate } from '../../domain/contacts.js';
import { belfioreValidAt, capMatchesComune, findByBelfiore, findCountry, findProvince } from '../../domain/geo/index.js';
import type { PersonRecord } from '../../domain/person.js';
import type { Residenza } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors, FormResult } from '../../ui/forms.js';
import { type RawForm, cellulareError, checkCodiceFiscale, fieldLabel, hasControlChars } from '../../ui/validators.js';

/** R2: what a complete request carries, cleaned. */
export interface PinRequestData extends PersonRecord {
  residenza: Residenza;
  telefonoAbitazione: string | null;
  cellulare: string | null;
  email: string | null;
  pec: string | null;
  telefonoPreferenziale: 'cellulare' | 'abitazione';
  orarioPreferenziale: (typeof ORARI_PREFERENZIALI)[number];
}

export const ORARI_PREFERENZIALI = ['9-13', '13-18', '18-20', 'any'] as const;
export const TELEFONI_PREFERENZIALI = ['cellulare', 'abitazione'] as const;
export const RESIDENZE = ['IT', 'EE'] as const;
const SESSI = ['M', 'F'] as const;

/** A value as one of a fixed list, or undefined. */
function oneOf<T extends string>(list: readonly T[], value: string): T | undefined {
  return list.find((item) => item === value);
}

const residenzaSchema = z.discriminatedUnion('tipo', [
  z.object({ tipo: z.literal('IT'), indirizzo: z.string(), numeroCivico: z.string(), provincia: z.string(), comune: z.string(), cap: z.string() }),
  z.object({ tipo: z.literal('EE'), paese: z.string(), citta: z.string(), indirizzo: z.string(), codicePostale: z.string() }),
]);

/** A PinRequestData as it comes back from JSON (a flow's row). */
export const pinRequestDataSchema = z.object({
  codiceFiscale: z.string(),
  cognome: z.string(),
  nome: z.string(),
  dataNascita: z.string(),
  sesso: z.enum(SESSI),
  luogoNascita: z.string(),
  residenza: residenzaSchema,
  telefonoAbitazione: z.string().nullable(),
  cellulare: z.string().nullable(),
  email: z.string().nullable(),
  pec: z.string().nullable(),
  telefonoPreferenziale: z.enum(TELEFONI_PREFERENZIALI),
  orarioPreferenziale: z.enum(ORARI_PREFERENZIALI),
}) satisfies z.ZodType<PinRequestData>;
/** Value of the Provincia Nascita select for people born abroad. */
export const BORN_ABROAD = 'EE';

export const STEP1_FIELDS = ['codiceFiscale', 'residenza'] as const;
export const STEP2_FIELDS = [
  'cognome',
  'nome',
  'dataNascita',
  'sesso',
  'provinciaNascita',
  'comuneNascita',
  'statoNascita',
  'indirizzo',
  'numeroCivico',
  'provinciaResidenza',
  'comuneResidenza',
  'cap',
  'paeseResidenza',
  'cittaResidenza',
  'indirizzoEstero',
  'codicePostale',
  'telefonoAbitazione',
  'cellulare',
  'email',
  'pec',
  'telefonoPreferenziale',
  'orarioPreferenziale',
] as const;

const MAX_LENGTH: Record<string, number> = {
  codiceFiscale: 16,
  cognome: 60,
  nome: 60,
  dataNascita: 10,
  indirizzo: 100,
  numeroCivico: 10,
  cap: 5,
  cittaResidenza: 60,
  indirizzoEstero: 120,
  codicePostale: 12,
  telefonoAbitazione: 20,
  cellulare: 20,
  email: 254,
  pec: 254,
};

const NAME_PATTERN = /^[\p{L}' .-]+$/u;
const TEXT_PATTERN = /^[\p{L}\p{N} '.,/°ºª-]+$/u;

/** Common checks on every raw value: length, and no control or replacement characters (bad UTF-8). */
function basicChecks(t: Translate, raw: RawForm, errors: FieldErrors): void {
  for (const [field, value] of Object.entries(raw)) {
    const max = MAX_LENGTH[field];
    if (max !== undefined && value.length > max) errors[field] = t('error.tooLong', { field: fieldLabel(t, field), max });
    else if (hasControlChars(value)) errors[field] = t('error.invalidChars', { field: fieldLabel(t, field) });
  }
}

export type Step1 = { codiceFiscale: string; residenza: 'IT' | 'EE' };
/** A Step1 as it comes back from JSON (a flow's row). */
export const step1Schema = z.object({ codiceFiscale: z.string(), residenza: z.enum(RESIDENZE) }) satisfies z.ZodType<Step1>;

export function validateStep1(t: Translate, raw: RawForm): FormResult<Step1> {
  const errors: FieldErrors = {};
  const cf = checkCodiceFiscale(t, raw.codiceFiscale, errors);
  const typed = raw.residenza ?? '';
  const residenza = oneOf(RESIDENZE, typed);
  if (!typed) errors.residenza = t('error.required', { field: fieldLabel(t, 'residenza') });
  else if (!residenza) errors.residenza = t('error.choice', { field: fieldLabel(t, 'residenza') });
  if (Object.keys(errors).length || !residenza) return { success: false, errors };
  return { success: true, value: { codiceFiscale: cf, residenza } };
}

/**
 * R2: every field of the request form, checked server-side, with one message per field.
 * `smsCountries`: the calling codes a cellulare may have (VARCO_SMS_COUNTRIES, issue 12 F6).
 */
export function validateStep2(
  t: Translate,
  step1: Step1,
  raw: RawForm,
  today: Date,
  smsCountries: readonly string[] = DEFAULT_SMS_COUNTRIES,
): FormResult<PinRequestData> {
  const errors: FieldErrors = {};
  basicChecks(t, raw, errors);
  const need = (field: string) => {
    if (!raw[field] && !errors[field]) errors[field] = t('error.required', { field: fieldLabel(t, field) });
    return raw[field] ?? '';
  };
  const cognome = need('cognome');
  const nome = need('nome');
  const allowedChars = (pattern: RegExp, values: Record<string, string>) => {
    for (const [field, value] of Object.entries(values)) {
      if (value && !errors[field] && !pattern.test(value)) errors[field] = t('error.invalidChars', { field: fieldLabel(t, field) });
    }
  };
  allowedChars(NAME_PATTERN, { cognome, nome });

  const dataRaw = need('dataNascita');
  let dataNascita: string | undefined;
  if (dataRaw && !errors.dataNascita) {
    dataNascita = parseItalianDate(dataRaw);
    if (!dataNascita) errors.dataNascita = t('error.date.format');
    else if (dataNascita > today.toISOString().slice(0, 10)) errors.dataNascita = t('error.date.future');
    else if (dataNascita < '1900-01-01') errors.dataNascita = t('error.date.tooOld');
  }

  const sesso = need('sesso');
  if (sesso && sesso !== 'M' && sesso !== 'F') errors.sesso = t('error.choice', { field: fieldLabel(t, 'sesso') });

  // Birthplace: a comune (by province) valid at the birth date, or a foreign country.
  const provinciaNascita = need('provinciaNascita');
  let luogoNascita: string | undefined;
  if (provinciaNascita === BORN_ABROAD) {
    const stato = need('statoNascita');
    if (stato && !findCountry(stato)) errors.statoNascita = t('error.paese.unknown', { field: fieldLabel(t, 'statoNascita') });
    else luogoNascita = stato || undefined;
  } else if (provinciaNascita && !findProvince(provinciaNascita)) {
    errors.provinciaNascita = t('error.provincia.unknown', { field: fieldLabel(t, 'provinciaNascita') });
  } else if (provinciaNascita) {
    const comune = need('comuneNascita');
    const found = comune ? findByBelfiore(comune) : undefined;
    if (comune && (!found || found.provincia !== provinciaNascita)) errors.comuneNascita = t('error.comune.unknown', { field: fieldLabel(t, 'comuneNascita') });
    else if (found && dataNascita && !belfioreValidAt(found.belfiore, new Date(`${dataNascita}T00:00:00Z`)))
      errors.comuneNascita = t('error.comune.notValidAtBirth');
    else luogoNascita = found?.belfiore;
  }

  let residenza: Residenza | undefined;
  if (step1.residenza === 'IT') {
    const indirizzo = need('indirizzo');
    const numeroCivico = need('numeroCivico');
    const provincia = need('provinciaResidenza');
    const comune = need('comuneResidenza');
    const cap = need('cap');
    allowedChars(TEXT_PATTERN, { indirizzo, numeroCivico });
    if (provincia && !findProvince(provincia)?.current)
      errors.provinciaResidenza = t('error.provincia.unknown', { field: fieldLabel(t, 'provinciaResidenza') });
    const found = comune ? findByBelfiore(comune) : undefined;
    if (comune && (!found || found.provincia !== provincia || found.validTo !== null))
      errors.comuneResidenza = t('error.comune.unknown', { field: fieldLabel(t, 'comuneResidenza') });
    if (cap && !errors.cap) {
      if (!/^\d{5}$/.test(cap)) errors.cap = t('error.cap.format');
      else if (found && capMatchesComune(cap, found.belfiore) === false) errors.cap = t('error.cap.mismatch');
    }
    residenza = { tipo: 'IT', indirizzo, numeroCivico, provincia, comune, cap };
  } else {
    const paese = need('paeseResidenza');
    const citta = need('cittaResidenza');
    const indirizzo = need('indirizzoEstero');
    const codicePostale = need('codicePostale');
    if (paese && !findCountry(paese)) errors.paeseResidenza = t('error.paese.unknown', { field: fieldLabel(t, 'paeseResidenza') });
    for (const [field, value] of [
      ['cittaResidenza', citta],
      ['indirizzoEstero', indirizzo],
    ] as const) {
      if (value && !errors[field] && !TEXT_PATTERN.test(value)) errors[field] = t('error.invalidChars', { field: fieldLabel(t, field) });
    }
    if (codicePostale && !errors.codicePostale && !/^[A-Za-z0-9 -]{2,12}$/.test(codicePostale))
      errors.codicePostale = t('error.invalidChars', { field: fieldLabel(t, 'codicePostale') });
    residenza = { tipo: 'EE', paese, citta, indirizzo, codicePostale: codicePostale.toUpperCase() };
  }

  // Recapiti: at least one phone and one of email/PEC (R2 '**').
  const phone = (field: 'telefonoAbitazione' | 'cellulare'): string | null => {
    const value = raw[field];
    if (!value || errors[field]) return null;
    if (field === 'cellulare') {
      // The number the SMS go to: an Italian mobile when Italian, and in the SMS allow-list.
      const c = checkCellulare(value, smsCountries);
      if (!c.ok) errors[field] = cellulareError(t, c.error, fieldLabel(t, field), smsCountries);
      return c.ok ? c.e164 : null;
    }
    const r = normalizePhone(value);
    if (!r.ok) {
      errors[field] = t('error.phone.format', { field: fieldLabel(t, field) });
      return null;
    }
    return r.e164;
  };
  const mail = (field: 'email' | 'pec'): string | null => {
    const value = raw[field];
    if (!value || errors[field]) return null;
    const r = normalizeEmail(value);
    if (!r) errors[field] = t('error.email.format', { field: fieldLabel(t, field) });
    return r ?? null;
  };
  const telefonoAbitazione = phone('telefonoAbitazione');
  const cellulare = phone('cellulare');
  const email = mail('email');
  const pec = mail('pec');
  if (!raw.telefonoAbitazione && !raw.cellulare) errors.cellulare = t('error.contacts.phone');
  if (!raw.email && !raw.pec) errors.email = t('error.contacts.email');

  const telefonoPreferenziale = need('telefonoPreferenziale');
  if (telefonoPreferenziale && !oneOf(TELEFONI_PREFERENZIALI, telefonoPreferenziale)) {
    errors.telefonoPreferenziale = t('error.choice', { field: fieldLabel(t, 'telefonoPreferenziale') });
  } else if ((telefonoPreferenziale === 'cellulare' && !raw.cellulare) || (telefonoPreferenziale === 'abitazione' && !raw.telefonoAbitazione)) {
    errors.telefonoPreferenziale = t('error.telefonoPreferenziale.empty');
  }
  const orarioPreferenziale = need('orarioPreferenziale');
  if (orarioPreferenziale && !oneOf(ORARI_PREFERENZIALI, orarioPreferenziale)) {
    errors.orarioPreferenziale = t('error.choice', { field: fieldLabel(t, 'orarioPreferenziale') });
  }

  // The codice fiscale must agree with the personal data; each disagreement names its field.
  if (dataNascita && luogoNascita && cognome && nome && (sesso === 'M' || sesso === 'F') && !errors.cognome && !errors.nome) {
    const mismatches = checkCoherence(step1.codiceFiscale, {
      cognome,
      nome,
      dataNascita: new Date(`${dataNascita}T00:00:00Z`),
      sesso,
      belfioreNascita: luogoNascita,
    });
    const fieldOf = {
      cognome: 'cognome',
      nome: 'nome',
      dataNascita: 'dataNascita',
      sesso: 'sesso',
      luogoNascita: provinciaNascita === BORN_ABROAD ? 'statoNascita' : 'comuneNascita',
    } as const;
    for (const m of mismatches) {
      const field = fieldOf[m];
      errors[field] ??= t('error.cf.mismatch', { field: fieldLabel(t, field), cf: step1.codiceFiscale });
    }
  }

  const sessoValue = oneOf(SESSI, sesso);
  const telefono = oneOf(TELEFONI_PREFERENZIALI, telefonoPreferenziale);
  const orario = oneOf(ORARI_PREFERENZIALI, orarioPreferenziale);
  if (Object.keys(errors).length || !dataNascita || !luogoNascita || !residenza || !sessoValue || !telefono || !orario) return { success: false, errors };
  return {
    success: true,
    value: {
      codiceFiscale: step1.codiceFiscale,
      cognome: cognome.toUpperCase(),
      nome: nome.toUpperCase(),
      dataNascita,
      sesso: sessoValue,
      luogoNascita,
      residenza,
      telefonoAbitazione,
      cellulare,
      email,
      pec,
      telefonoPreferenziale: telefono,
      orarioPreferenziale: orario,
    },
  };
}

export { formatItalianDate };
