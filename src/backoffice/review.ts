import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../audit/events.js';
import type { Database } from '../db/schema.js';
import { enqueue } from '../outbox/outbox.js';
import type { SecretBox } from '../security/secret-box.js';

/**
 * R15: an operator's decision on an online conversion. Approval makes the credential
 * dispositivo (the session level rises at the next login) and emails the citizen, as seed 002
 * says; a rejection emails the reason. Both are audited under the operator's name.
 */
export async function decideConversion(
  deps: { db: Kysely<Database>; box: SecretBox; now: () => Date },
  requestId: string,
  decision: { approve: true } | { approve: false; reason: string },
  ctx: AuditContext,
): Promise<{ ok: true; number: string } | { ok: false }> {
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('conversion_requests')
      .set({ state: decision.approve ? 'approvata' : 'respinta', decided_at: deps.now(), decided_by: ctx.actor, reason: decision.approve ? null : decision.reason })
      .where('id', '=', requestId)
      .where('state', '=', 'in_lavorazione')
      .returning(['number', 'citizen_id', 'credential_id'])
      .executeTakeFirst();
    if (!r) return { ok: false as const };
    if (decision.approve) await trx.updateTable('credentials').set({ dispositivo: true, updated_at: deps.now() }).where('id', '=', r.credential_id).execute();
    const c = await trx.selectFrom('citizens').select(['codice_fiscale', 'nome', 'cognome', 'locale', 'email', 'pec']).where('id', '=', r.citizen_id).executeTakeFirstOrThrow();
    const to = c.email ? { channel: 'email' as const, to: c.email } : c.pec ? { channel: 'pec' as const, to: c.pec } : undefined;
    if (to) {
      await enqueue(trx, deps.box, [{
        channel: to.channel, template: decision.approve ? 'conversione.approved' : 'conversione.rejected', recipient: to.to, locale: c.locale,
        params: { nome: c.nome, cognome: c.cognome, number: r.number, ...(decision.approve ? {} : { reason: decision.reason }) }, citizenId: r.citizen_id,
      }]);
    }
    if (decision.approve) await audit.conversioneApproved(trx, ctx, c.codice_fiscale, { number: r.number });
    else await audit.conversioneRejected(trx, ctx, c.codice_fiscale, { number: r.number, reason: decision.reason });
    return { ok: true as const, number: r.number };
  });
}
