import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { audit } from '../audit/events.js';
import type { Config } from '../config/config.js';
import { personColumns } from '../db/columns.js';
import type { Db } from '../db/database.js';
import type { PersonRecord } from '../domain/person.js';
import type { Database, NewCitizen, OperatorRole } from '../db/schema.js';
import type { PinHasher } from '../security/hasher.js';
import type { SecretBox } from '../security/secret-box.js';

/**
 * Development only (VARCO_MODE=development with VARCO_DEMO_DATA, the default there; production
 * refuses the setting): fixed demo values, documented in README.md "Demo data", so that a newcomer
 * logs in at once — a citizen with a PIN ordinario, one with a PIN dispositivo, and one operator
 * per back-office role with password and TOTP secret. Each citizen also has a row in the residence
 * registry (issue 12 F1) and R1 ("ha già un PIN assegnato") can be seen with their codici fiscali.
 *
 * Idempotent: a second start creates nothing and changes nothing. A demo citizen who changed the
 * PIN (or an operator whose password no longer matches) keeps it: the start says so instead of
 * resetting it silently. Only a demo citizen seeded by the earlier, undocumented seeding (a random
 * PIN nobody knew, no `demo.seeded` record) is given the documented PIN once, audited.
 */
export interface DemoCitizen extends PersonRecord {
  residence: { indirizzo: string; numeroCivico: string; comune: string; cap: string; provincia: string };
  cellulare: string;
  email: string;
  pin: string;
  dispositivo: boolean;
}

export const DEMO_CITIZENS: readonly DemoCitizen[] = [
  {
    codiceFiscale: 'RSSMRA85T10A562S',
    cognome: 'ROSSI',
    nome: 'MARIO',
    dataNascita: '1985-12-10',
    sesso: 'M',
    luogoNascita: 'A562',
    residence: { indirizzo: 'Via Roma', numeroCivico: '1', comune: 'A562', cap: '56017', provincia: 'PI' },
    cellulare: '+393331234567',
    email: 'mario.rossi@example.org',
    pin: 'K4TM7XPR',
    dispositivo: false,
  },
  {
    codiceFiscale: 'BNCLRA79D62G702F',
    cognome: 'BIANCHI',
    nome: 'LAURA',
    dataNascita: '1979-04-22',
    sesso: 'F',
    luogoNascita: 'G702',
    residence: { indirizzo: 'Lungarno Pacinotti', numeroCivico: '43', comune: 'G702', cap: '56126', provincia: 'PI' },
    cellulare: '+393471234568',
    email: 'laura.bianchi@example.org',
    pin: 'W7HD3NK9',
    dispositivo: true,
  },
];

export interface DemoOperator {
  username: string;
  displayName: string;
  role: OperatorRole;
  password: string;
  /** RFC 6238 secret (base32), to type into an authenticator app. */
  totpSecret: string;
}

/** One per role of OperatorRole (src/db/schema.ts). */
export const DEMO_OPERATORS: readonly DemoOperator[] = [
  {
    username: 'demo.contact-center',
    displayName: 'Demo Contact Center',
    role: 'contact-center',
    password: 'VarcoDemo-CC-2026',
    totpSecret: 'DEMOCONTACTCENTERVARCOTOTPKEYAAA',
  },
  { username: 'demo.sede', displayName: 'Demo Sede', role: 'sede', password: 'VarcoDemo-Sede-2026', totpSecret: 'DEMOSEDEVARCOTOTPSECRETKEYBBBBBB' },
  {
    username: 'demo.supervisore',
    displayName: 'Demo Supervisore',
    role: 'supervisore',
    password: 'VarcoDemo-Sup-2026',
    totpSecret: 'DEMOSUPERVISOREVARCOTOTPKEYCCCCC',
  },
];

export type DemoStatus = 'created' | 'unchanged' | 'reset' | 'pin_changed' | 'no_live_pin' | 'password_changed' | 'disabled';
export interface DemoReport {
  citizens: { codiceFiscale: string; status: DemoStatus }[];
  operators: { username: string; status: DemoStatus }[];
}

