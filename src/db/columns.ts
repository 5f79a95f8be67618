import type { PersonRecord } from '../domain/person.js';

/**
 * `columns('citizens', ['id as citizen_id', 'nome'])` → `['citizens.id as citizen_id', 'citizens.nome']`:
 * a table's (or alias's) columns for a Kysely `select`, named once. The result keeps its literal
 * types, so `select` still checks every name against the query's tables.
 */
export function columns<P extends string, C extends string>(prefix: P, names: readonly C[]): `${P}.${C}`[] {
  return names.map((name) => `${prefix}.${name}` as const);
}

/** The `citizens` columns that say who the citizen is. */
export function personColumns(p: PersonRecord) {
  return { codice_fiscale: p.codiceFiscale, cognome: p.cognome, nome: p.nome, data_nascita: p.dataNascita, sesso: p.sesso, luogo_nascita: p.luogoNascita };
}
