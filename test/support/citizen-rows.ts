import type { Db } from '../../src/db/database.js';

/** A citizen's stored files (uploads and the like); choose the columns with `.select(...)`. */
export function storedFilesOf(db: Db, citizenId: string) {
  return db.selectFrom('stored_files').where('citizen_id', '=', citizenId);
}

/** A citizen's contact changes, oldest first; choose the columns with `.select(...)`. */
export function contactHistoryOf(db: Db, citizenId: string) {
  return db.selectFrom('contact_history').where('citizen_id', '=', citizenId).orderBy('changed_at');
}
