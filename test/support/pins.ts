import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import type { PinHasher } from '../../src/security/hasher.js';
import { type TestApp, Client } from './app.js';
import { type FormCitizen, italianCitizen } from './citizens.js';

/**
 * A citizen holding a PIN known to the test, stored as the request would store it (hash only):
 * a new Italian citizen, or `o.citizen` as typed in the request form; living at Via Roma
 * (`o.numeroCivico`, default 1) in Pisa.
 */
export async function givenCitizenWithPin(
  db: Db,
  hasher: PinHasher,
  o: {
    pin: string;
    state?: 'initial' | 'active';
    dispositivo?: boolean;
    changedAt?: Date;
    intermediario?: boolean;
    pec?: string;
    citizen?: FormCitizen;
    numeroCivico?: string;
  },
) {
  const c = o.citizen ?? italianCitizen();
  const citizenId = randomUUID();
  const credentialId = randomUUID();
  const [d, m, y] = c.form.dataNascita!.split('/');
  await db
    .insertInto('citizens')
    .values({
      id: citizenId,
      codice_fiscale: c.codiceFiscale,
      cognome: c.form.cognome!,
      nome: c.form.nome!,
      data_nascita: `${y}-${m}-${d}`,
      sesso: 'M',
      luogo_nascita: c.form.comuneNascita!,
      residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: o.numeroCivico ?? '1', provincia: 'PI', comune: 'G702', cap: '56125' }),
      telefono_abitazione: null,
      cellulare: '+393331234567',
      email: 'giuseppe.verdi@example.org',
      pec: o.pec ?? null,
      telefono_preferenziale: 'cellulare',
      orario_preferenziale: 'any',
      locale: 'it',
      intermediario: o.intermediario ?? false,
      // Contacts count as verified once the first access is done (R7).
      contacts_verified_at: (o.state ?? 'active') === 'active' ? new Date() : null,
    })
    .execute();
  await db
    .insertInto('credentials')
    .values({
      id: credentialId,
      citizen_id: citizenId,
      state: o.state ?? 'active',
      pin_hash: await hasher.hash(o.pin),
      dispositivo: o.dispositivo ?? false,
      channel: 'web',
      changed_at: o.changedAt ?? new Date(),
    })
    .execute();
  return { codiceFiscale: c.codiceFiscale, citizenId, credentialId, nome: c.form.nome!, cognome: c.form.cognome! };
}

/** A hasher that counts its verifications, to prove what was (not) checked. */
export function countingHasher(inner: PinHasher): PinHasher & { verifies: number } {
  const h = {
    verifies: 0,
    hash: (pin: string) => inner.hash(pin),
    verify: async (phc: string, pin: string) => {
      h.verifies++;
      return inner.verify(phc, pin);
    },
  };
  return h;
}

/** A citizen with an active PIN (K7X9M3P4), logged in through /accedi. */
export async function loggedInCitizen(t: TestApp, hasher: PinHasher, o: { dispositivo?: boolean } = {}) {
  const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4', dispositivo: o.dispositivo });
  const client = new Client(t.app);
  await client.get('/accedi');
  await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' });
  return { c, client };
}

/**
 * R6: a citizen who just requested a PIN and logs in with its first 8 characters alone (the app
 * must run with VARCO_PIN_SEMPLIFICATO=true and VARCO_RESIDENCE_REGISTRY=table: issue 12 F1 —
 * the comune typed with the request matches the residence registry's row).
 */
export async function loggedInSemplificato(t: TestApp, hasher: PinHasher) {
  const initial = 'K7X9M3P4AC24DE67';
  const c = await givenCitizenWithPin(t.db, hasher, { pin: initial, state: 'initial' });
  const typed = { tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: '1', provincia: 'PI', comune: 'G702', cap: '56125' };
  await t.db
    .updateTable('credentials')
    .set({ semplificato_hash: await hasher.hash(initial.slice(0, 8)), requested_residence: JSON.stringify(typed) })
    .where('id', '=', c.credentialId)
    .execute();
  await givenResidence(t.db, c.codiceFiscale);
  const client = new Client(t.app);
  await client.get('/accedi');
  const res = await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: initial.slice(0, 8) });
  if (res.headers.location !== '/bacheca') throw new Error(`semplificato login failed: ${res.statusCode} ${res.headers.location}`);
  return { c, client };
}

/** Issue 12 F1: the residence registry's row for a CF (ANPR, Pisa unless told otherwise). */
export async function givenResidence(db: Db, codiceFiscale: string, o: { indirizzo?: string; comune?: string; cap?: string; provincia?: string } = {}) {
  await db
    .insertInto('residenze')
    .values({
      codice_fiscale: codiceFiscale,
      tipo: 'ANPR',
      indirizzo: o.indirizzo ?? 'Via Roma, 1',
      comune: o.comune ?? 'G702',
      cap: o.cap ?? '56125',
      provincia: o.provincia ?? 'PI',
      paese: null,
      citta: null,
      codice_postale: null,
    })
    .onConflict((oc) => oc.column('codice_fiscale').doNothing())
    .execute();
}
