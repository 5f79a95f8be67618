import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  belfioreValidAt,
  capMatchesComune,
  findByBelfiore,
  findBirthPlace,
  findCountry,
  findProvince,
  isBolzanoProvince,
  listComuniByProvince,
  listCountries,
  listHistoricProvinces,
  listProvinces,
  loadGeoData,
  readGeoData,
} from './index.js';

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const names = (list: ReadonlyArray<{ name: string }>): string[] => list.map((c) => c.name);

describe('dataset shape', () => {
  const data = loadGeoData();
  const current = data.comuni.filter((c) => c.validTo === null);
  const suppressed = data.comuni.filter((c) => c.validTo !== null);

  it('has about 7,900 current comuni', () => {
    expect(current.length).toBeGreaterThanOrEqual(7800);
    expect(current.length).toBeLessThanOrEqual(8000);
  });

  it('keeps suppressed comuni with the day they ended, after the day they began', () => {
    expect(suppressed.length).toBeGreaterThan(1500);
    for (const c of suppressed) expect(c.validTo !== null && c.validTo >= c.validFrom, c.belfiore).toBe(true);
    expect(findByBelfiore('I792')).toMatchObject({ name: 'Solbiate', provincia: 'CO', validTo: '2018-12-31' });
  });

  it('gives every comune a well-formed, unique code and a known province', () => {
    const codes = new Set(data.comuni.map((c) => c.belfiore));
    expect(codes.size).toBe(data.comuni.length);
    for (const c of data.comuni) {
      expect(c.belfiore).toMatch(/^[A-M]\d{3}$/);
      expect(data.provinceBySigla.has(c.provincia), c.belfiore).toBe(true);
    }
  });

  it('has well-formed Z codes for every country, with names in three languages', () => {
    expect(data.countries.length).toBeGreaterThan(200);
    for (const c of data.countries) {
      expect(c.code).toMatch(/^Z\d{3}$/);
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.nameEn.length).toBeGreaterThan(0);
      expect(c.nameDe.length).toBeGreaterThan(0);
    }
    expect(findCountry('Z112')).toMatchObject({ name: 'Germania', nameEn: 'Germany', nameDe: 'Deutschland', iso3166Alpha2: 'DE' });
    expect(findCountry('Z114')?.iso3166Alpha2).toBe('GB');
  });

  it('carries no text garbled by a wrong code page', () => {
    const texts = [...data.comuni.flatMap((c) => [c.name, c.nameOther ?? '']), ...data.countries.map((c) => c.name)];
    for (const t of texts) expect(t).not.toMatch(/[ÃÂ\u0080-\u009f\uFFFD?]/);
    expect(findByBelfiore('C744')?.name).toBe('Città della Pieve');
    expect(findCountry('Z106')?.name).toBe('Stato della Città del Vaticano');
    expect(findByBelfiore('D383')?.nameOther).toBe('Devin Nabrežina');
  });
});

describe('provinces', () => {
  it('lists the current provinces for the form, sorted by name', () => {
    const provinces = listProvinces();
    expect(provinces.length).toBe(107);
    expect(provinces.every((p) => p.current)).toBe(true);
    expect(provinces.map((p) => p.sigla)).toEqual(expect.arrayContaining(['RM', 'MI', 'BZ', 'SU', 'MB', 'BT']));
    expect(provinces.map((p) => p.sigla)).not.toContain('PL');
    const sorted = [...names(provinces)].sort(new Intl.Collator('it').compare);
    expect(names(provinces)).toEqual(sorted);
  });

  it('lists historic provinces separately, for places of birth', () => {
    const historic = listHistoricProvinces().map((p) => p.sigla);
    expect(historic).toEqual(expect.arrayContaining(['PL', 'FU', 'ZA']));
    expect(historic).not.toContain('RM');
    expect(listProvinces({ includeHistoric: true }).length).toBe(107 + historic.length);
    expect(findProvince('pl')).toMatchObject({ name: 'Pola', current: false, region: null });
    expect(findProvince('BZ')).toMatchObject({ name: 'Bolzano', region: 'Trentino-Alto Adige', current: true });
  });

  it('recognises the Bolzano province', () => {
    expect(isBolzanoProvince('BZ')).toBe(true);
    expect(isBolzanoProvince(' bz ')).toBe(true);
    expect(isBolzanoProvince('BO')).toBe(false);
    expect(isBolzanoProvince('TN')).toBe(false);
  });

  it('has the comuni of Bolzano with their German names', () => {
    const bz = listComuniByProvince('BZ');
    expect(bz.length).toBeGreaterThan(100);
    expect(bz.every((c) => c.nameOther !== null && c.region === 'Trentino-Alto Adige')).toBe(true);
    expect(findByBelfiore('A952')).toMatchObject({ name: 'Bolzano', nameOther: 'Bozen', provincia: 'BZ' });
  });
});

