import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { belfioreValidAt, loadGeoData } from '../geo/index.js';
import {
  checkCharacter,
  checkCoherence,
  computeCf,
  lettersOf,
  nameCode,
  normalizeCf,
  omocodiaVariant,
  parseCf,
  surnameCode,
  type PersonalData,
  type Sesso,
} from './index.js';

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const ROSSI: PersonalData = { cognome: 'Rossi', nome: 'Mario', dataNascita: day('1985-12-10'), sesso: 'M', belfioreNascita: 'A562' };

/** Replaces the check character with a correct one, to reach the checks that come after it. */
const withCheck = (first15: string): string => first15 + checkCharacter(first15);

describe('normalizeCf', () => {
  it('trims, upper-cases and drops spaces', () => {
    expect(normalizeCf('  rss mra 85t10 a562s \t')).toBe('RSSMRA85T10A562S');
    expect(normalizeCf('RSSMRA85T10A562S')).toBe('RSSMRA85T10A562S');
  });
});

describe('parseCf', () => {
  it('decodes the textbook example', () => {
    expect(parseCf('RSSMRA85T10A562S')).toEqual({
      ok: true,
      value: {
        cf: 'RSSMRA85T10A562S',
        canonical: 'RSSMRA85T10A562S',
        omocodiaLevel: 0,
        surnameCode: 'RSS',
        nameCode: 'MRA',
        birthYear2: 85,
        birthMonth: 12,
        birthDay: 10,
        sesso: 'M',
        belfiore: 'A562',
      },
    });
  });

  it('normalizes what the user typed', () => {
    const result = parseCf(' rssmra85t10a562s ');
    expect(result.ok && result.value.cf).toBe('RSSMRA85T10A562S');
  });

  it('reads women’s days (+40) and foreign births', () => {
    const result = parseCf('GRCSFO88R71Z404L');
    expect(result).toMatchObject({ ok: true, value: { sesso: 'F', birthDay: 31, birthMonth: 10, birthYear2: 88, belfiore: 'Z404' } });
  });

  it('rejects every wrong check character', () => {
    for (const c of 'ABCDEFGHIJKLMNOPQRTUVWXYZ') {
      expect(parseCf(`RSSMRA85T10A562${c}`)).toEqual({ ok: false, error: 'checksum' });
    }
  });

  it('rejects a transposition and a single changed letter', () => {
    expect(parseCf('SRSMRA85T10A562S')).toEqual({ ok: false, error: 'checksum' });
    expect(parseCf('RSSMRA85T10A563S')).toEqual({ ok: false, error: 'checksum' });
    expect(parseCf('RSSMRA58T10A562S')).toEqual({ ok: false, error: 'checksum' });
  });

  it('rejects what does not have the shape of a codice fiscale', () => {
    for (const bad of [
      '',
      'RSSMRA85T10A562', // 15 characters
      'RSSMRA85T10A562SS', // 17
      'RSSMR485T10A562S', // digit among the name letters
      'RSSMRA85F10A562S', // F is no month
      'RSSMRAA5T10A562S', // A is no omocodia letter
      '1SSMRA85T10A562S',
      'RSSMRA85T10A56-S',
      '12345678901', // a partita IVA
    ]) {
      expect(parseCf(bad), bad).toEqual({ ok: false, error: 'format' });
    }
  });

  it('rejects days that do not exist', () => {
    expect(parseCf(withCheck('RSSMRA85T32A562'))).toEqual({ ok: false, error: 'date' });
    expect(parseCf(withCheck('RSSMRA85T00A562'))).toEqual({ ok: false, error: 'date' });
    expect(parseCf(withCheck('RSSMRA85T40A562'))).toEqual({ ok: false, error: 'date' });
    expect(parseCf(withCheck('RSSMRA85T72A562'))).toEqual({ ok: false, error: 'date' });
    expect(parseCf(withCheck('RSSMRA85D31A562'))).toEqual({ ok: false, error: 'date' }); // 31 April
    expect(parseCf(withCheck('RSSMRA85B30A562'))).toEqual({ ok: false, error: 'date' }); // 30 February
    expect(parseCf(withCheck('RSSMRA01B29A562'))).toEqual({ ok: false, error: 'date' }); // 2001 is not leap
    expect(parseCf(withCheck('RSSMRA04B29A562')).ok).toBe(true);
    expect(parseCf(withCheck('RSSMRA00B69A562')).ok).toBe(true); // 29 Feb 2000, a woman
    expect(parseCf(withCheck('RSSMRA85T71A562')).ok).toBe(true); // 31 Dec, a woman
  });
});

