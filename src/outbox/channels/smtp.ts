import nodemailer from 'nodemailer';
import type { ChannelAdapter } from './types.js';

/** Email and PEC over SMTP. Message-ID is derived from the outbox id, so a re-send is recognisable. */
export function createSmtpChannel(opts: { url: string; from: string; messageIdDomain: string }): ChannelAdapter {
  // Transport options come from the URL (e.g. `?pool=true&maxConnections=5`): the options object next to
  // a URL string holds message defaults only, so the `{ pool: true, maxConnections: 5 }` once passed there never applied.
  const transport = nodemailer.createTransport(opts.url);
  return {
    async deliver(message) {
      await transport.sendMail({
        from: opts.from,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.text,
        messageId: `<${message.id}@${opts.messageIdDomain}>`,
        headers: { 'X-Varco-Message-Id': message.id },
        attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
    },
    async close() {
      transport.close();
    },
  };
}
