import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OutboxChannel } from '../db/schema.js';
import type { SecretBox } from '../security/secret-box.js';

/** A message to a citizen, written in the same transaction as the change that causes it. */
export interface OutboxEntry {
  channel: OutboxChannel;
  template: TemplateKey;
  /** Phone (E.164) or email address; for letters a PostalAddress. */
  recipient: string | PostalAddress;
  locale: string;
  params: Record<string, string>;
  /** The secret part (a PIN half): stored only encrypted, erased once delivered. */
  secret?: string;
  citizenId: string | null;
}

/**
 * The outbox message templates, by key. Platform code knows none of them: each module that sends
 * messages declares its keys here from its own `templates.ts` (declaration merging), e.g.
 * `declare module '../../outbox/outbox.js' { interface OutboxTemplates { 'revoca.link': true } }`,
 * and registers their renderers (src/outbox/templates.ts), so `enqueue` stays type-checked.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging in each module's templates.ts
export interface OutboxTemplates {}

export type TemplateKey = keyof OutboxTemplates & string;

/** A postal address as printed in the window of the envelope. */
export interface PostalAddress {
  name: string;
  lines: string[];
  /** Province sigla for Italian addresses ('BZ' gets a bilingual letter), null abroad. */
  provincia: string | null;
  country: string | null;
}

export async function enqueue(db: Kysely<Database>, box: SecretBox, entries: OutboxEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = entries.map((e) => {
    const id = randomUUID();
    return {
      id,
      channel: e.channel,
      template: e.template,
      recipient: typeof e.recipient === 'string' ? e.recipient : JSON.stringify(e.recipient),
      locale: e.locale,
      params: JSON.stringify(e.params),
      secret_ciphertext: e.secret === undefined ? null : box.seal(e.secret, id),
      citizen_id: e.citizenId,
      state: 'queued' as const,
    };
  });
  await db.insertInto('outbox_messages').values(rows).execute();
  return rows.map((r) => r.id);
}
