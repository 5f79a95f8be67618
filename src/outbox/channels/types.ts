import type { OutboxChannel } from '../../db/schema.js';

/** A message ready for its channel: rendered text, the stable id, attachments. */
export interface RenderedMessage {
  /** Stable outbox id: the same on every re-send, so the far end can drop duplicates. */
  id: string;
  channel: OutboxChannel;
  /** Phone (E.164) or email address; for letters the printable address lines. */
  recipient: string;
  subject?: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/**
 * A delivery channel (SMTP, SMS gateway, printer, dev mailbox). `deliver` resolves once the far
 * end has accepted the message and rejects otherwise; it may be called again with the same
 * message after a crash, so it must send the stable id along (Message-ID, Idempotency-Key).
 */
export interface ChannelAdapter {
  deliver(message: RenderedMessage): Promise<void>;
  close?(): Promise<void>;
}
