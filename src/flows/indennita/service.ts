import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { audit, auditValues, type AuditContext } from '../../audit/events.js';
import type { CovidState, Database } from '../../db/schema.js';
import { type CsvFormat, type CsvInput, type CsvProgress, readCsv } from '../../domain/csv.js';
import { enqueue } from '../../outbox/outbox.js';
import { hasControlChars } from '../../ui/validators.js';
import type { CategoryDefinition, CategoryValues } from './categories.js';
import type { IbanHolderCheck } from '../../adapters/iban-holders.js';
import { columns } from '../../db/columns.js';

export interface IndennitaDeps {
  db: Kysely<Database>;
  box: import('../../security/secret-box.js').SecretBox;
  ibanHolders: IbanHolderCheck;
  nextProtocol: () => Promise<string>;
  now: () => Date;
}

export type SubmitResult = { ok: true; id: string; protocollo: string; stato: CovidState } | { ok: false; existing: string; existingCategoria: string };

/** Is this the unique index of art. 31 (one application per person and group) refusing a second one? */
function isExclusion(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== '23505') return false;
  const constraint = 'constraint' in error ? error.constraint : undefined;
  const message = 'message' in error ? error.message : undefined;
  return /citizen_id_gruppo/.test(String(constraint ?? message));
}

/**
 * R21: one application in one statement (so one round trip, atomic without BEGIN/COMMIT; the
 * function `varco_submit_covid` of migration 0013): the count of distinct applicants of the IBAN
 * (its row lock serialises applications naming the same IBAN), the application under its
 * protocol number, and its audit record. The art. 31
 * exclusion is a unique index per person and group: a second application, even sent at the same
 * instant, fails the whole statement — nothing of it stays — and is answered with the first
 * one's protocol number.
 */
export async function submitApplication(
  deps: IndennitaDeps,
  applicant: { citizenId: string; codiceFiscale: string },
  def: CategoryDefinition,
  v: CategoryValues,
  iban: string,
  ctx: AuditContext,
): Promise<SubmitResult> {
  // A remote holder check is asked before writing, never inside a transaction; the default
  // registry table is read by the submission's own statement.
  const holder = deps.ibanHolders.inDatabase ? 'table' : await deps.ibanHolders.check(iban, applicant.codiceFiscale);
  const now = deps.now();
  const id = randomUUID();
  const protocollo = await deps.nextProtocol();
  let stato: CovidState;
  try {
    const row = auditValues('covid.domanda_inviata', ctx, applicant.codiceFiscale, { protocollo, categoria: def.id });
    // One call, one cached plan (migration 0013): IBAN counter, application and audit record together.
    const { rows } = await sql<{ stato: CovidState }>`select varco_submit_covid(
      ${id}, ${protocollo}, ${applicant.citizenId}, ${applicant.codiceFiscale}, ${def.id}, ${def.group}, ${JSON.stringify({ campi: v.values, dichiarazioni: v.declarations })}::jsonb, ${iban},
      ${v.amountCents}, ${holder}, ${now}::timestamptz,
      ${row.event}, ${row.actor}, ${row.ip}, ${row.channel}, ${row.details}::jsonb) as stato`.execute(deps.db);
    const answer = rows[0];
    if (!answer) throw new Error('varco_submit_covid answered no row');
    stato = answer.stato;
  } catch (error) {
    if (!isExclusion(error)) throw error;
    const existing = await deps.db
      .selectFrom('covid_applications')
      .select(['protocollo', 'categoria'])
      .where('citizen_id', '=', applicant.citizenId)
      .where('gruppo', '=', def.group)
      .executeTakeFirstOrThrow();
    await audit.covidRefused(deps.db, ctx, applicant.codiceFiscale, { categoria: def.id, reason: def.group, existing: existing.protocollo });
    return { ok: false, existing: existing.protocollo, existingCategoria: existing.categoria };
  }
  return { ok: true, id, protocollo, stato };
}

/**
 * Worker task: applications still `in_verifica` are asked again (at most every `everyMinutes`);
 * when the holder check answers yes they move on to `in_istruttoria`.
 */
