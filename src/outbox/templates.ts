import type { OutboxMessage } from '../db/schema.js';
import type { Translate } from '../i18n/index.js';
import type { RenderedMessage } from './channels/types.js';
import type { TemplateKey } from './outbox.js';

export interface RenderDeps {
  istituto: string;
  /** Lines under the institution's name in the letter's sender block. */
  senderLines?: string[];
  /** The Contact Center numbers the notices point to (VARCO_CONTACT_CENTER, VARCO_CONTACT_CENTER_MOBILE). */
  contactCenter?: string;
  contactCenterMobile?: string;
}

/** What a template gets: the outbox row, its decrypted secret, its params (with `code`: the secret), the translator of its locale. */
export interface TemplateInput {
  message: OutboxMessage;
  secret: string | undefined;
  params: Record<string, string>;
  t: Translate;
  deps: RenderDeps;
}

/** Renders one outbox message into what a channel sends. */
export type TemplateRenderer = (input: TemplateInput) => RenderedMessage | Promise<RenderedMessage>;

/** The templates of one module (src/flows/<flow>/templates.ts), by key. */
export type Templates = { readonly [K in TemplateKey]?: TemplateRenderer };

const registry = new Map<string, TemplateRenderer>();

/** Adds a module's templates; a key registered twice is a programming error (nothing of this call is registered then). */
export function registerTemplates(templates: Templates): void {
  const entries = Object.entries(templates).filter((e): e is [string, TemplateRenderer] => e[1] !== undefined);
  for (const [key] of entries) if (registry.has(key)) throw new Error(`template ${key} registered twice`);
  for (const [key, render] of entries) registry.set(key, render);
}

/** The renderer registered for a template key, if any. */
export function templateFor(key: string): TemplateRenderer | undefined {
  return registry.get(key);
}

/** A paragraph inserted before the last one (the signature) of a message body. */
export function beforeSignature(body: string, paragraph: string): string {
  const at = body.lastIndexOf('\n\n');
  return at < 0 ? `${body}\n\n${paragraph}` : `${body.slice(0, at)}\n\n${paragraph}${body.slice(at)}`;
}

/** A message with a subject (email, PEC) on the row's own channel. */
export function mail(message: OutboxMessage, subject: string, text: string): RenderedMessage {
  return { id: message.id, channel: message.channel, recipient: message.recipient, subject, text };
}

/** A text message (SMS). */
export function sms(message: OutboxMessage, text: string): RenderedMessage {
  return { id: message.id, channel: 'sms', recipient: message.recipient, text };
}
