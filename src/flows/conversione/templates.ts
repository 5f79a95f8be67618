import { mail, type Templates } from '../../outbox/templates.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'conversione.approved': true;
    'conversione.rejected': true;
  }
}

/** The outcome of a conversion request, decided in the back office. */
export const templates = {
  'conversione.approved': ({ message, params, t }) => mail(message, t('msg.conv.approved.subject'), t('msg.conv.approved.body', params)),
  'conversione.rejected': ({ message, params, t }) => mail(message, t('msg.conv.rejected.subject'), t('msg.conv.rejected.body', params)),
} satisfies Templates;
