import type { Insertable } from 'kysely';
import { computeCf } from '../../src/domain/codice-fiscale/index.js';
import type { ResidenzeTable } from '../../src/db/schema.js';

/** A citizen as typed into the request form (R2), with a codice fiscale computed from the data. */
export interface FormCitizen {
  codiceFiscale: string;
  residenza: 'IT' | 'EE';
  form: Record<string, string>;
}

interface Person {
  cognome: string;
  nome: string;
  /** GG/MM/AAAA */
  nascita: string;
  sesso: 'M' | 'F';
  provinciaNascita: string;
  /** Belfiore of the comune, or Z code when provinciaNascita is 'EE'. */
  luogo: string;
}

function cfOf(p: Person): string {
  const [d, m, y] = p.nascita.split('/').map(Number) as [number, number, number];
  return computeCf({ cognome: p.cognome, nome: p.nome, dataNascita: new Date(Date.UTC(y, m - 1, d)), sesso: p.sesso, belfioreNascita: p.luogo });
}

function person(p: Person, residence: Record<string, string>, contacts: Record<string, string>): FormCitizen {
  const birth: Record<string, string> =
    p.provinciaNascita === 'EE' ? { provinciaNascita: 'EE', statoNascita: p.luogo } : { provinciaNascita: p.provinciaNascita, comuneNascita: p.luogo };
  return {
    codiceFiscale: cfOf(p),
    residenza: 'paeseResidenza' in residence ? 'EE' : 'IT',
    form: {
      cognome: p.cognome,
      nome: p.nome,
      dataNascita: p.nascita,
      sesso: p.sesso,
      ...birth,
      ...residence,
      telefonoPreferenziale: 'cellulare',
      orarioPreferenziale: '9-13',
      ...contacts,
    },
  };
}

let counter = 0;
/** A distinct birth day in the given year for the n-th citizen, so each one has a new codice fiscale. */
function birthOf(n: number, year: number): string {
  const day = 1 + (n % 28);
  const month = 1 + (Math.floor(n / 28) % 12);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year + Math.floor(n / 336)}`;
}

type Fixture = { person: Omit<Person, 'nascita'>; year: number; residence: Record<string, string>; contacts: Record<string, string> };

const FIXTURES = {
  /** Born in a current comune, living in Pisa. */
  italian: {
    person: { cognome: 'VERDI', nome: 'GIUSEPPE', sesso: 'M', provinciaNascita: 'PI', luogo: 'A562' },
    year: 1973,
    residence: { indirizzo: 'Via Roma', numeroCivico: '12/B', provinciaResidenza: 'PI', comuneResidenza: 'G702', cap: '56125' },
    contacts: { cellulare: '333 1234567', email: 'giuseppe.verdi@example.org' },
  },
  /** Born abroad (Germany), living in Milano, with a PEC instead of an email. */
  bornAbroad: {
    person: { cognome: 'MÜLLER', nome: 'ANNA', sesso: 'F', provinciaNascita: 'EE', luogo: 'Z112' },
    year: 1990,
    residence: { indirizzo: 'Corso Buenos Aires', numeroCivico: '5', provinciaResidenza: 'MI', comuneResidenza: 'F205', cap: '20124' },
    contacts: { cellulare: '+39 347 7654321', pec: 'anna.muller@pec.example.it' },
  },
  /** Born in Acquacanina (MC), a comune suppressed at the end of 2016. */
  suppressedComune: {
    person: { cognome: 'BIANCHI', nome: 'MARIA', sesso: 'F', provinciaNascita: 'MC', luogo: 'A031' },
    year: 1958,
    residence: { indirizzo: 'Via del Corso', numeroCivico: '100', provinciaResidenza: 'RM', comuneResidenza: 'H501', cap: '00186' },
    contacts: { telefonoAbitazione: '06 1234567', cellulare: '320 1112223', email: 'maria.bianchi@example.org' },
  },
  /** Resident of the province of Bolzano: the letter is in Italian and German. */
  bolzano: {
    person: { cognome: 'GRUBER', nome: 'LUKAS', sesso: 'M', provinciaNascita: 'BZ', luogo: 'F132' },
    year: 1980,
    residence: { indirizzo: 'Via della Mostra', numeroCivico: '4', provinciaResidenza: 'BZ', comuneResidenza: 'A952', cap: '39100' },
    contacts: { cellulare: '348 9876543', email: 'lukas.gruber@example.org' },
  },
  /** Lives abroad (Switzerland). */
  residentAbroad: {
    person: { cognome: 'ESPOSITO', nome: 'LUCA', sesso: 'M', provinciaNascita: 'RM', luogo: 'H501' },
    year: 1985,
    residence: { paeseResidenza: 'Z133', cittaResidenza: 'Zürich', indirizzoEstero: 'Bahnhofstrasse 1', codicePostale: '8001' },
    contacts: { cellulare: '+39 340 1239876', telefonoAbitazione: '+41 44 123 45 67', email: 'luca.esposito@example.ch' },
  },
} satisfies Record<string, Fixture>;

function fixture(f: Fixture, n: number, overrides: Partial<Person> = {}): FormCitizen {
  return person({ ...f.person, nascita: birthOf(n, f.year), ...overrides } as Person, f.residence, f.contacts);
}

export function italianCitizen(overrides: Partial<Person> = {}): FormCitizen {
  return fixture(FIXTURES.italian, ++counter, overrides);
}

export function bornAbroadCitizen(): FormCitizen {
  return fixture(FIXTURES.bornAbroad, ++counter);
}

export function suppressedComuneCitizen(): FormCitizen {
  return fixture(FIXTURES.suppressedComune, ++counter);
}

export function bolzanoCitizen(): FormCitizen {
  return fixture(FIXTURES.bolzano, ++counter);
}

export function residentAbroadCitizen(): FormCitizen {
  return fixture(FIXTURES.residentAbroad, ++counter);
}

/**
 * Issue 12 F1: the residence registry's rows (ANPR, AIRE) for the first `n` citizens each
 * fixture above can make, at the residence they type — so journeys run with
 * VARCO_RESIDENCE_REGISTRY=table. Rows of `varco import residenze`.
 */
export function fixtureResidences(n = 400): Insertable<ResidenzeTable>[] {
  const rows: Insertable<ResidenzeTable>[] = [];
  for (let i = 1; i <= n; i++) {
    for (const f of Object.values(FIXTURES) as Fixture[]) {
      const c = fixture(f, i);
      const r = f.residence;
      rows.push(
        r.paeseResidenza
          ? {
              codice_fiscale: c.codiceFiscale,
              tipo: 'AIRE' as const,
              indirizzo: r.indirizzoEstero!,
              comune: null,
              cap: null,
              provincia: null,
              paese: r.paeseResidenza,
              citta: r.cittaResidenza!,
              codice_postale: r.codicePostale!,
            }
          : {
              codice_fiscale: c.codiceFiscale,
              tipo: 'ANPR' as const,
              indirizzo: `${r.indirizzo} ${r.numeroCivico}`,
              comune: r.comuneResidenza!,
              cap: r.cap!,
              provincia: r.provinciaResidenza!,
              paese: null,
              citta: null,
              codice_postale: null,
            },
      );
    }
  }
  return rows;
}
