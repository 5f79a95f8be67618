import { computeCf } from '../../src/domain/codice-fiscale/index.js';

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
  const birth: Record<string, string> = p.provinciaNascita === 'EE' ? { provinciaNascita: 'EE', statoNascita: p.luogo } : { provinciaNascita: p.provinciaNascita, comuneNascita: p.luogo };
  return {
    codiceFiscale: cfOf(p),
    residenza: 'paeseResidenza' in residence ? 'EE' : 'IT',
    form: { cognome: p.cognome, nome: p.nome, dataNascita: p.nascita, sesso: p.sesso, ...birth, ...residence, telefonoPreferenziale: 'cellulare', orarioPreferenziale: '9-13', ...contacts },
  };
}

let counter = 0;
/** A distinct birth day in the given year for each call, so each call gives a new codice fiscale. */
function uniqueBirth(year: number): string {
  counter++;
  const day = 1 + (counter % 28);
  const month = 1 + (Math.floor(counter / 28) % 12);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year + Math.floor(counter / 336)}`;
}

/** Born in a current comune, living in Pisa. */
export function italianCitizen(overrides: Partial<Person> = {}): FormCitizen {
  return person(
    { cognome: 'VERDI', nome: 'GIUSEPPE', nascita: uniqueBirth(1973), sesso: 'M', provinciaNascita: 'PI', luogo: 'A562', ...overrides },
    { indirizzo: 'Via Roma', numeroCivico: '12/B', provinciaResidenza: 'PI', comuneResidenza: 'G702', cap: '56125' },
    { cellulare: '333 1234567', email: 'giuseppe.verdi@example.org' },
  );
}

/** Born abroad (Germany), living in Milano, with a PEC instead of an email. */
export function bornAbroadCitizen(): FormCitizen {
  return person(
    { cognome: 'MÜLLER', nome: 'ANNA', nascita: uniqueBirth(1990), sesso: 'F', provinciaNascita: 'EE', luogo: 'Z112' },
    { indirizzo: 'Corso Buenos Aires', numeroCivico: '5', provinciaResidenza: 'MI', comuneResidenza: 'F205', cap: '20124' },
    { cellulare: '+39 347 7654321', pec: 'anna.muller@pec.example.it' },
  );
}

/** Born in Acquacanina (MC), a comune suppressed at the end of 2016. */
export function suppressedComuneCitizen(): FormCitizen {
  return person(
    { cognome: 'BIANCHI', nome: 'MARIA', nascita: uniqueBirth(1958), sesso: 'F', provinciaNascita: 'MC', luogo: 'A031' },
    { indirizzo: 'Via del Corso', numeroCivico: '100', provinciaResidenza: 'RM', comuneResidenza: 'H501', cap: '00186' },
    { telefonoAbitazione: '06 1234567', cellulare: '320 1112223', email: 'maria.bianchi@example.org' },
  );
}

/** Resident of the province of Bolzano: the letter is in Italian and German. */
export function bolzanoCitizen(): FormCitizen {
  return person(
    { cognome: 'GRUBER', nome: 'LUKAS', nascita: uniqueBirth(1980), sesso: 'M', provinciaNascita: 'BZ', luogo: 'F132' },
    { indirizzo: 'Via della Mostra', numeroCivico: '4', provinciaResidenza: 'BZ', comuneResidenza: 'A952', cap: '39100' },
    { cellulare: '348 9876543', email: 'lukas.gruber@example.org' },
  );
}

/** Lives abroad (Switzerland). */
export function residentAbroadCitizen(): FormCitizen {
  return person(
    { cognome: 'ESPOSITO', nome: 'LUCA', nascita: uniqueBirth(1985), sesso: 'M', provinciaNascita: 'RM', luogo: 'H501' },
    { paeseResidenza: 'Z133', cittaResidenza: 'Zürich', indirizzoEstero: 'Bahnhofstrasse 1', codicePostale: '8001' },
    { cellulare: '+39 340 1239876', telefonoAbitazione: '+41 44 123 45 67', email: 'luca.esposito@example.ch' },
  );
}
