import type { CovidCategory } from '../../db/schema.js';
import { birthDateOf, type ParsedCf, normalizeCf, parseCf } from '../../domain/codice-fiscale/index.js';
import { parseItalianDate } from '../../domain/contacts.js';
import { checkPartitaIva } from '../../domain/iban.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../ui/forms.js';
import { hasControlChars } from '../../ui/validators.js';

/**
 * R21: the categories of Decree-Law 18/2020 (seed 003), each with its own fields and the
 * declarations the applicant must tick. Labels are message keys: `cov.field.<name>`,
 * `cov.opt.<name>.<value>`, `cov.decl.<declaration>`.
 */
/** A field of a category's form: a select has its options, an integer its range. */
export type CategoryField = {
  name: string;
  /** Required only when another field has this value. */
  when?: { field: string; value: string };
  optional?: boolean;
} & ({ kind: 'select'; options: readonly string[] } | { kind: 'integer'; min: number; max: number } | { kind: 'date' | 'text' | 'cf' });

export interface CategoryDefinition {
  id: CovidCategory;
  article: string;
  /** Art. 31: arts. 27–30 and 38 exclude one another; the baby-sitting bonus (art. 23) stands alone. */
  group: 'art31' | 'art23';
  /** Fixed indemnity (600 euro for March 2020); art. 23 asks the amount, up to its ceiling. */
  amountCents: number | 'asked';
  fields: readonly CategoryField[];
  declarations: readonly string[];
}

export const CATEGORIES: readonly CategoryDefinition[] = [
  {
    id: 'art27',
    article: '27',
    group: 'art31',
    amountCents: 60_000,
    fields: [
      { name: 'rapporto', kind: 'select', options: ['partita_iva', 'cococo'] },
      { name: 'partitaIva', kind: 'text', when: { field: 'rapporto', value: 'partita_iva' } },
      { name: 'committente', kind: 'text', when: { field: 'rapporto', value: 'cococo' } },
    ],
    declarations: ['attivo23febbraio', 'gestioneSeparata', 'nonPensionato', 'nonAltraPrevidenza'],
  },
  {
    id: 'art28',
    article: '28',
    group: 'art31',
    amountCents: 60_000,
    fields: [{ name: 'gestione', kind: 'select', options: ['artigiani', 'commercianti', 'coltivatori_diretti', 'coloni_mezzadri'] }],
    declarations: ['iscrittoAgo', 'nonPensionato', 'nonAltraPrevidenza'],
  },
  {
    id: 'art29',
    article: '29',
    group: 'art31',
    amountCents: 60_000,
    fields: [
      { name: 'settore', kind: 'select', options: ['turismo', 'termale'] },
      { name: 'datoreLavoro', kind: 'text' },
      { name: 'dataCessazione', kind: 'date' },
    ],
    declarations: ['cessazioneInvolontaria', 'nonPensionato', 'nonDipendente17marzo'],
  },
  {
    id: 'art30',
    article: '30',
    group: 'art31',
    amountCents: 60_000,
    fields: [{ name: 'giornate2019', kind: 'integer', min: 50, max: 366 }],
    declarations: ['operaioAgricoloOtd', 'nonPensionato'],
  },
  {
    id: 'art38',
    article: '38',
    group: 'art31',
    amountCents: 60_000,
    fields: [
      { name: 'contributi2019', kind: 'integer', min: 30, max: 366 },
      { name: 'reddito2019', kind: 'integer', min: 0, max: 50_000 },
    ],
    declarations: ['iscrittoFpls', 'nonPensionato', 'nonDipendente17marzo'],
  },
  {
    id: 'art23',
    article: '23',
    group: 'art23',
    amountCents: 'asked',
    fields: [
      { name: 'figlio1', kind: 'cf' },
      { name: 'figlio2', kind: 'cf', optional: true },
      { name: 'figlio3', kind: 'cf', optional: true },
      { name: 'importo', kind: 'integer', min: 1, max: 600 },
    ],
    declarations: ['altroGenitoreNonBeneficiario', 'nonCongedoCovid'],
  },
];

export const categoryById = (id: string | undefined) => CATEGORIES.find((c) => c.id === id);