export async function recheckIbans(deps: Pick<IndennitaDeps, 'db' | 'ibanHolders' | 'now'>, o: { everyMinutes: number; limit?: number }): Promise<number> {
  const now = deps.now();
  const due = await deps.db
    .selectFrom('covid_applications')
    .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
    .select(['covid_applications.id', 'covid_applications.iban', 'covid_applications.protocollo', 'citizens.codice_fiscale'])
    .where('covid_applications.stato', '=', 'in_verifica')
    .where('covid_applications.iban_checked_at', '<', new Date(now.getTime() - o.everyMinutes * 60_000))
    .orderBy('covid_applications.iban_checked_at')
    .limit(o.limit ?? 100)
    .execute();
  let verified = 0;
  for (const a of due) {
    const answer = await deps.ibanHolders.check(a.iban, a.codice_fiscale);
    await deps.db.transaction().execute(async (trx) => {
      if (answer === 'yes') {
        const moved = await trx
          .updateTable('covid_applications')
          .set({ stato: 'in_istruttoria', iban_verified_at: now, iban_checked_at: now, updated_at: now })
          .where('id', '=', a.id)
          .where('stato', '=', 'in_verifica')
          .returning('id')
          .executeTakeFirst();
        if (moved) {
          verified++;
          await audit.covidIbanVerified(trx, { actor: 'system:worker' }, a.codice_fiscale, { protocollo: a.protocollo });
        }
      } else await trx.updateTable('covid_applications').set({ iban_checked_at: now }).where('id', '=', a.id).execute();
    });
  }
  return verified;
}

export type OutcomeResult = { ok: true } | { ok: false; reason: 'not_found' | 'final' | 'not_verified' };

/**
 * An operator's (or `varco domande esiti`') outcome: `accolta` only once the IBAN is verified,
 * `respinta` with a reason; final states never change. The citizen is told by email (or SMS).
 */
export async function recordOutcome(
  deps: Pick<IndennitaDeps, 'db' | 'box' | 'now'>,
  protocollo: string,
  esito: 'accolta' | 'respinta',
  motivo: string | null,
  by: string,
  ctx: AuditContext,
): Promise<OutcomeResult> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom('covid_applications')
      .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
      .select([
        ...columns('covid_applications', ['id', 'stato', 'categoria']),
        ...columns('citizens', ['id as citizen_id', 'codice_fiscale', 'nome', 'cognome', 'email', 'cellulare', 'locale']),
      ])
      .where('covid_applications.protocollo', '=', protocollo)
      .forUpdate()
      .executeTakeFirst();
    if (!a) return { ok: false as const, reason: 'not_found' as const };
    if (a.stato === 'accolta' || a.stato === 'respinta') return { ok: false as const, reason: 'final' as const };
    if (esito === 'accolta' && a.stato !== 'in_istruttoria') return { ok: false as const, reason: 'not_verified' as const };
    await trx
      .updateTable('covid_applications')
      .set({ stato: esito, esito_motivo: motivo, esito_at: now, esito_by: by, updated_at: now })
      .where('id', '=', a.id)
      .execute();
    const to = a.email ?? a.cellulare;
    if (to) {
      await enqueue(trx, deps.box, [
        {
          channel: a.email ? 'email' : 'sms',
          template: 'covid.esito',
          recipient: to,
          locale: a.locale,
          params: { nome: a.nome, cognome: a.cognome, protocollo, esito, motivo: motivo ?? '' },
          citizenId: a.citizen_id,
        },
      ]);
    }
    await audit.covidOutcome(trx, ctx, a.codice_fiscale, { protocollo, esito });
    return { ok: true as const };
  });
}

export interface OutcomeImportReport {
  recorded: number;
  rejected: { line: number; reason: string }[];
}

/**
 * The outcomes' CSV (docs/indennita.md): `protocollo;esito;motivo`, ';' only, an optional header
 * line; the motivo may be left out for accolta, and is quoted when it holds ';'.
 */
export const OUTCOMES_CSV: CsvFormat = { separator: ';', isHeader: (l) => /protocollo/i.test(l), columns: { min: 2, max: 3 } };

