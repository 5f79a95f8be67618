import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, type AuditContext } from '../../audit/events.js';
import type { CertificateKind, Database, NoticeChannel } from '../../db/schema.js';
import { columns } from '../../db/columns.js';
import { formatItalianDate } from '../../domain/contacts.js';
import type { MessageQuotas } from '../../config/config.js';
import { enqueue, type OutboxEntry } from '../../outbox/outbox.js';
import { reserveSmsCode, type SmsLimit } from '../../outbox/quotas.js';
import { sendNewContactCode } from '../../security/one-time-code.js';
import { confirmNewContactCode, type NewContactCode } from '../../security/new-contact-code.js';
import type { SecretBox } from '../../security/secret-box.js';

export interface CertificatiDeps {
  db: Kysely<Database>;
  box: SecretBox;
  now: () => Date;
}

/** A certificate as the API accepts it (validated against the published schema first). */
export interface CertificateInput {
  protocollo: string;
  codiceFiscale: string;
  tipo: CertificateKind;
  dataRilascio: string;
  inizioPrognosi: string;
  finePrognosi: string;
  medico: { nome: string; cognome: string };
}

export type ReceiveResult = { status: 'created' | 'replayed'; id: string } | { status: 'conflict' };

function payloadHash(c: CertificateInput): string {
  const canonical = JSON.stringify([c.protocollo, c.codiceFiscale, c.tipo, c.dataRilascio, c.inizioPrognosi, c.finePrognosi, c.medico.nome, c.medico.cognome]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * R20: stores a certificate and, in the same transaction, queues the SMS and the PEC the
 * worker asked for. The protocol number makes the call idempotent: the same body again answers
 * the stored certificate and sends nothing; another body under the same number is a conflict.
 */
export async function receiveCertificate(deps: CertificatiDeps, clientId: string, c: CertificateInput, ctx: AuditContext): Promise<ReceiveResult> {
  const hash = payloadHash(c);
  return deps.db.transaction().execute(async (trx) => {
    const id = randomUUID();
    const inserted = await trx
      .insertInto('sick_certificates')
      .values({
        id,
        protocollo: c.protocollo,
        codice_fiscale: c.codiceFiscale,
        tipo: c.tipo,
        data_rilascio: c.dataRilascio,
        inizio_prognosi: c.inizioPrognosi,
        fine_prognosi: c.finePrognosi,
        medico_nome: c.medico.nome,
        medico_cognome: c.medico.cognome,
        payload_sha256: hash,
        client_id: clientId,
      })
      .onConflict((oc) => oc.column('protocollo').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom('sick_certificates')
        .select(['id', 'payload_sha256'])
        .where('protocollo', '=', c.protocollo)
        .executeTakeFirstOrThrow();
      const conflict = existing.payload_sha256 !== hash;
      await audit.certificateReplayed(trx, ctx, c.codiceFiscale, { protocollo: c.protocollo, clientId, conflict });
      return conflict ? { status: 'conflict' as const } : { status: 'replayed' as const, id: existing.id };
    }
    const notices = await trx
      .selectFrom('certificate_notices')
      .innerJoin('citizens', 'citizens.id', 'certificate_notices.citizen_id')
      .select([...columns('certificate_notices', ['channel', 'address']), ...columns('citizens', ['id as citizen_id', 'nome', 'cognome', 'locale'])])
      .where('citizens.codice_fiscale', '=', c.codiceFiscale)
      .where('certificate_notices.active', '=', true)
      .execute();
    const params = {
      protocollo: c.protocollo,
      tipo: c.tipo,
      rilascio: formatItalianDate(c.dataRilascio),
      inizio: formatItalianDate(c.inizioPrognosi),
      fine: formatItalianDate(c.finePrognosi),
      medico: `${c.medico.nome} ${c.medico.cognome}`,
    };
    const entries: OutboxEntry[] = notices.map((n) => ({
      channel: n.channel,
      template: n.channel === 'sms' ? 'certificato.sms' : 'certificato.pec',
      recipient: n.address,
      locale: n.locale,
      params: { ...params, nome: n.nome, cognome: n.cognome, codiceFiscale: c.codiceFiscale },
      citizenId: n.citizen_id,
    }));
    const messageIds = await enqueue(trx, deps.box, entries);
    await audit.certificateReceived(trx, ctx, c.codiceFiscale, { protocollo: c.protocollo, clientId, messageIds });
    return { status: 'created' as const, id };
  });
}

export interface NoticeSetting {
  channel: NoticeChannel;
  address: string | null;
  active: boolean;
}

export async function noticeSetting(db: Kysely<Database>, citizenId: string, channel: NoticeChannel): Promise<NoticeSetting> {
  const row = await db
    .selectFrom('certificate_notices')
    .select(['address', 'active'])
    .where('citizen_id', '=', citizenId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return { channel, address: row?.address ?? null, active: row?.active ?? false };
}

export const NOTICE_CODE_TTL_MINUTES = 30;
export const MAX_NOTICE_CODE_FAILURES = 5;
const NOTICE_CODE: NewContactCode = {
  table: 'certificate_notice_changes',
  purpose: 'notice',
  ttlMinutes: NOTICE_CODE_TTL_MINUTES,
  maxFailures: MAX_NOTICE_CODE_FAILURES,
};

export type UpdateNoticeResult = { status: 'saved' } | { status: 'verify' } | { status: 'sms_refused'; limit: SmsLimit };

/**
 * `Aggiorna` (seed 000): a number or address already verified (the active one, or the
 * citizen's own contact of that kind) is saved at once; a new one is sent a code first.
 */
export async function updateNotice(
  deps: CertificatiDeps,
  citizenId: string,
  channel: NoticeChannel,
  address: string,
  active: boolean,
  ctx: AuditContext & { cf: string },
  /** Issue 12 F6: a code to a new number is an SMS code, counted by the SMS quotas. */
  quotas?: MessageQuotas,
): Promise<UpdateNoticeResult> {
  const citizen = await deps.db
    .selectFrom('citizens')
    .select(['nome', 'cognome', 'locale', 'cellulare', 'pec'])
    .where('id', '=', citizenId)
    .executeTakeFirstOrThrow();
  const current = await noticeSetting(deps.db, citizenId, channel);
  const known = address === current.address || address === (channel === 'sms' ? citizen.cellulare : citizen.pec);
  if (known) {
    await deps.db.transaction().execute(async (trx) => {
      await saveNotice(trx, citizenId, channel, address, active, deps.now());
      await audit.certificateNoticeChanged(trx, ctx, ctx.cf, { channel, active });
    });
    return { status: 'saved' };
  }
  if (channel === 'sms' && quotas) {
    const sms = await reserveSmsCode({ ...deps, quotas }, { cf: ctx.cf, number: address, flow: 'certificati' }, ctx);
    if (!sms.ok) return { status: 'sms_refused', limit: sms.limit };
  }
  await deps.db.transaction().execute(async (trx) => {
    await sendNewContactCode(trx, deps.box, {
      ...NOTICE_CODE,
      citizenId,
      now: deps.now(),
      store: async (code) =>
        trx
          .insertInto('certificate_notice_changes')
          .values({ ...code, citizen_id: citizenId, channel, address, active })
          .execute(),
      message: { channel, template: 'certificato.code', recipient: address, locale: citizen.locale, params: { nome: citizen.nome, cognome: citizen.cognome } },
    });
    await audit.certificateNoticeRequested(trx, ctx, ctx.cf, { channel, active });
  });
  return { status: 'verify' };
}

async function saveNotice(trx: Kysely<Database>, citizenId: string, channel: NoticeChannel, address: string, active: boolean, now: Date) {
  await trx
    .insertInto('certificate_notices')
    .values({ citizen_id: citizenId, channel, address, active, updated_at: now })
    .onConflict((oc) => oc.columns(['citizen_id', 'channel']).doUpdateSet({ address, active, updated_at: now }))
    .execute();
}

export async function pendingNotice(db: Kysely<Database>, citizenId: string, channel: NoticeChannel, now: Date) {
  return db
    .selectFrom('certificate_notice_changes')
    .select(['id', 'address', 'active', 'code_hmac', 'failed_attempts'])
    .where('citizen_id', '=', citizenId)
    .where('channel', '=', channel)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The code sent to the new number or address: right, the setting is saved; 5 wrong tries burn it. */
export async function confirmNotice(
  deps: CertificatiDeps,
  citizenId: string,
  channel: NoticeChannel,
  code: string,
  ctx: AuditContext & { cf: string },
): Promise<boolean> {
  const now = deps.now();
  const saved = await confirmNewContactCode(deps, NOTICE_CODE, {
    now,
    pending: await pendingNotice(deps.db, citizenId, channel, now),
    code,
    wrong: () => audit.certificateNoticeFailed(deps.db, ctx, ctx.cf, { channel }),
    right: async (trx, pending) => {
      await saveNotice(trx, citizenId, channel, pending.address, pending.active, now);
      await audit.certificateNoticeChanged(trx, ctx, ctx.cf, { channel, active: pending.active });
      return true;
    },
  });
  return saved ?? false;
}
