import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The operator's request is done (issued, waiting for approval, or refused): its flow row goes. */
export async function forgetFlow(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('flows').where('id_hash', '=', idHash).execute();
}
