/**
 * Italian comuni (current and suppressed), provinces and foreign countries, keyed by their
 * Belfiore (cadastral) code: the four characters a codice fiscale carries for the place of
 * birth. Read once, synchronously, from data/geo/*.json on first use; every lookup after that
 * is a Map access. Where the data come from, their licences and their known gaps:
 * data/geo/SOURCE.md. The files are rebuilt by scripts/generate-geo-data.ts.
 *
 * Dates are ISO calendar days ('YYYY-MM-DD'); validity is inclusive at both ends. A Date
 * passed in is read as a UTC calendar day (its time of day is ignored).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface Comune {
  readonly kind: 'comune';
  /** Letter and three digits, e.g. 'H501' (Roma). */
  readonly belfiore: string;
  /** Italian name: ISTAT's for current comuni, ANPR's for suppressed ones. */
  readonly name: string;
  /** The name in the other official language, where there is one (German in BZ, Slovene in GO/TS, Ladin in TN). */
  readonly nameOther: string | null;
  /** Sigla of the province today; for a suppressed comune, of a province it belonged to (may itself be historic, e.g. 'PL'). */
  readonly provincia: string;
  /** Region of that province; null for provinces ceded after 1947 (Fiume, Pola, Zara). */
  readonly region: string | null;
  /** First day the code denoted this comune. */
  readonly validFrom: string;
  /** Last day the comune existed; null while it still exists. */
  readonly validTo: string | null;
  /** Postal codes, or null where the dataset has none (today: everywhere; see SOURCE.md). */
  readonly caps: readonly string[] | null;
}

export interface Provincia {
  /** Two-letter sigla, e.g. 'BZ'. */
  readonly sigla: string;
  readonly name: string;
  readonly region: string | null;
  /** False for provinces that no longer exist and appear only as the province of suppressed comuni. */
  readonly current: boolean;
}

export interface Country {
  readonly kind: 'country';
  /** Belfiore code of the state: 'Z' and three digits, e.g. 'Z404' (Stati Uniti d'America). */
  readonly code: string;
  /** Italian name (ISTAT). */
  readonly name: string;
  /** English and German names (CLDR); the Italian one where CLDR has none. */
  readonly nameEn: string;
  readonly nameDe: string;
  /** ISO 3166-1 alpha-2, when ISTAT gives one (retired states and Kosovo have none). */
  readonly iso3166Alpha2: string | null;
  readonly validFrom: string;
  /** Last day the state existed (e.g. Unione Sovietica 1991-12-31); null while it exists. */
  readonly validTo: string | null;
}

/** What a codice fiscale's place-of-birth code can denote. */
export type BirthPlace = Comune | Country;

export interface ListOptions {
  /** Only places that existed on this day (e.g. the date of birth). Takes precedence over includeSuppressed. */
  readonly at?: Date;
  /** Also list places that no longer exist. Default: only current ones. */
  readonly includeSuppressed?: boolean;
}

export interface GeoData {
  readonly comuni: readonly Comune[];
  readonly provinces: readonly Provincia[];
  readonly countries: readonly Country[];
  readonly byBelfiore: ReadonlyMap<string, BirthPlace>;
  readonly comuniByProvince: ReadonlyMap<string, readonly Comune[]>;
  readonly provinceBySigla: ReadonlyMap<string, Provincia>;
}

// ---------------------------------------------------------------------------------------
// File format: { generatedFrom, columns, rows } with one positional row per place.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const comuniFile = z.object({
  columns: z.tuple([z.literal('belfiore'), z.literal('name'), z.literal('nameOther'), z.literal('provincia'), z.literal('validFrom'), z.literal('validTo')]),
  rows: z.array(
    z.tuple([z.string().regex(/^[A-Y]\d{3}$/), z.string().min(1), z.string().min(1).nullable(), z.string().regex(/^[A-Z]{2}$/), day, day.nullable()]),
  ),
});
const provincesFile = z.object({
  columns: z.tuple([z.literal('sigla'), z.literal('name'), z.literal('region')]),
  rows: z.array(z.tuple([z.string().regex(/^[A-Z]{2}$/), z.string().min(1), z.string().min(1).nullable()])),
});
const countriesFile = z.object({
  columns: z.tuple([
    z.literal('belfiore'),
    z.literal('nameIt'),
    z.literal('nameEn'),
    z.literal('nameDe'),
    z.literal('iso3166Alpha2'),
    z.literal('validFrom'),
    z.literal('validTo'),
  ]),
  rows: z.array(
    z.tuple([
      z.string().regex(/^Z\d{3}$/),
      z.string().min(1),
      z.string().min(1).nullable(),
      z.string().min(1).nullable(),
      z
        .string()
        .regex(/^[A-Z]{2}$/)
        .nullable(),
      day,
      day.nullable(),
    ]),
  ),
});

const DEFAULT_DIR = new URL('../../../data/geo/', import.meta.url);

const collator = new Intl.Collator('it', { sensitivity: 'base' });
const byName = (a: { name: string }, b: { name: string }): number => collator.compare(a.name, b.name);

function readJson(dir: URL, file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
}

