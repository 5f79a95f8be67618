import type { Kysely } from 'kysely';
import { normalizeCf, parseCf } from '../domain/codice-fiscale/index.js';
import { type CsvFormat, type CsvInput, type CsvProgress, inBatches, readCsv } from '../domain/csv.js';
import { checkIban } from '../domain/iban.js';
import type { Database } from '../db/schema.js';

/**
 * R21: whether an IBAN belongs to (or is co-held by) a codice fiscale. In production the
 * national "Check IBAN" service of PagoPA answers; by default the `iban_holders` table loaded
 * with `varco import iban`. 'unknown' (no answer, service down) is never taken for yes.
 */
export interface IbanHolderCheck {
  check(iban: string, codiceFiscale: string): Promise<'yes' | 'no' | 'unknown'>;
  /** True when the answer is the `iban_holders` table: the submission then reads it in its own statement. */
  readonly inDatabase?: boolean;
}

export function tableIbanHolderCheck(db: Kysely<Database>): IbanHolderCheck {
  return {
    inDatabase: true,
    async check(iban, codiceFiscale) {
      const holders = await db.selectFrom('iban_holders').select('codice_fiscale').where('iban', '=', iban).execute();
      if (holders.length === 0) return 'unknown';
      return holders.some((h) => h.codice_fiscale === codiceFiscale) ? 'yes' : 'no';
    },
  };
}

export interface IbanImportReport {
  imported: number;
  rejected: { line: number; reason: string }[];
}

/**
 * The holders' CSV (docs/indennita.md): `iban;codice_fiscale`, an optional header line; a file
 * whose header uses ',' is read with ','. A joint account has one line per holder.
 */
export const IBAN_HOLDERS_CSV: CsvFormat = { separator: ';', headerSeparator: ',', isHeader: (l) => /iban/i.test(l) && /codice/i.test(l), columns: 2 };

/** `varco import iban FILE.csv`: streamed and written in batches; bad lines are reported with their number. */
export async function importIbanHolders(db: Kysely<Database>, input: CsvInput, progress?: (p: CsvProgress) => void): Promise<IbanImportReport> {
  const rejected: IbanImportReport['rejected'] = [];
  async function* valid() {
    for await (const { line, cells } of readCsv(input, { ...IBAN_HOLDERS_CSV, rejected, progress })) {
      const [ibanRaw = '', cfRaw = ''] = cells;
      const iban = checkIban(ibanRaw);
      const cf = normalizeCf(cfRaw);
      if (!iban.ok) rejected.push({ line, reason: `IBAN non valido (${iban.error}): ${ibanRaw}` });
      else if (!parseCf(cf).ok) rejected.push({ line, reason: `codice fiscale non valido: ${cfRaw}` });
      else yield { iban: iban.iban, codice_fiscale: cf };
    }
  }
  const imported = await inBatches(valid(), 1000, (slice) =>
    db
      .insertInto('iban_holders')
      .values(slice)
      .onConflict((oc) => oc.columns(['iban', 'codice_fiscale']).doNothing())
      .execute(),
  );
  return { imported, rejected };
}
