import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AuthMethod, Database, Level } from '../db/schema.js';
import { sha256 } from '../security/secret-box.js';

/** R10 (seed 004): a session closes after 30 minutes of inactivity; it never lives longer than 12 hours. */
export const IDLE_TIMEOUT_MINUTES = 30;
export const ABSOLUTE_LIFETIME_HOURS = 12;

export interface Session {
  idHash: string;
  citizenId: string;
  /** The PIN behind the session; null when the citizen entered with SPID, CIE or CNS. */
  credentialId: string | null;
  authMethod: AuthMethod;
  authProvider: string | null;
  level: Level;
  mustChangePin: 'first_access' | 'expired' | null;
  initialFingerprints: string[] | null;
  role: 'cittadino' | 'intermediario';
  createdAt: Date;
  lastSeenAt: Date;
}

/** The citizen behind a session, as routes and views need them. */
export interface SessionCitizen {
  codiceFiscale: string;
  cognome: string;
  nome: string;
  dataNascita: string;
  intermediario: boolean;
}

interface TouchedSession {
  id_hash: string;
  citizen_id: string;
  credential_id: string | null;
  auth_method: AuthMethod;
  auth_provider: string | null;
  level: Level;
  must_change_pin: Session['mustChangePin'];
  initial_fingerprints: string[] | null;
  role: Session['role'];
  created_at: Date;
  codice_fiscale: string;
  cognome: string;
  nome: string;
  data_nascita: string;
  intermediario: boolean;
}

export type LoadedSession = { status: 'ok'; session: Session; citizen: SessionCitizen } | { status: 'none' } | { status: 'expired' };

export interface SessionStore {
  create(s: {
    citizenId: string;
    credentialId: string | null;
    authMethod?: AuthMethod;
    authProvider?: string;
    level: Level;
    mustChangePin: Session['mustChangePin'];
    initialFingerprints?: string[];
    ip: string | null;
    userAgent: string | null;
  }): Promise<{ id: string; session: Session }>;
  /** Loads and touches a live session, with its citizen; an idle or too old one is ended and reported expired. */
  load(id: string | undefined): Promise<LoadedSession>;
  end(idHash: string, reason: string): Promise<void>;
  /** Ends every other live session of the citizen (after a PIN change, a ripristino, a revoca). */
  endOthers(citizenId: string, keepIdHash: string | null, reason: string): Promise<number>;
  /** A new id for the same session (login, change of level): the old id stops working. */
  rotate(
    session: Session,
    changes: Partial<Pick<Session, 'level' | 'mustChangePin' | 'initialFingerprints' | 'role'>>,
  ): Promise<{ id: string; session: Session }>;
}

export function createSessionStore(db: Kysely<Database>, now: () => Date = () => new Date()): SessionStore {
  const newId = () => randomBytes(32).toString('base64url');
  return {
    async create(s) {
      const id = newId();
      const at = now();
      const session: Session = {
        idHash: sha256(id),
        citizenId: s.citizenId,
        credentialId: s.credentialId,
        authMethod: s.authMethod ?? 'pin',
        authProvider: s.authProvider ?? null,
        level: s.level,
        mustChangePin: s.mustChangePin,
        initialFingerprints: s.initialFingerprints ?? null,
        role: 'cittadino',
        createdAt: at,
        lastSeenAt: at,
      };
      await db
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          citizen_id: s.citizenId,
          credential_id: s.credentialId,
          auth_method: session.authMethod,
          auth_provider: session.authProvider,
          level: s.level,
          must_change_pin: s.mustChangePin,
          initial_fingerprints: s.initialFingerprints ? JSON.stringify(s.initialFingerprints) : null,
          created_at: at,
          last_seen_at: at,
          expires_at: new Date(at.getTime() + ABSOLUTE_LIFETIME_HOURS * 3_600_000),
          ip: s.ip,
          user_agent: s.userAgent?.slice(0, 300) ?? null,
        })
        .execute();
      return { id, session };
    },
    async load(id) {
      if (!id || id.length > 100) return { status: 'none' };
      const at = now();
      const idHash = sha256(id);
      // The common case in one round trip (see migration 0013): a live session is touched and comes back with its citizen.
      const { rows } =
        await sql<TouchedSession>`select * from varco_touch_session(${idHash}, ${at}, ${new Date(at.getTime() - IDLE_TIMEOUT_MINUTES * 60_000)})`.execute(db);
      const row = rows[0];
      if (!row) {
        // Unknown, ended, idle or too old: an idle or old one is ended now and reported expired.
        const stale = await db.selectFrom('sessions').select(['id_hash', 'ended_at', 'last_seen_at']).where('id_hash', '=', idHash).executeTakeFirst();
        if (!stale) return { status: 'none' };
        if (!stale.ended_at) {
          const idle = at.getTime() - new Date(stale.last_seen_at).getTime() > IDLE_TIMEOUT_MINUTES * 60_000;
          await db
            .updateTable('sessions')
            .set({ ended_at: at, end_reason: idle ? 'idle' : 'lifetime' })
            .where('id_hash', '=', idHash)
            .where('ended_at', 'is', null)
            .execute();
        }
        return { status: 'expired' };
      }
      return {
        status: 'ok',
        session: {
          idHash: row.id_hash,
          citizenId: row.citizen_id,
          credentialId: row.credential_id,
          authMethod: row.auth_method,
          authProvider: row.auth_provider,
          level: row.level,
          mustChangePin: row.must_change_pin,
          initialFingerprints: row.initial_fingerprints,
          role: row.role,
          createdAt: new Date(row.created_at),
          lastSeenAt: at,
        },
        citizen: { codiceFiscale: row.codice_fiscale, cognome: row.cognome, nome: row.nome, dataNascita: row.data_nascita, intermediario: row.intermediario },
      };
    },
    async end(idHash, reason) {
      await db.updateTable('sessions').set({ ended_at: now(), end_reason: reason }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
    },
    async endOthers(citizenId, keepIdHash, reason) {
      let q = db.updateTable('sessions').set({ ended_at: now(), end_reason: reason }).where('citizen_id', '=', citizenId).where('ended_at', 'is', null);
      if (keepIdHash) q = q.where('id_hash', '!=', keepIdHash);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async rotate(session, changes) {
      const id = newId();
      const next: Session = { ...session, ...changes, idHash: sha256(id) };
      await db
        .updateTable('sessions')
        .set({
          id_hash: next.idHash,
          level: next.level,
          must_change_pin: next.mustChangePin,
          role: next.role,
          initial_fingerprints: next.initialFingerprints ? JSON.stringify(next.initialFingerprints) : null,
          last_seen_at: now(),
        })
        .where('id_hash', '=', session.idHash)
        .execute();
      return { id, session: next };
    },
  };
}
