import type { Insertable, Kysely } from 'kysely';
import { normalizeCf, parseCf } from '../domain/codice-fiscale/index.js';
import { parseItalianDate } from '../domain/contacts.js';
import { type CsvFormat, type CsvInput, type CsvProgress, inBatches, readCsv } from '../domain/csv.js';
import { findByBelfiore, findCountry, findProvince } from '../domain/geo/index.js';
import type { Database, Residenza, ResidenzeTable } from '../db/schema.js';
import type { PostalAddress } from '../outbox/outbox.js';

/**
 * Issue 12 F1: the authoritative residence of a codice fiscale, as ANPR (residents in Italy) or
 * AIRE (Italians registered abroad) hold it. Contract: docs/residence-registry.md.
 */
export type ResidenceRecord =
  | {
      tipo: 'ANPR';
      codiceFiscale: string;
      /** Street and number as the registry writes them: "Via Roma, 12". */
      indirizzo: string;
      /** Belfiore code of the comune of residence. */
      comune: string;
      cap: string;
      provincia: string;
      validFrom: string | null;
      validTo: string | null;
    }
  | {
      tipo: 'AIRE';
      codiceFiscale: string;
      /** The foreign address lines, street first. */
      righe: string[];
      citta: string;
      codicePostale: string | null;
      /** Z code of the country. */
      paese: string;
      /** Belfiore code of the comune of AIRE registration, when known. */
      comune: string | null;
      validFrom: string | null;
      validTo: string | null;
    };

/**
 * Where a residence is looked up. `lookup` answers the residence valid on `at`, or null when
 * the registry holds none for that CF; a registry that cannot answer throws (the citizen gets
 * an error page and nothing is written) — it never answers null for "I do not know".
 */
export interface ResidenceRegistry {
  lookup(codiceFiscale: string, at: Date): Promise<ResidenceRecord | null>;
}

/**
 * VARCO_RESIDENCE_REGISTRY: `table` (the letter goes to the registry's residence) or `typed`
 * (development only: the letter goes where the citizen typed, so `npm start` walks with no registry).
 */
export type ResidenceMode = 'table' | 'typed';

export interface ResidenceDeps {
  mode: ResidenceMode;
  registry: ResidenceRegistry;
}

export function tableResidenceRegistry(db: Kysely<Database>): ResidenceRegistry {
  return {
    async lookup(codiceFiscale, at) {
      const day = at.toISOString().slice(0, 10);
      const row = await db.selectFrom('residenze').selectAll().where('codice_fiscale', '=', codiceFiscale).executeTakeFirst();
      if (!row) return null;
      if ((row.valid_from && row.valid_from > day) || (row.valid_to && row.valid_to < day)) return null;
      // The table's check constraints hold these columns for each tipo; a row without them is a broken registry.
      if (row.tipo === 'ANPR') {
        if (row.comune === null || row.cap === null || row.provincia === null)
          throw new Error(`residenze: ANPR row without comune, cap or provincia (${codiceFiscale})`);
        return {
          tipo: 'ANPR',
          codiceFiscale,
          indirizzo: row.indirizzo,
          comune: row.comune,
          cap: row.cap,
          provincia: row.provincia,
          validFrom: row.valid_from,
          validTo: row.valid_to,
        };
      }
      if (row.citta === null || row.paese === null) throw new Error(`residenze: AIRE row without paese or citta (${codiceFiscale})`);
      return {
        tipo: 'AIRE',
        codiceFiscale,
        righe: row.indirizzo.split('\n'),
        citta: row.citta,
        codicePostale: row.codice_postale,
        paese: row.paese,
        comune: row.comune,
        validFrom: row.valid_from,
        validTo: row.valid_to,
      };
    },
  };
}

/** The envelope's address for a registry residence. */
export function registryAddress(name: string, r: ResidenceRecord): PostalAddress {
  if (r.tipo === 'ANPR') {
    const comune = findByBelfiore(r.comune);
    return { name, lines: [r.indirizzo, `${r.cap} ${comune?.name.toUpperCase() ?? r.comune} (${r.provincia})`], provincia: r.provincia, country: null };
  }
  const country = findCountry(r.paese);
  return {
    name,
    lines: [...r.righe, `${r.codicePostale ? `${r.codicePostale} ` : ''}${r.citta.toUpperCase()}`, (country?.name ?? r.paese).toUpperCase()],
    provincia: null,
    country: r.paese,
  };
}

/** The envelope's address for a typed residence (VARCO_RESIDENCE_REGISTRY=typed only). */
export function typedAddress(name: string, r: Residenza): PostalAddress {
  if (r.tipo === 'IT') {
    const comune = findByBelfiore(r.comune);
    return {
      name,
      lines: [`${r.indirizzo} ${r.numeroCivico}`, `${r.cap} ${comune?.name.toUpperCase() ?? ''} (${r.provincia})`],
      provincia: r.provincia,
      country: null,
    };
  }
  const country = findCountry(r.paese);
  return {
    name,
    lines: [r.indirizzo, `${r.codicePostale} ${r.citta.toUpperCase()}`, (country?.name ?? r.paese).toUpperCase()],
    provincia: null,
    country: r.paese,
  };
}

/** R6 (issue 12): the comune typed with the request (the country, abroad) is the registry's. */
export function sameComune(typed: Residenza | null, r: ResidenceRecord | null): boolean {
  if (!typed || !r) return false;
  if (typed.tipo === 'IT') return r.tipo === 'ANPR' && r.comune === typed.comune;
  return r.tipo === 'AIRE' && r.paese === typed.paese;
}