describe('omocodia', () => {
  it('substitutes from the rightmost digit, as the Agenzia does', () => {
    expect(omocodiaVariant('RSSMRA85T10A562S', 1)).toBe('RSSMRA85T10A56NH');
    expect(omocodiaVariant('RSSMRA85T10A562S', 7)).toBe('RSSMRAURTMLARSNL');
    expect(omocodiaVariant('RSSMRA85T10A56NH', 0)).toBe('RSSMRA85T10A562S');
  });

  it('validates every variant and decodes it to the same person', () => {
    const plain = parseCf('RSSMRA85T10A562S');
    if (!plain.ok) throw new Error('fixture');
    for (let level = 1; level <= 7; level++) {
      const variant = omocodiaVariant('RSSMRA85T10A562S', level);
      const result = parseCf(variant);
      expect(result.ok, variant).toBe(true);
      if (!result.ok) continue;
      expect(result.value).toEqual({ ...plain.value, cf: variant, omocodiaLevel: level });
      expect(checkCoherence(variant, ROSSI)).toEqual([]);
    }
  });

  it('accepts substitutions out of the usual order', () => {
    const result = parseCf('RSSMRAU5T10A562P'); // only the first year digit
    expect(result).toMatchObject({ ok: true, value: { birthYear2: 85, belfiore: 'A562', omocodiaLevel: 1, canonical: 'RSSMRA85T10A562S' } });
  });

  it('de-omocodises the place of birth, including foreign ones', () => {
    const cf = computeCf({ cognome: 'Greco', nome: 'Sofia', dataNascita: day('1988-10-31'), sesso: 'F', belfioreNascita: 'Z404' }, { omocodiaLevel: 3 });
    expect(cf.slice(11, 15)).toBe('ZQLQ');
    expect(parseCf(cf)).toMatchObject({ ok: true, value: { belfiore: 'Z404', birthDay: 31, sesso: 'F' } });
  });

  it('computes the same variant as omocodiaVariant', () => {
    for (let level = 0; level <= 7; level++) {
      expect(computeCf(ROSSI, { omocodiaLevel: level })).toBe(omocodiaVariant('RSSMRA85T10A562S', level));
    }
    expect(() => computeCf(ROSSI, { omocodiaLevel: 8 })).toThrow(RangeError);
  });
});

describe('surname and name codes', () => {
  const codeOf = { surname: surnameCode, name: nameCode };
  it.each<[keyof typeof codeOf, string, string]>([
    ['surname', 'Rossi', 'RSS'],
    ['surname', 'Bo', 'BOX'],
    ['surname', 'Fo', 'FOX'],
    ['surname', 'Ai', 'AIX'],
    ['surname', "D'Angelo", 'DNG'],
    ['surname', 'De Luca', 'DLC'],
    ['surname', "Dell'Acqua", 'DLL'],
    ['surname', 'Müller', 'MLL'],
    ['surname', 'Strauß', 'STR'],
    ['surname', 'Øberg', 'BRG'],
    ['surname', 'Rossi-Bianchi', 'RSS'],
    ['surname', '  rossi ', 'RSS'],
    ['surname', 'Aiello', 'LLA'],
    ['surname', 'Oe', 'OEX'],
    ['name', 'Mario', 'MRA'],
    ['name', 'Maria Grazia', 'MGR'],
    ['name', 'Gianfranco', 'GFR'],
    ['name', 'Giuseppe', 'GPP'],
    ['name', 'Nicolò', 'NCL'],
    ['name', 'Zoë', 'ZOE'],
    ['name', 'Anna', 'NNA'],
    ['name', 'Luca', 'LCU'],
    ['name', 'Pier Paolo', 'PPL'],
    ['name', 'Ai', 'AIX'],
    ['name', 'Jean-Baptiste', 'JBP'],
    ['name', 'Élodie', 'LDE'],
    ['name', 'Al', 'LAX'],
  ])('%s %s → %s', (part, typed, code) => {
    expect(codeOf[part](typed)).toBe(code);
  });

  it('reads names as letters only, accents and apostrophes off', () => {
    expect(lettersOf("Sant'Àngelo dell’Ìsola")).toBe('SANTANGELODELLISOLA');
    expect(lettersOf('Æsa Łukasz')).toBe('AESALUKASZ');
  });
});

