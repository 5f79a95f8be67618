import type { OutboxChannel } from '../db/schema.js';
import type { OutboxEntry, TemplateKey } from './outbox.js';

/** Whom a notice is about: its name goes in the text, its locale picks the language. */
export interface NoticeSubject {
  citizenId: string;
  nome: string;
  cognome: string;
  locale: string;
}

/**
 * One entry per address for a notice that names the citizen and the day it happened
 * (`{ nome, cognome, date }`, the date as in Rome), for `enqueue`.
 */
export function datedNotices(template: TemplateKey, to: { channel: OutboxChannel; to: string }[], subject: NoticeSubject, now: Date): OutboxEntry[] {
  const date = now.toLocaleDateString('it-IT', { timeZone: 'Europe/Rome' });
  return to.map((c) => ({
    channel: c.channel,
    template,
    recipient: c.to,
    locale: subject.locale,
    params: { nome: subject.nome, cognome: subject.cognome, date },
    citizenId: subject.citizenId,
  }));
}