export class DemoDataRefused extends Error {}

const DEMO_ACTOR = { actor: 'system:demo', channel: 'cli' };

export async function seedDemoData(deps: { db: Db; hasher: PinHasher; box: SecretBox; config: Pick<Config, 'mode' | 'demoData'> }): Promise<DemoReport> {
  if (deps.config.mode !== 'development' || !deps.config.demoData)
    throw new DemoDataRefused('demo data is for development only (VARCO_MODE=development, VARCO_DEMO_DATA=true)');
  const { db, hasher, box } = deps;
  await db
    .insertInto('residenze')
    .values(
      DEMO_CITIZENS.map((c) => ({
        codice_fiscale: c.codiceFiscale,
        tipo: 'ANPR' as const,
        indirizzo: `${c.residence.indirizzo}, ${c.residence.numeroCivico}`,
        comune: c.residence.comune,
        cap: c.residence.cap,
        provincia: c.residence.provincia,
        paese: null,
        citta: null,
        codice_postale: null,
      })),
    )
    .onConflict((oc) => oc.column('codice_fiscale').doNothing())
    .execute();
  const report: DemoReport = { citizens: [], operators: [] };
  for (const c of DEMO_CITIZENS) report.citizens.push({ codiceFiscale: c.codiceFiscale, status: await seedCitizen(db, hasher, c) });
  for (const o of DEMO_OPERATORS) report.operators.push({ username: o.username, status: await seedOperator(db, hasher, box, o) });
  return report;
}

/**
 * A demo record written: its secret hashed first (slow, before the transaction), then `write` with
 * the hash and the `demo.seeded` record of what it wrote, in one transaction.
 */
async function seedRecord(
  db: Db,
  hasher: PinHasher,
  o: { secret: string; codiceFiscale: string | null; write: (trx: Transaction<Database>, hash: string) => Promise<Parameters<typeof audit.demoSeeded>[3]> },
): Promise<void> {
  const hash = await hasher.hash(o.secret);
  await db.transaction().execute(async (trx) => {
    const details = await o.write(trx, hash);
    await audit.demoSeeded(trx, DEMO_ACTOR, o.codiceFiscale, details);
  });
}

/** The `citizens` row of a demo citizen. */
function demoCitizenRow(id: string, c: DemoCitizen): NewCitizen {
  return {
    id,
    ...personColumns(c),
    residenza: JSON.stringify({ tipo: 'IT', ...c.residence }),
    telefono_abitazione: null,
    cellulare: c.cellulare,
    email: c.email,
    pec: null,
    telefono_preferenziale: 'cellulare',
    orario_preferenziale: 'any',
    locale: 'it',
    // The first access (R7) is behind them: the demo PIN is the one they chose.
    contacts_verified_at: new Date(),
  };
}

async function seedCitizen(db: Db, hasher: PinHasher, c: DemoCitizen): Promise<DemoStatus> {
  const level = c.dispositivo ? 'dispositivo' : 'ordinario';
  const citizen = await db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirst();
  if (!citizen) {
    const id = randomUUID();
    const credentialId = randomUUID();
    await seedRecord(db, hasher, {
      secret: c.pin,
      codiceFiscale: c.codiceFiscale,
      write: async (trx, pinHash) => {
        await trx.insertInto('citizens').values(demoCitizenRow(id, c)).execute();
        await trx
          .insertInto('credentials')
          .values({ id: credentialId, citizen_id: id, state: 'active', pin_hash: pinHash, dispositivo: c.dispositivo, channel: 'sede' })
          .execute();
        return { kind: 'citizen', credentialId, level };
      },
    });
    return 'created';
  }
  const live = await db
    .selectFrom('credentials')
    .select(['id', 'pin_hash', 'state'])
    .where('citizen_id', '=', citizen.id)
    .where('state', 'in', ['initial', 'active'])
    .executeTakeFirst();
  if (!live) return 'no_live_pin';
  if (await hasher.verify(live.pin_hash, c.pin)) return 'unchanged';
  const seeded = await db
    .selectFrom('audit_events')
    .select('id')
    .where('event', '=', 'demo.seeded')
    .where(sql<string>`details->>'credentialId'`, '=', live.id)
    .executeTakeFirst();
  if (seeded) return 'pin_changed';
  // The earlier seeding gave this demo citizen a random PIN nobody knew: give it the documented one, once.
  await seedRecord(db, hasher, {
    secret: c.pin,
    codiceFiscale: c.codiceFiscale,
    write: async (trx, pinHash) => {
      await trx
        .updateTable('credentials')
        .set({ pin_hash: pinHash, state: 'active', dispositivo: c.dispositivo, changed_at: new Date(), updated_at: new Date() })
        .where('id', '=', live.id)
        .execute();
      await trx
        .updateTable('citizens')
        .set({ contacts_verified_at: new Date() })
        .where('id', '=', citizen.id)
        .where('contacts_verified_at', 'is', null)
        .execute();
      return { kind: 'citizen', credentialId: live.id, level, reset: true };
    },
  });
  return 'reset';
}

