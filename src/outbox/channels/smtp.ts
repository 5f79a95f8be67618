import nodemailer from 'nodemailer';
import type { ChannelAdapter } from './types.js';

/** Email and PEC over SMTP. Message-ID is derived from the outbox id, so a re-send is recognisable. */
export function createSmtpChannel(opts: { url: string; from: string; messageIdDomain: string }): ChannelAdapter {
  // A connection URL carries the transport's options (nodemailer takes pooling from the URL, e.g.
  // ?pool=true&maxConnections=5; its second argument holds message defaults, not transport options).
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
