import { mail, type Templates } from '../../outbox/templates.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'revoca.link': true;
    'revoca.controllo': true;
    'revoca.requested': true;
    'revoca.completed': true;
  }
}

/** The messages of a revocation: the Codice di Controllo, the confirmation link, the notices. */
export const templates = {
  // The link is the secret of this message.
  'revoca.link': ({ message, secret, params, t }) => mail(message, t('msg.rev.link.subject'), t('msg.rev.link.body', { ...params, link: secret ?? '' })),
  'revoca.controllo': ({ message, params, t }) => mail(message, t('msg.rev.control.subject'), t('msg.rev.control.body', params)),
  'revoca.requested': ({ message, params, t }) => mail(message, t('msg.rev.requested.subject'), t('msg.rev.requested.body', params)),
  'revoca.completed': ({ message, params, t }) => mail(message, t('msg.rev.completed.subject'), t('msg.rev.completed.body', params)),
} satisfies Templates;