async function seedOperator(db: Db, hasher: PinHasher, box: SecretBox, o: DemoOperator): Promise<DemoStatus> {
  const row = await db.selectFrom('operators').select(['id', 'password_hash', 'disabled_at']).where('username', '=', o.username).executeTakeFirst();
  if (row) {
    if (row.disabled_at) return 'disabled';
    return (await hasher.verify(row.password_hash, o.password)) ? 'unchanged' : 'password_changed';
  }
  const id = randomUUID();
  await seedRecord(db, hasher, {
    secret: o.password,
    codiceFiscale: null,
    write: async (trx, passwordHash) => {
      await trx
        .insertInto('operators')
        .values({
          id,
          username: o.username,
          display_name: o.displayName,
          role: o.role,
          password_hash: passwordHash,
          totp_secret_sealed: box.seal(o.totpSecret, id),
        })
        .execute();
      return { kind: 'operator', operatorId: id, username: o.username, role: o.role };
    },
  });
  return 'created';
}

const STATUS_NOTE: Record<DemoStatus, string> = {
  created: 'created now',
  unchanged: '',
  reset: 'the PIN nobody knew was replaced by this one',
  pin_changed: 'PIN CHANGED since it was seeded: this value no longer works (kept; a new data folder seeds it again)',
  no_live_pin: 'NO LIVE PIN (revoked): not seeded again',
  password_changed: 'PASSWORD CHANGED since it was seeded: this value no longer works (kept)',
  disabled: 'DISABLED by a supervisore: not enabled again',
};

/** The plain lines `varco serve` prints once at start, before the JSON log: every demo value, and what changed. */
export function demoBanner(report: DemoReport, publicUrl: string): string {
  const note = (s: DemoStatus | undefined) => (s && STATUS_NOTE[s] ? `  (${STATUS_NOTE[s]})` : '');
  const lines = [
    '──────── Demo data (development only; README.md "Demo data") ────────',
    `Citizens — log in at ${publicUrl}/accedi with codice fiscale and PIN:`,
    ...DEMO_CITIZENS.map((c) => {
      const status = report.citizens.find((r) => r.codiceFiscale === c.codiceFiscale)?.status;
      return `  ${c.codiceFiscale}  PIN ${c.pin}  ${c.dispositivo ? 'PIN dispositivo' : 'PIN ordinario'}  ${c.nome} ${c.cognome}${note(status)}`;
    }),
    `Operators — log in at ${publicUrl}/backoffice/accedi with password and the TOTP code of the secret (any authenticator app):`,
    ...DEMO_OPERATORS.map((o) => {
      const status = report.operators.find((r) => r.username === o.username)?.status;
      return `  ${o.username.padEnd(20)} ${o.role.padEnd(15)} password ${o.password.padEnd(20)} TOTP secret ${o.totpSecret}${note(status)}`;
    }),
    '──────────────────────────────────────────────────────────────────────',
  ];
  return `${lines.join('\n')}\n`;
}
