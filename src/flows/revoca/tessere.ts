import type { Kysely } from 'kysely';
import { normalizeCf, parseCf } from '../../domain/codice-fiscale/index.js';
import { parseItalianDate } from '../../domain/contacts.js';
import { type CsvFormat, type CsvInput, type CsvProgress, inBatches, readCsv } from '../../domain/csv.js';
import type { Database } from '../../db/schema.js';

/**
 * R14: where a tessera sanitaria is checked. Contract (docs/tessera-registry.md): `matches`
 * answers true only when the card with that number and expiry belongs to that codice fiscale;
 * it never says which part disagreed. The default reads the `tessere_sanitarie` table loaded by
 * `varco import tessere`; a production deployment may plug in the national service instead.
 */
export interface TesseraRegistry {
  matches(codiceFiscale: string, numero: string, scadenza: string): Promise<boolean>;
}

export function tableTesseraRegistry(db: Kysely<Database>): TesseraRegistry {
  return {
    async matches(codiceFiscale, numero, scadenza) {
      const row = await db.selectFrom('tessere_sanitarie').select(['numero', 'scadenza']).where('codice_fiscale', '=', codiceFiscale).executeTakeFirst();
      return row !== undefined && row.numero === numero && row.scadenza === scadenza;
    },
  };
}

/** The card number printed on the tessera sanitaria: 20 digits. */
export function normalizeNumeroTessera(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{20}$/.test(digits) ? digits : undefined;
}

export interface ImportReport {
  imported: number;
  rejected: { line: number; reason: string }[];
}

/**
 * The registry's CSV (docs/tessera-registry.md): `codice_fiscale;numero_tessera;scadenza`, an
 * optional header line; a file whose header uses ',' is read with ','.
 */
export const TESSERE_CSV: CsvFormat = { separator: ';', headerSeparator: ',', isHeader: (l) => /codice/i.test(l), columns: 3 };

/**
 * `varco import tessere FILE.csv`: one card per line (scadenza as YYYY-MM-DD or GG/MM/AAAA).
 * Valid rows replace the card on record for that CF (a later line for the same CF wins); invalid
 * rows are reported with their line number. The file is streamed and written in batches.
 */
export async function importTessere(db: Kysely<Database>, input: CsvInput, progress?: (p: CsvProgress) => void): Promise<ImportReport> {
  const rejected: ImportReport['rejected'] = [];
  async function* valid() {
    for await (const { line, cells } of readCsv(input, { ...TESSERE_CSV, rejected, progress })) {
      const [cfRaw = '', numRaw = '', dateRaw = ''] = cells;
      const cf = normalizeCf(cfRaw);
      const numero = normalizeNumeroTessera(numRaw);
      const scadenza = /^\d{4}-\d{2}-\d{2}$/.test(dateRaw) && parseItalianDate(dateRaw.split('-').reverse().join('/')) ? dateRaw : parseItalianDate(dateRaw);
      if (!parseCf(cf).ok) rejected.push({ line, reason: `codice fiscale non valido: ${cfRaw}` });
      else if (!numero) rejected.push({ line, reason: `numero tessera non valido (20 cifre): ${numRaw}` });
      else if (!scadenza) rejected.push({ line, reason: `scadenza non valida: ${dateRaw}` });
      else yield { codice_fiscale: cf, numero, scadenza };
    }
  }
  const imported = await inBatches(valid(), 1000, (batch) =>
    db
      .insertInto('tessere_sanitarie')
      // One statement cannot update a row twice: within a batch, the last line for a CF wins.
      .values([...new Map(batch.map((v) => [v.codice_fiscale, v])).values()])
      .onConflict((oc) =>
        oc
          .column('codice_fiscale')
          .doUpdateSet((eb) => ({ numero: eb.ref('excluded.numero'), scadenza: eb.ref('excluded.scadenza'), imported_at: new Date() })),
      )
      .execute(),
  );
  return { imported, rejected };
}