describe('checkCoherence', () => {
  it('finds nothing to object to in matching data', () => {
    expect(checkCoherence('RSSMRA85T10A562S', ROSSI)).toEqual([]);
    expect(checkCoherence('rssmra85t10a562s', { ...ROSSI, cognome: 'ROSSI', nome: 'mario', belfioreNascita: 'a562' })).toEqual([]);
  });

  it('names each field that does not match', () => {
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, cognome: 'Verdi' })).toEqual(['cognome']);
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, cognome: 'Russo' })).toEqual([]); // same consonants: the code cannot tell
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, nome: 'Marco' })).toEqual(['nome']);
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, dataNascita: day('1985-12-11') })).toEqual(['dataNascita']);
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, dataNascita: day('1985-11-10') })).toEqual(['dataNascita']);
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, dataNascita: day('1986-12-10') })).toEqual(['dataNascita']);
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, sesso: 'F' })).toEqual(['sesso']);
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, belfioreNascita: 'H501' })).toEqual(['luogoNascita']);
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, belfioreNascita: 'Z404' })).toEqual(['luogoNascita']);
  });

  it('names several fields at once, in form order', () => {
    const wrong: PersonalData = { cognome: 'Bianchi', nome: 'Luca', dataNascita: day('1990-01-01'), sesso: 'F', belfioreNascita: 'F205' };
    expect(checkCoherence('RSSMRA85T10A562S', wrong)).toEqual(['cognome', 'nome', 'dataNascita', 'sesso', 'luogoNascita']);
  });

  it('matches the year on its last two digits', () => {
    expect(checkCoherence('RSSMRA85T10A562S', { ...ROSSI, dataNascita: day('1885-12-10') })).toEqual([]);
  });

  it('reports the place when the comune did not exist on the date of birth', () => {
    // The code is well formed and the data produce it, but Solbiate ended in 2018 and Colceresa began in 2019.
    const lateSolbiate: PersonalData = { cognome: 'Colombo', nome: 'Luca', dataNascita: day('2019-06-01'), sesso: 'M', belfioreNascita: 'I792' };
    expect(checkCoherence(computeCf(lateSolbiate), lateSolbiate)).toEqual(['luogoNascita']);
    const earlyColceresa: PersonalData = { cognome: 'Mancini', nome: 'Dario', dataNascita: day('2010-05-05'), sesso: 'M', belfioreNascita: 'M426' };
    expect(checkCoherence(computeCf(earlyColceresa), earlyColceresa)).toEqual(['luogoNascita']);
    const sovietAfter1991: PersonalData = { cognome: 'Conti', nome: 'Ivan', dataNascita: day('1995-03-15'), sesso: 'M', belfioreNascita: 'Z135' };
    expect(checkCoherence(computeCf(sovietAfter1991), sovietAfter1991)).toEqual(['luogoNascita']);
    const unknownCode: PersonalData = { ...ROSSI, belfioreNascita: 'A000' };
    expect(checkCoherence(computeCf(unknownCode), unknownCode)).toEqual(['luogoNascita']);
  });

  it('accepts a parsed code and refuses an invalid one', () => {
    const parsed = parseCf('RSSMRA85T10A562S');
    if (!parsed.ok) throw new Error('fixture');
    expect(checkCoherence(parsed.value, ROSSI)).toEqual([]);
    expect(() => checkCoherence('RSSMRA85T10A562X', ROSSI)).toThrow(/checksum/);
  });
});

describe('computeCf', () => {
  it('computes the textbook example', () => {
    expect(computeCf(ROSSI)).toBe('RSSMRA85T10A562S');
  });

  it('refuses data it cannot encode', () => {
    expect(() => computeCf({ ...ROSSI, belfioreNascita: 'Roma' })).toThrow(RangeError);
    expect(() => computeCf({ ...ROSSI, dataNascita: new Date('not a date') })).toThrow(RangeError);
    expect(() => computeCf({ ...ROSSI, sesso: 'X' as Sesso })).toThrow(RangeError);
  });
});

/**
 * Realistic people (invented names) born in current comuni, in suppressed ones (Fiume, Pola,
 * Capodistria, Solbiate, Abetone), in comuni older than their province (Abbasanta, Aviano,
 * Agnone) and abroad, including states that no longer exist. The expected codes were
 * computed independently of this module (another implementation) and are kept as literals.
 */
