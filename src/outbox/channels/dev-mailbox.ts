import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ChannelAdapter } from './types.js';

/** Development: every channel lands in the dev_mailbox table, readable at /dev/mailbox. */
export function createDevMailboxChannel(db: Kysely<Database>): ChannelAdapter {
  return {
    async deliver(message) {
      await db
        .insertInto('dev_mailbox')
        .values({
          message_id: message.id,
          channel: message.channel,
          recipient: message.recipient,
          subject: message.subject ?? null,
          body: message.text,
          attachments: JSON.stringify(
            (message.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, base64: a.content.toString('base64') })),
          ),
        })
        .execute();
    },
  };
}
