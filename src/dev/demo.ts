import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { PinHasher } from '../security/hasher.js';

/**
 * Development only: a citizen who already holds a PIN, so that R1 ("L'utente … ha già un PIN
 * assegnato") can be seen at once, with a row in the residence registry (issue 12 F1) for who
 * tries VARCO_RESIDENCE_REGISTRY=table. Development defaults to `typed`, so any other CF still
 * walks the request. Idempotent.
 */
export const DEMO_CITIZENS = [
  { codiceFiscale: 'RSSMRA85T10A562S', cognome: 'ROSSI', nome: 'MARIO', dataNascita: '1985-12-10', sesso: 'M' as const, luogoNascita: 'A562' },
];

export async function seedDemoData(db: Db, hasher: PinHasher): Promise<string[]> {
  const created: string[] = [];
  await db
    .insertInto('residenze')
    .values(DEMO_CITIZENS.map((c) => ({ codice_fiscale: c.codiceFiscale, tipo: 'ANPR' as const, indirizzo: 'Via Roma, 1', comune: 'A562', cap: '56017', provincia: 'PI', paese: null, citta: null, codice_postale: null })))
    .onConflict((oc) => oc.column('codice_fiscale').doNothing())
    .execute();
  for (const c of DEMO_CITIZENS) {
    const exists = await db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirst();
    if (exists) continue;
    const id = randomUUID();
    const pinHash = await hasher.hash(randomUUID());
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('citizens')
        .values({
          id, codice_fiscale: c.codiceFiscale, cognome: c.cognome, nome: c.nome, data_nascita: c.dataNascita, sesso: c.sesso, luogo_nascita: c.luogoNascita,
          residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: '1', provincia: 'PI', comune: 'A562', cap: '56017' }),
          telefono_abitazione: null, cellulare: '+393331234567', email: 'mario.rossi@example.org', pec: null,
          telefono_preferenziale: 'cellulare', orario_preferenziale: 'any', locale: 'it',
        })
        .execute();
      await trx.insertInto('credentials').values({ id: randomUUID(), citizen_id: id, state: 'active', pin_hash: pinHash, dispositivo: false, channel: 'sede' }).execute();
    });
    created.push(c.codiceFiscale);
  }
  return created;
}
