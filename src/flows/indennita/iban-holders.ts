import type { Kysely } from 'kysely';
import { normalizeCf, parseCf } from '../../domain/codice-fiscale/index.js';
import { checkIban } from '../../domain/iban.js';
import type { Database } from '../../db/schema.js';

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
 * `varco import iban FILE.csv`: one holder per line, `iban;codice_fiscale` (comma accepted, a
 * header line skipped); a joint account has one line per holder. Bad lines are reported.
 */
export async function importIbanHolders(db: Kysely<Database>, csv: string, progress?: (done: number, total: number) => void): Promise<IbanImportReport> {
  const rejected: IbanImportReport['rejected'] = [];
  const valid = new Map<string, { iban: string; codice_fiscale: string }>();
  csv.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || (i === 0 && /iban/i.test(line) && /codice/i.test(line))) return;
    const [ibanRaw = '', cfRaw = ''] = line.split(/[;,]/).map((c) => c.trim().replace(/^"|"$/g, ''));
    const iban = checkIban(ibanRaw);
    const cf = normalizeCf(cfRaw);
    if (!iban.ok) rejected.push({ line: i + 1, reason: `IBAN non valido (${iban.error}): ${ibanRaw}` });
    else if (!parseCf(cf).ok) rejected.push({ line: i + 1, reason: `codice fiscale non valido: ${cfRaw}` });
    else valid.set(`${iban.iban}:${cf}`, { iban: iban.iban, codice_fiscale: cf });
  });
  const rows = [...valid.values()];
  for (let k = 0; k < rows.length; k += 1000) {
    await db.insertInto('iban_holders').values(rows.slice(k, k + 1000)).onConflict((oc) => oc.columns(['iban', 'codice_fiscale']).doNothing()).execute();
    progress?.(Math.min(k + 1000, rows.length), rows.length);
  }
  return { imported: rows.length, rejected };
}
