import type { Db } from '../../src/db/database.js';

/** The session a login opened for the citizen: its level, how and where the citizen authenticated, the PIN credential. */
export function sessionOf(db: Db, citizenId: string) {
  return db
    .selectFrom('sessions')
    .select(['level', 'auth_method', 'auth_provider', 'credential_id'])
    .where('citizen_id', '=', citizenId)
    .executeTakeFirstOrThrow();
}

/** The `oidc.token_issued` audit records of a relying party (actor `client:<id>`); choose the columns with `.select(...)`. */
export function tokensIssuedTo(db: Db, clientId: string) {
  return db.selectFrom('audit_events').where('event', '=', 'oidc.token_issued').where('actor', '=', `client:${clientId}`);
}
