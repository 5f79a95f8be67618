import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { Database } from '../../db/schema.js';
import { enqueue } from '../../outbox/outbox.js';
import { datedNotices } from '../../outbox/notices.js';
import type { SecretBox } from '../../security/secret-box.js';

/**
 * Issue 12 F1: the contacts typed with a request for an existing record reach the record only
 * here, when the first access with the 16 characters succeeds — whoever got both halves (one
 * by letter to the registry's residence) is the holder. The email and PEC they replace are told
 * (never an SMS), in the same transaction; audited.
 */
export async function applyPendingContacts(db: Kysely<Database>, box: SecretBox, credentialId: string, ctx: AuditContext, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const pending = await trx.deleteFrom('pending_contacts').where('credential_id', '=', credentialId).returningAll().executeTakeFirst();
    if (!pending) return false;
    const before = await trx
      .selectFrom('citizens')
      .select(['codice_fiscale', 'nome', 'cognome', 'telefono_abitazione', 'cellulare', 'email', 'pec', 'locale'])
      .where('id', '=', pending.citizen_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('citizens')
      .set({
        telefono_abitazione: pending.telefono_abitazione,
        cellulare: pending.cellulare,
        email: pending.email,
        pec: pending.pec,
        telefono_preferenziale: pending.telefono_preferenziale,
        orario_preferenziale: pending.orario_preferenziale,
        updated_at: now,
      })
      .where('id', '=', pending.citizen_id)
      .execute();
    const kinds = (['telefono_abitazione', 'cellulare', 'email', 'pec'] as const).filter((k) => before[k] !== pending[k]);
    const replaced = [
      before.email && before.email !== pending.email && before.email !== pending.pec && { channel: 'email' as const, to: before.email },
      before.pec && before.pec !== pending.pec && before.pec !== pending.email && { channel: 'pec' as const, to: before.pec },
    ].filter((x): x is { channel: 'email' | 'pec'; to: string } => Boolean(x));
    const subject = { citizenId: pending.citizen_id, nome: before.nome, cognome: before.cognome, locale: before.locale };
    const noticeIds = await enqueue(trx, box, datedNotices('contacts.replacedNotice', replaced, subject, now));
    await audit.contactsReplacedAtFirstAccess(trx, ctx, before.codice_fiscale, { credentialId, kinds, noticeIds });
    return true;
  });
}