/** The decree's dates: the indemnities refer to situations on these days of 2020. */
const CESSAZIONE_FROM = '2019-01-01';
const CESSAZIONE_TO = '2020-03-17';
/** Art. 23: children aged 12 or less on 5 March 2020 (born after 5 March 2007, and by that day). */
const CHILD_BORN_AFTER = '2007-03-05';
const CHILD_BORN_BY = '2020-03-05';

/** For a child of 2020 the century is the one that is not in the future then. */
const childBirthDate = (p: ParsedCf) => birthDateOf(p, 2020);

export interface CategoryValues {
  values: Record<string, string | number | string[]>;
  declarations: string[];
  amountCents: number;
}

const fieldApplies = (f: CategoryField, raw: Record<string, string>) => !f.when || raw[f.when.field] === f.when.value;

/** Checks one category's fields and declarations; every message names the field (R2's manner). */
export function validateCategory(t: Translate, def: CategoryDefinition, raw: Record<string, string>, applicantCf: string, errors: FieldErrors): CategoryValues {
  const values: CategoryValues['values'] = {};
  const label = (name: string) => t(`cov.field.${name}` as Parameters<Translate>[0]);
  for (const f of def.fields) {
    if (!fieldApplies(f, raw)) continue;
    const v = (raw[f.name] ?? '').trim();
    if (hasControlChars(v)) {
      errors[f.name] = t('error.invalidChars', { field: label(f.name) });
      continue;
    }
    if (!v) {
      if (!f.optional) errors[f.name] = t('error.required', { field: label(f.name) });
      continue;
    }
    switch (f.kind) {
      case 'select':
        if (!f.options.includes(v)) errors[f.name] = t('error.choice', { field: label(f.name) });
        else values[f.name] = v;
        break;
      case 'integer': {
        // Digits, or digits with dots as thousands separators (50.000): never a decimal point.
        const n = /^\d{1,7}$/.test(v) || /^\d{1,3}(\.\d{3})+$/.test(v) ? Number(v.replace(/\./g, '')) : NaN;
        if (!Number.isInteger(n)) errors[f.name] = t('cov.error.integer', { field: label(f.name) });
        else if (n < f.min || n > f.max) errors[f.name] = t('cov.error.range', { field: label(f.name), min: f.min, max: f.max });
        else values[f.name] = n;
        break;
      }
      case 'date': {
        const iso = parseItalianDate(v);
        if (!iso) errors[f.name] = t('error.date.format', { field: label(f.name) });
        else if (iso < CESSAZIONE_FROM || iso > CESSAZIONE_TO) errors[f.name] = t('cov.error.cessazione');
        else values[f.name] = iso;
        break;
      }
      case 'text':
        if (f.name === 'partitaIva') {
          const piva = checkPartitaIva(v);
          if (!piva) errors[f.name] = t('cov.error.partitaIva');
          else values[f.name] = piva;
        } else if (f.name === 'committente') {
          const s = v.replace(/\s/g, '').toUpperCase();
          if (!checkPartitaIva(s) && !parseCf(normalizeCf(s)).ok) errors[f.name] = t('cov.error.committente');
          else values[f.name] = s;
        } else if (v.length > 120) errors[f.name] = t('error.tooLong', { field: label(f.name), max: 120 });
        else values[f.name] = v;
        break;
      case 'cf': {
        const cf = normalizeCf(v);
        const parsed = parseCf(cf);
        if (!parsed.ok) errors[f.name] = t(`error.cf.${parsed.error}`);
        else if (cf === applicantCf) errors[f.name] = t('cov.error.figlioSelf');
        else if (childBirthDate(parsed.value) <= CHILD_BORN_AFTER) errors[f.name] = t('cov.error.figlioAge');
        else if (childBirthDate(parsed.value) > CHILD_BORN_BY) errors[f.name] = t('cov.error.figlioNotBorn');
        else if (Object.values(values).includes(cf)) errors[f.name] = t('cov.error.figlioTwice');
        else values[f.name] = cf;
        break;
      }
    }
  }
  const declarations = def.declarations.filter((d) => raw[`decl_${d}`] === 'si');
  // Each message names its declaration: the summary at the top says which one is missing.
  for (const d of def.declarations)
    if (!declarations.includes(d)) errors[`decl_${d}`] = t('cov.error.declarationNamed', { declaration: t(`cov.decl.${d}` as Parameters<Translate>[0]) });
  const amountCents = def.amountCents === 'asked' ? Number(values.importo ?? 0) * 100 : def.amountCents;
  return { values, declarations, amountCents };
}