const PEOPLE: ReadonlyArray<readonly [string, string, Sesso, string, string, string]> = [
  ['Rossi', 'Mario', 'M', '1985-12-10', 'A562', 'RSSMRA85T10A562S'],
  ['Bianchi', 'Maria Grazia', 'F', '1962-03-04', 'F205', 'BNCMGR62C44F205Q'],
  ["D'Angelo", 'Giuseppe', 'M', '1958-07-21', 'F839', 'DNGGPP58L21F839E'],
  ['De Luca', 'Anna', 'F', '1990-02-28', 'H501', 'DLCNNA90B68H501S'],
  ['Müller', 'Thomas', 'M', '1979-05-17', 'A952', 'MLLTMS79E17A952Q'],
  ['Ferrari', 'Nicolò', 'M', '2001-01-01', 'L219', 'FRRNCL01A01L219E'],
  ['Bo', 'Ai', 'F', '2000-02-29', 'D969', 'BOXAIX00B69D969E'],
  ['Esposito', 'Gianfranco', 'M', '1938-04-15', 'D620', 'SPSGFR38D15D620C'],
  ['Colombo', 'Luca', 'M', '1975-06-05', 'I792', 'CLMLCU75H05I792F'],
  ['Ricci', 'Chiara', 'F', '1992-08-19', 'A012', 'RCCCHR92M59A012V'],
  ['Marino', 'Francesco', 'M', '1942-09-09', 'G778', 'MRNFNC42P09G778K'],
  ['Fo', 'Ugo', 'M', '1926-03-24', 'B665', 'FOXGUO26C24B665U'],
  ['Greco', 'Sofia', 'F', '1988-10-31', 'Z404', 'GRCSFO88R71Z404L'],
  ['Schmid', 'Anna Lena', 'F', '1983-04-12', 'Z112', 'SCHNLN83D52Z112B'],
  ['Gallo', 'Zoë', 'F', '1995-12-25', 'Z133', 'GLLZOE95T65Z133I'], // ë counts as E
  ['Conti', 'Ivan', 'M', '1986-03-15', 'Z135', 'CNTVNI86C15Z135K'],
  ['Costa', 'Dragan', 'M', '1980-07-07', 'Z118', 'CSTDGN80L07Z118X'],
  ['Giordano', 'Ana', 'F', '1999-09-09', 'Z602', 'GRDNAA99P49Z602A'],
  ['Mancini', 'Dario', 'M', '2020-05-05', 'M426', 'MNCDRA20E05M426I'],
  ["Dell'Acqua", 'Pier Paolo', 'M', '1971-01-31', 'A007', 'DLLPPL71A31A007N'],
  ['Moretti', 'Ilaria', 'F', '1955-05-05', 'A516', 'MRTLRI55E45A516T'],
  ['Barbieri', 'Giovanni', 'M', '1969-02-14', 'A080', 'BRBGNN69B14A080W'],
];

describe('realistic people', () => {
  it.each(PEOPLE)('%s %s', (cognome, nome, sesso, born, belfiore, expected) => {
    const data: PersonalData = { cognome, nome, sesso, dataNascita: day(born), belfioreNascita: belfiore };
    expect(computeCf(data)).toBe(expected);
    const parsed = parseCf(expected);
    expect(parsed).toMatchObject({ ok: true, value: { belfiore, sesso, omocodiaLevel: 0 } });
    expect(belfioreValidAt(belfiore, data.dataNascita)).toBe(true);
    expect(checkCoherence(expected, data)).toEqual([]);
    expect(checkCoherence(omocodiaVariant(expected, 2), data)).toEqual([]);
  });
});

describe('properties', () => {
  const places = loadGeoData().comuni.filter((c) => c.validTo === null && c.validFrom <= '1900-01-01');
  const person = fc.record({
    cognome: fc.stringMatching(/^[A-Za-zÀÈÉÌÒÙàèéìòù' ]{1,20}$/),
    nome: fc.stringMatching(/^[A-Za-zÀÈÉÌÒÙàèéìòù' ]{1,20}$/),
    dataNascita: fc.date({ min: day('1900-01-01'), max: day('2025-12-31'), noInvalidDate: true }).map((d) => day(d.toISOString().slice(0, 10))),
    sesso: fc.constantFrom<Sesso>('M', 'F'),
    belfioreNascita: fc.constantFrom(...places.map((c) => c.belfiore)),
  });

  it('parses what it computes, with every omocodia level, and finds it coherent', () => {
    fc.assert(
      fc.property(person, fc.integer({ min: 0, max: 7 }), (data, level) => {
        const cf = computeCf(data, { omocodiaLevel: level });
        const parsed = parseCf(cf);
        expect(parsed.ok).toBe(true);
        expect(checkCoherence(cf, data)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('detects any single changed character', () => {
    const allowed = (i: number): string =>
      [6, 7, 9, 10, 12, 13, 14].includes(i) ? '0123456789LMNPQRSTUV' : i === 8 ? 'ABCDEHLMPRST' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    fc.assert(
      fc.property(person, fc.integer({ min: 0, max: 15 }), fc.nat(), (data, position, pick) => {
        const cf = computeCf(data);
        const choices = allowed(position).replace(cf.charAt(position), '');
        const mutated = cf.slice(0, position) + choices.charAt(pick % choices.length) + cf.slice(position + 1);
        expect(parseCf(mutated).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
