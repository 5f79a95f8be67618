import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { birthDateOf, parseCf } from '../domain/codice-fiscale/index.js';

export interface FederatedIdentity {
  /** The codice fiscale as the identity provider or the certificate states it (without TINIT-). */
  codiceFiscale: string;
  nome?: string;
  cognome?: string;
  /** YYYY-MM-DD when the provider states it; otherwise read from the codice fiscale. */
  dataNascita?: string;
  email?: string;
  cellulare?: string;
}

/** `TINIT-RSSMRA80A01H501U` (SPID, CIE, ID tokens) or a bare codice fiscale, checked; undefined when it is no valid CF. */
export function cfFromClaim(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const bare = value
    .trim()
    .toUpperCase()
    .replace(/^TINIT-/, '');
  const parsed = parseCf(bare);
  return parsed.ok ? parsed.value.cf : undefined;
}

/** YYYY-MM-DD naming a day that exists (not 2020-02-31), after 1900 and not in the future. */
function realDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && d.getUTCFullYear() >= 1900 && d.getTime() <= Date.now();
}

/**
 * The citizen a federated login maps to, by codice fiscale (R17). A citizen who never had a PIN
 * is registered from what the provider states (names, birth date, contacts); sex and place of
 * birth come from the codice fiscale; the residence stays unknown until the citizen gives it.
 * The record remembers the login that made it (issue 12 F1): its PIN comes only from a session
 * of that citizen (Profilo → Richiedi il PIN) or from a sede, never from an anonymous request.
 */
export async function citizenForIdentity(db: Db, id: FederatedIdentity, method: 'spid' | 'cie' | 'cns'): Promise<{ citizenId: string; created: boolean }> {
  const existing = await db.selectFrom('citizens').select('id').where('codice_fiscale', '=', id.codiceFiscale).executeTakeFirst();
  if (existing) return { citizenId: existing.id, created: false };
  const parsed = parseCf(id.codiceFiscale);
  if (!parsed.ok) throw new Error('not a valid codice fiscale');
  const p = parsed.value;
  const dataNascita = id.dataNascita && realDate(id.dataNascita) ? id.dataNascita : birthDateOf(p, new Date().getFullYear());
  const inserted = await db
    .insertInto('citizens')
    .values({
      id: randomUUID(),
      codice_fiscale: id.codiceFiscale,
      cognome: (id.cognome ?? '').slice(0, 100) || p.surnameCode,
      nome: (id.nome ?? '').slice(0, 100) || p.nameCode,
      data_nascita: dataNascita,
      sesso: p.sesso,
      luogo_nascita: p.belfiore,
      residenza: null,
      telefono_abitazione: null,
      cellulare: id.cellulare && /^\+\d{8,15}$/.test(id.cellulare) ? id.cellulare : null,
      email: id.email && id.email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(id.email) ? id.email : null,
      pec: null,
      telefono_preferenziale: 'cellulare',
      orario_preferenziale: 'any',
      locale: 'it',
      registered_by: method,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.column('codice_fiscale').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { citizenId: inserted.id, created: true };
  // Registered at the same instant by another login: that one.
  const row = await db.selectFrom('citizens').select('id').where('codice_fiscale', '=', id.codiceFiscale).executeTakeFirstOrThrow();
  return { citizenId: row.id, created: false };
}