/** `varco domande esiti FILE.csv`: one outcome per line (esito accolta|respinta; motivo required for respinta), streamed. */
export async function importOutcomes(
  deps: Pick<IndennitaDeps, 'db' | 'box' | 'now'>,
  input: CsvInput,
  file: string,
  progress?: (p: CsvProgress) => void,
): Promise<OutcomeImportReport> {
  const rejected: OutcomeImportReport['rejected'] = [];
  let recorded = 0;
  for await (const { line, cells } of readCsv(input, { ...OUTCOMES_CSV, rejected, progress })) {
    const [protocollo = '', esitoRaw = '', motivoRaw = ''] = cells;
    const motivo = motivoRaw.trim() || null;
    const esito = esitoRaw.toLowerCase();
    if (!/^COV19-\d{4}-\d{8}$/.test(protocollo)) rejected.push({ line, reason: `protocollo non valido: ${protocollo.replace(/[^\w-]/g, '?').slice(0, 40)}` });
    else if (esito !== 'accolta' && esito !== 'respinta')
      rejected.push({ line, reason: `esito non valido (accolta|respinta): ${esitoRaw.replace(/[^\w-]/g, '?').slice(0, 20)}` });
    else if (motivo && hasControlChars(motivo)) rejected.push({ line, reason: 'motivo con caratteri non ammessi' });
    else if (esito === 'respinta' && !motivo) rejected.push({ line, reason: 'motivo obbligatorio per respinta' });
    else if (motivo && motivo.length > 500) rejected.push({ line, reason: 'motivo oltre 500 caratteri' });
    else {
      const r = await recordOutcome(deps, protocollo, esito, motivo, `import:${file}`, { actor: 'system:cli', channel: 'cli' });
      if (r.ok) recorded++;
      else
        rejected.push({
          line,
          reason: {
            not_found: `protocollo sconosciuto: ${protocollo}`,
            final: `esito già registrato: ${protocollo}`,
            not_verified: `IBAN non ancora verificato: ${protocollo}`,
          }[r.reason],
        });
    }
  }
  return { recorded, rejected };
}

/** The back office's list of applications (R21): flagged IBANs first, then the oldest; `pageSize + 1` rows tell whether there is a next page. */
export async function listApplications(
  db: Kysely<Database>,
  o: { stato?: CovidState; flaggedOnly: boolean; page: number; pageSize: number; ibanMaxApplicants: number },
) {
  const max = o.ibanMaxApplicants;
  let query = db
    .selectFrom('covid_applications')
    .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
    .leftJoin('iban_usage', 'iban_usage.iban', 'covid_applications.iban')
    .select(['covid_applications.id', 'protocollo', 'categoria', 'stato', 'submitted_at', 'citizens.codice_fiscale', 'iban_usage.applicants'])
    // Flagged IBANs first, then the oldest.
    .orderBy(sql`coalesce(iban_usage.applicants, 0) > ${max}`, 'desc')
    .orderBy('submitted_at')
    .limit(o.pageSize + 1)
    .offset((o.page - 1) * o.pageSize);
  if (o.stato) query = query.where('stato', '=', o.stato);
  if (o.flaggedOnly) query = query.where('iban_usage.applicants', '>', max);
  return (await query.execute()).map((r) => ({ ...r, flagged: (r.applicants ?? 0) > max }));
}

/** One application as an operator reviews it: its IBAN's applicants, whether that flags it, and the other applications naming the IBAN. */
export async function applicationForReview(db: Kysely<Database>, id: string, ibanMaxApplicants: number) {
  const a = await db
    .selectFrom('covid_applications')
    .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
    .leftJoin('iban_usage', 'iban_usage.iban', 'covid_applications.iban')
    .select([
      'covid_applications.id',
      'protocollo',
      'categoria',
      'stato',
      'covid_applications.iban',
      'importo_cents',
      'iban_usage.applicants',
      'iban_verified_at',
      'esito_motivo',
      'esito_by',
      'submitted_at',
      'dichiarazioni',
      'citizens.codice_fiscale',
      'citizens.nome',
      'citizens.cognome',
    ])
    .where('covid_applications.id', '=', id)
    .executeTakeFirst();
  if (!a) return undefined;
  const sameIban = await db
    .selectFrom('covid_applications')
    .innerJoin('citizens', 'citizens.id', 'covid_applications.citizen_id')
    .select(['protocollo', 'citizens.codice_fiscale'])
    .where('iban', '=', a.iban)
    .where('covid_applications.id', '<>', a.id)
    .orderBy('submitted_at')
    .limit(50)
    .execute();
  return { ...a, applicants: a.applicants ?? 0, flagged: (a.applicants ?? 0) > ibanMaxApplicants, sameIban };
}

/** An operator opened an application: audited under the applicant's CF. */
export async function recordApplicationViewed(db: Kysely<Database>, ctx: AuditContext, a: { codice_fiscale: string; protocollo: string }): Promise<void> {
  await audit.covidViewed(db, ctx, a.codice_fiscale, { protocollo: a.protocollo, what: 'detail' });
}
