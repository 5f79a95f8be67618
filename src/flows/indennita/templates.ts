import { mail, sms, type Templates } from '../../outbox/templates.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'covid.esito': true;
  }
}

/** The outcome of an application for the indennità. */
export const templates = {
  'covid.esito': ({ message, params, t }) => {
    const esito = params.esito === 'accolta' ? 'accolta' : 'respinta';
    if (message.channel === 'sms') return sms(message, t(`msg.covid.${esito}.sms`, params));
    return mail(message, t(`msg.covid.${esito}.subject`, params), t(`msg.covid.${esito}.body`, params));
  },
} satisfies Templates;
