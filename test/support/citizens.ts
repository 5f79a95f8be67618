import { readFileSync } from 'node:fs';
import type { Insertable } from 'kysely';
import { z } from 'zod';
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

const text = z.string().min(1);
const italianResidence = z.object({ indirizzo: text, numeroCivico: text, provinciaResidenza: text, comuneResidenza: text, cap: text }).strict();
const foreignResidence = z.object({ paeseResidenza: text, cittaResidenza: text, indirizzoEstero: text, codicePostale: text }).strict();
const fixtureSchema = z
  .object({
    about: text,
    person: z.object({ cognome: text, nome: text, sesso: z.enum(['M', 'F']), provinciaNascita: text, luogo: text }).strict(),
    year: z.number().int(),
    residence: z.union([italianResidence, foreignResidence]),
    contacts: z.record(z.string(), text),
  })
  .strict();
type Fixture = z.infer<typeof fixtureSchema>;

/** The test citizens: data in test/fixtures/citizens.json, checked here. */
const FIXTURES = z
  .object({ italian: fixtureSchema, bornAbroad: fixtureSchema, suppressedComune: fixtureSchema, bolzano: fixtureSchema, residentAbroad: fixtureSchema })
  .strict()
  .parse(JSON.parse(readFileSync(new URL('../fixtures/citizens.json', import.meta.url), 'utf8')));

function fixture(f: Fixture, n: number, overrides: Partial<Person> = {}): FormCitizen {
  return person({ ...f.person, nascita: birthOf(n, f.year), ...overrides }, f.residence, f.contacts);
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

type RegistryAddress = Omit<Insertable<ResidenzeTable>, 'codice_fiscale'>;
const NO_ADDRESS = { comune: null, cap: null, provincia: null, paese: null, citta: null, codice_postale: null } satisfies Partial<RegistryAddress>;

/** The registry's address for a typed residence: AIRE when it is abroad, ANPR otherwise. */
function registryAddress(r: Fixture['residence']): RegistryAddress {
  if ('paeseResidenza' in r) {
    return { ...NO_ADDRESS, tipo: 'AIRE', indirizzo: r.indirizzoEstero, paese: r.paeseResidenza, citta: r.cittaResidenza, codice_postale: r.codicePostale };
  }
  return { ...NO_ADDRESS, tipo: 'ANPR', indirizzo: `${r.indirizzo} ${r.numeroCivico}`, comune: r.comuneResidenza, cap: r.cap, provincia: r.provinciaResidenza };
}

/**
 * Issue 12 F1: the residence registry's rows (ANPR, AIRE) for the first `n` citizens each
 * fixture above can make, at the residence they type — so journeys run with
 * VARCO_RESIDENCE_REGISTRY=table. Rows of `varco import residenze`.
 */
export function fixtureResidences(n = 400): Insertable<ResidenzeTable>[] {
  const rows: Insertable<ResidenzeTable>[] = [];
  for (let i = 1; i <= n; i++) {
    for (const f of Object.values(FIXTURES)) {
      rows.push({ codice_fiscale: fixture(f, i).codiceFiscale, ...registryAddress(f.residence) });
    }
  }
  return rows;
}
