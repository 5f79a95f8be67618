import { mail, type Templates } from '../../outbox/templates.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'contacts.replacedNotice': true;
  }
}

/** The notice to the replaced contacts when a first access brings the contacts typed with the request (issue 12). */
export const templates = {
  'contacts.replacedNotice': ({ message, params, t }) => mail(message, t('msg.contactsReplaced.subject'), t('msg.contactsReplaced.body', params)),
} satisfies Templates;