/** Reads and indexes the dataset. `dir` is for tests; the default is data/geo/ of this checkout. */
export function readGeoData(dir: URL = DEFAULT_DIR): GeoData {
  const provinceRows = provincesFile.parse(readJson(dir, 'provinces.json')).rows;
  const comuneRows = comuniFile.parse(readJson(dir, 'comuni.json')).rows;
  const countryRows = countriesFile.parse(readJson(dir, 'countries.json')).rows;

  const regionOf = new Map(provinceRows.map(([sigla, , region]) => [sigla, region]));
  const comuni: Comune[] = comuneRows.map(([belfiore, name, nameOther, provincia, validFrom, validTo]) => {
    if (!regionOf.has(provincia)) throw new Error(`geo data: comune ${belfiore} in unknown province ${provincia}`);
    return { kind: 'comune', belfiore, name, nameOther, provincia, region: regionOf.get(provincia) ?? null, validFrom, validTo, caps: null };
  });
  const countries: Country[] = countryRows.map(([code, name, nameEn, nameDe, iso3166Alpha2, validFrom, validTo]) => ({
    kind: 'country',
    code,
    name,
    nameEn: nameEn ?? name,
    nameDe: nameDe ?? name,
    iso3166Alpha2,
    validFrom,
    validTo,
  }));

  const byBelfiore = new Map<string, BirthPlace>();
  for (const place of [...comuni, ...countries]) {
    const code = place.kind === 'comune' ? place.belfiore : place.code;
    if (byBelfiore.has(code)) throw new Error(`geo data: duplicate code ${code}`);
    byBelfiore.set(code, place);
  }
  const comuniByProvince = new Map<string, Comune[]>();
  for (const c of comuni) {
    const list = comuniByProvince.get(c.provincia) ?? [];
    list.push(c);
    comuniByProvince.set(c.provincia, list);
  }
  for (const list of comuniByProvince.values()) list.sort(byName);

  const provinces: Provincia[] = provinceRows
    .map(([sigla, name, region]) => ({ sigla, name, region, current: (comuniByProvince.get(sigla) ?? []).some((c) => c.validTo === null) }))
    .sort(byName);
  return {
    comuni,
    provinces,
    countries: [...countries].sort(byName),
    byBelfiore,
    comuniByProvince,
    provinceBySigla: new Map(provinces.map((p) => [p.sigla, p])),
  };
}

let loaded: GeoData | undefined;

/** The dataset, read on first call (about 0.1 s) and kept for the life of the process. */
export function loadGeoData(): GeoData {
  loaded ??= readGeoData();
  return loaded;
}

// ---------------------------------------------------------------------------------------

/** The UTC calendar day of a Date, as 'YYYY-MM-DD'. */
export function utcDay(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
  return date.toISOString().slice(0, 10);
}

function validOn(place: { validFrom: string; validTo: string | null }, isoDay: string): boolean {
  return place.validFrom <= isoDay && (place.validTo === null || isoDay <= place.validTo);
}

function keep(place: { validFrom: string; validTo: string | null }, options: ListOptions): boolean {
  if (options.at) return validOn(place, utcDay(options.at));
  return options.includeSuppressed === true || place.validTo === null;
}

/** Provinces for a "Provincia" list: current ones; with includeHistoric also those that no longer exist. Sorted by name. */
export function listProvinces(options: { includeHistoric?: boolean } = {}): readonly Provincia[] {
  const all = loadGeoData().provinces;
  return options.includeHistoric === true ? all : all.filter((p) => p.current);
}

/** Provinces that no longer exist (Fiume, Pola, Zara, Forlì, the old Pesaro e Urbino sigla). */
export function listHistoricProvinces(): readonly Provincia[] {
  return loadGeoData().provinces.filter((p) => !p.current);
}

export function findProvince(sigla: string): Provincia | undefined {
  return loadGeoData().provinceBySigla.get(sigla.trim().toUpperCase());
}

/**
 * Comuni of a province, sorted by name. Default: those that exist today. For a place of
 * birth pass `at: dataNascita` (the comuni that existed that day, suppressed ones included),
 * or `includeSuppressed: true` for every comune the province ever had.
 */
export function listComuniByProvince(sigla: string, options: ListOptions = {}): readonly Comune[] {
  const list = loadGeoData().comuniByProvince.get(sigla.trim().toUpperCase()) ?? [];
  return list.filter((c) => keep(c, options));
}

/** The comune or foreign state a place-of-birth code denotes (case-insensitive), whether or not it still exists. */
export function findBirthPlace(code: string): BirthPlace | undefined {
  return loadGeoData().byBelfiore.get(code.trim().toUpperCase());
}

/** A comune by its Belfiore code (case-insensitive), current or suppressed; undefined for Z codes. */
export function findByBelfiore(code: string): Comune | undefined {
  const place = findBirthPlace(code);
  return place?.kind === 'comune' ? place : undefined;
}

/** True when the code denoted an existing comune or state on that day: what a codice fiscale issued for a birth that day can carry. */
export function belfioreValidAt(code: string, date: Date): boolean {
  const place = findBirthPlace(code);
  return place !== undefined && validOn(place, utcDay(date));
}

/** Foreign states and territories, sorted by Italian name. Default: those that exist today. */
export function listCountries(options: ListOptions = {}): readonly Country[] {
  return loadGeoData().countries.filter((c) => keep(c, options));
}

/** A foreign state by its Z code (case-insensitive), current or not. */
export function findCountry(zCode: string): Country | undefined {
  const place = findBirthPlace(zCode);
  return place?.kind === 'country' ? place : undefined;
}

/** Provincia autonoma di Bolzano/Bozen (bilingual names, its own rules for some documents). */
export function isBolzanoProvince(sigla: string): boolean {
  return sigla.trim().toUpperCase() === 'BZ';
}

/**
 * Whether a postal code belongs to a comune. False for a CAP that is not five digits or a
 * code that is no Italian comune; 'unknown' where the dataset has no CAPs for the comune —
 * today every comune: no CAP list with a licence Varco may use was found (see SOURCE.md).
 */
export function capMatchesComune(cap: string, belfiore: string): boolean | 'unknown' {
  const normalized = cap.trim();
  if (!/^\d{5}$/.test(normalized)) return false;
  const comune = findByBelfiore(belfiore);
  if (!comune) return false;
  if (comune.caps === null) return 'unknown';
  return comune.caps.includes(normalized);
}