describe('lookups', () => {
  it('finds comuni and countries by code, case-insensitively', () => {
    expect(findByBelfiore('H501')).toMatchObject({ kind: 'comune', name: 'Roma', provincia: 'RM', region: 'Lazio', validTo: null });
    expect(findByBelfiore('a562')).toMatchObject({ kind: 'comune', name: 'San Giuliano Terme', provincia: 'PI' });
    expect(findByBelfiore('Z404')).toBeUndefined();
    expect(findByBelfiore('A000')).toBeUndefined();
    expect(findCountry('z404')).toMatchObject({ kind: 'country', code: 'Z404', name: "Stati Uniti d'America" });
    expect(findCountry('H501')).toBeUndefined();
    expect(findBirthPlace('z404')).toMatchObject({ kind: 'country', code: 'Z404' });
    expect(findBirthPlace('H501')).toMatchObject({ kind: 'comune', belfiore: 'H501' });
    expect(findBirthPlace('A000')).toBeUndefined();
  });

  it('uses the province of today for current comuni, not an older one', () => {
    expect(findByBelfiore('A074')).toMatchObject({ name: 'Agliè', provincia: 'TO' }); // Aosta 1927–1945
    expect(findByBelfiore('B963')).toMatchObject({ name: 'Caserta', provincia: 'CE' });
    expect(findByBelfiore('C178')).toMatchObject({ name: 'Castello del Matese', provincia: 'CE' });
  });

  it('lists comuni of a province today, at a date, or all of them', () => {
    const now = names(listComuniByProvince('CO'));
    expect(now).toContain('Solbiate con Cagno');
    expect(now).not.toContain('Solbiate');
    const in1975 = names(listComuniByProvince('co', { at: day('1975-06-05') }));
    expect(in1975).toContain('Solbiate');
    expect(in1975).not.toContain('Solbiate con Cagno');
    const ever = names(listComuniByProvince('CO', { includeSuppressed: true }));
    expect(ever).toEqual(expect.arrayContaining(['Solbiate', 'Solbiate con Cagno']));
    expect(ever.length).toBeGreaterThan(now.length);
    expect(listComuniByProvince('XX')).toEqual([]);
    expect(listComuniByProvince('PL')).toEqual([]);
    expect(names(listComuniByProvince('PL', { at: day('1940-01-01') }))).toContain('Pola');
  });

  it('lists countries that exist today unless asked otherwise', () => {
    const today = listCountries().map((c) => c.code);
    expect(today).toContain('Z404');
    expect(today).not.toContain('Z135');
    expect(listCountries({ includeSuppressed: true }).map((c) => c.code)).toContain('Z135');
    expect(listCountries({ at: day('1985-01-01') }).map((c) => c.code)).toContain('Z135');
  });
});

describe('belfioreValidAt', () => {
  it('is inclusive at both ends of a comune’s life', () => {
    expect(belfioreValidAt('I792', day('1975-06-05'))).toBe(true);
    expect(belfioreValidAt('I792', day('2018-12-31'))).toBe(true);
    expect(belfioreValidAt('I792', day('2019-01-01'))).toBe(false);
    expect(belfioreValidAt('M412', day('2018-12-31'))).toBe(false);
    expect(belfioreValidAt('M412', day('2019-01-01'))).toBe(true);
    expect(belfioreValidAt('M426', day('2010-01-01'))).toBe(false);
  });

  it('reads the UTC day of the Date', () => {
    expect(belfioreValidAt('I792', new Date('2018-12-31T23:30:00Z'))).toBe(true);
    expect(belfioreValidAt('I792', new Date('2019-01-01T00:30:00+02:00'))).toBe(true); // still 31 Dec in UTC
  });

  it('accepts births in comuni older than their province (dataset repair)', () => {
    expect(belfioreValidAt('A007', day('1960-01-01'))).toBe(true); // Abbasanta, Oristano province from 1974
    expect(belfioreValidAt('A516', day('1955-05-05'))).toBe(true); // Aviano, Pordenone province from 1968
    expect(belfioreValidAt('A080', day('1969-02-14'))).toBe(true); // Agnone, Isernia province from 1970
  });

  it('applies to countries and rejects unknown codes', () => {
    expect(belfioreValidAt('Z135', day('1991-12-31'))).toBe(true);
    expect(belfioreValidAt('Z135', day('1992-01-01'))).toBe(false);
    expect(belfioreValidAt('Z404', day('2024-01-01'))).toBe(true);
    expect(belfioreValidAt('A000', day('2000-01-01'))).toBe(false);
  });
});

describe('capMatchesComune', () => {
  it('answers unknown for a well-formed CAP of a comune, since the dataset has no CAPs', () => {
    expect(capMatchesComune('56017', 'A562')).toBe('unknown');
    expect(capMatchesComune(' 00118 ', 'h501')).toBe('unknown');
  });

  it('answers false for a malformed CAP or a code that is no comune', () => {
    expect(capMatchesComune('5601', 'A562')).toBe(false);
    expect(capMatchesComune('56O17', 'A562')).toBe(false);
    expect(capMatchesComune('10001', 'Z404')).toBe(false);
    expect(capMatchesComune('00100', 'A000')).toBe(false);
  });
});

describe('readGeoData', () => {
  const source = new URL('../../../data/geo/', import.meta.url);
  const copyWith = (file: string, edit: (json: { rows: unknown[][] }) => void): URL => {
    const dir = mkdtempSync(path.join(tmpdir(), 'varco-geo-test-'));
    for (const f of ['comuni.json', 'provinces.json', 'countries.json']) {
      const json = JSON.parse(readFileSync(new URL(f, source), 'utf8')) as { rows: unknown[][] };
      if (f === file) edit(json);
      writeFileSync(path.join(dir, f), JSON.stringify(json));
    }
    return pathToFileURL(`${dir}/`);
  };

  it('refuses a dataset with a duplicate code', () => {
    const dir = copyWith('countries.json', (json) => {
      const first = json.rows[0];
      if (first) json.rows.push([...first]);
    });
    expect(() => readGeoData(dir)).toThrow(/duplicate code Z/);
  });

  it('refuses a malformed row', () => {
    const dir = copyWith('comuni.json', (json) => {
      json.rows.push(['H5O1', 'Roma', null, 'RM', '1871-01-15', null]);
    });
    expect(() => readGeoData(dir)).toThrow();
  });

  it('refuses a comune in a province it does not know', () => {
    const dir = copyWith('comuni.json', (json) => {
      json.rows.push(['Y999', 'Nowhere', null, 'QQ', '2000-01-01', null]);
    });
    expect(() => readGeoData(dir)).toThrow(/unknown province QQ/);
  });
});