export interface ResidenceImportReport {
  imported: number;
  rejected: { line: number; reason: string }[];
}

type ResidenceRow = Insertable<ResidenzeTable>;

function isoDate(raw: string): string | null | undefined {
  if (!raw) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return parseItalianDate(raw.split('-').reverse().join('/')) ? raw : undefined;
  return parseItalianDate(raw);
}

/**
 * `varco import residenze FILE.csv`: one residence per line, separated by ';' only (addresses
 * hold commas: "Via Roma, 12"), a header line skipped —
 * `codice_fiscale;tipo;indirizzo;comune;cap;provincia;paese;citta;codice_postale;valido_dal;valido_al`.
 * ANPR rows need indirizzo, comune (Belfiore), cap and provincia; AIRE rows need indirizzo (lines
 * separated by '|'), paese (Z code) and citta. Valid rows replace the residence on record for
 * their CF; invalid rows are reported with their line number.
 */
/** The registry's CSV: ';' only (addresses hold commas), up to 11 columns, an optional header line. */
export const RESIDENZE_CSV: CsvFormat = { separator: ';', isHeader: (l) => /codice/i.test(l), columns: { min: 6, max: 11 } };

export async function importResidenze(db: Kysely<Database>, input: CsvInput, progress?: (p: CsvProgress) => void): Promise<ResidenceImportReport> {
  const rejected: ResidenceImportReport['rejected'] = [];
  async function* valid(): AsyncGenerator<ResidenceRow> {
    for await (const { line, cells } of readCsv(input, { ...RESIDENZE_CSV, rejected, progress })) {
      const [
        cfRaw = '',
        tipoRaw = '',
        indirizzo = '',
        comuneRaw = '',
        cap = '',
        provinciaRaw = '',
        paeseRaw = '',
        citta = '',
        codicePostale = '',
        fromRaw = '',
        toRaw = '',
      ] = cells;
      const cf = normalizeCf(cfRaw);
      const tipo = tipoRaw.toUpperCase();
      const comune = comuneRaw.toUpperCase();
      const provincia = provinciaRaw.toUpperCase();
      const paese = paeseRaw.toUpperCase();
      const validFrom = isoDate(fromRaw);
      const validTo = isoDate(toRaw);
      const found = comune ? findByBelfiore(comune) : undefined;
      const reject = (reason: string) => rejected.push({ line, reason });
      if (!parseCf(cf).ok) reject(`codice fiscale non valido: ${cfRaw}`);
      else if (tipo !== 'ANPR' && tipo !== 'AIRE') reject(`tipo non valido (ANPR o AIRE): ${tipoRaw}`);
      else if (!indirizzo || indirizzo.length > 200) reject('indirizzo mancante o troppo lungo');
      else if (validFrom === undefined) reject(`data di inizio non valida: ${fromRaw}`);
      else if (validTo === undefined) reject(`data di fine non valida: ${toRaw}`);
      else if (validFrom && validTo && validTo < validFrom) reject('la data di fine precede quella di inizio');
      else if (comune && !found) reject(`comune sconosciuto (codice catastale): ${comuneRaw}`);
      else if (tipo === 'ANPR' && !found) reject('comune di residenza mancante');
      else if (tipo === 'ANPR' && (!findProvince(provincia) || found?.provincia !== provincia)) reject(`provincia non valida per il comune: ${provinciaRaw}`);
      else if (tipo === 'ANPR' && !/^\d{5}$/.test(cap)) reject(`CAP non valido: ${cap}`);
      else if (tipo === 'AIRE' && !findCountry(paese)) reject(`paese sconosciuto (codice Z): ${paeseRaw}`);
      else if (tipo === 'AIRE' && (!citta || citta.length > 60)) reject('città estera mancante');
      else if (tipo === 'AIRE' && codicePostale.length > 12) reject(`codice postale non valido: ${codicePostale}`);
      else {
        yield tipo === 'ANPR'
          ? {
              codice_fiscale: cf,
              tipo,
              indirizzo,
              comune,
              cap,
              provincia,
              paese: null,
              citta: null,
              codice_postale: null,
              valid_from: validFrom,
              valid_to: validTo,
            }
          : {
              codice_fiscale: cf,
              tipo,
              indirizzo: indirizzo
                .split('|')
                .map((s) => s.trim())
                .filter(Boolean)
                .join('\n'),
              comune: comune || null,
              cap: null,
              provincia: null,
              paese,
              citta,
              codice_postale: codicePostale || null,
              valid_from: validFrom,
              valid_to: validTo,
            };
      }
    }
  }
  const imported = await inBatches(valid(), 1000, (batch) =>
    db
      .insertInto('residenze')
      // One statement cannot update a row twice: within a batch, the last line for a CF wins.
      .values([...new Map(batch.map((v) => [v.codice_fiscale, v])).values()])
      .onConflict((oc) =>
        oc.column('codice_fiscale').doUpdateSet((eb) => ({
          tipo: eb.ref('excluded.tipo'),
          indirizzo: eb.ref('excluded.indirizzo'),
          comune: eb.ref('excluded.comune'),
          cap: eb.ref('excluded.cap'),
          provincia: eb.ref('excluded.provincia'),
          paese: eb.ref('excluded.paese'),
          citta: eb.ref('excluded.citta'),
          codice_postale: eb.ref('excluded.codice_postale'),
          valid_from: eb.ref('excluded.valid_from'),
          valid_to: eb.ref('excluded.valid_to'),
          imported_at: new Date(),
        })),
      )
      .execute(),
  );
  return { imported, rejected };
}
