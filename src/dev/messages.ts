import type { ModuleMessages } from '../i18n/index.js';

/** The texts of the development mailbox, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'mailbox.title': 'Casella di sviluppo',
  'mailbox.lead': 'Tutti i messaggi consegnati in modalità di sviluppo: SMS, email, PEC e lettere postali (PDF).',
  'mailbox.empty': 'Nessun messaggio.',
  'mailbox.recipient': 'Destinatario',
  'mailbox.when': 'Consegnato',
  'mailbox.attachment': 'Allegato',
};

const de: Record<keyof typeof it, string> = {
  'mailbox.title': 'Entwicklungs-Postfach',
  'mailbox.lead': 'Alle im Entwicklungsmodus zugestellten Nachrichten: SMS, E-Mail, PEC und Briefe (PDF).',
  'mailbox.empty': 'Keine Nachrichten.',
  'mailbox.recipient': 'Empfänger',
  'mailbox.when': 'Zugestellt',
  'mailbox.attachment': 'Anhang',
};

const en: Record<keyof typeof it, string> = {
  'mailbox.title': 'Development mailbox',
  'mailbox.lead': 'All messages delivered in development mode: SMS, email, PEC and postal letters (PDF).',
  'mailbox.empty': 'No messages.',
  'mailbox.recipient': 'Recipient',
  'mailbox.when': 'Delivered',
  'mailbox.attachment': 'Attachment',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
