import { mail, sms, type Templates } from '../../outbox/templates.js';
import { renderCertificatePdf } from './pdf.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'certificato.sms': true;
    'certificato.pec': true;
    'certificato.code': true;
  }
}

/** The notices of a received medical certificate (R20) and the code that confirms where they go. */
export const templates = {
  'certificato.sms': ({ message, params, t }) => sms(message, t('msg.cert.sms', params)),
  'certificato.pec': async ({ message, params, t }) => {
    const pdf = await renderCertificatePdf(t, params);
    return {
      ...mail(message, t('msg.cert.pec.subject', params), t('msg.cert.pec.body', params)),
      attachments: [{ filename: `certificato-${params.protocollo}.pdf`, contentType: 'application/pdf', content: pdf }],
    };
  },
  'certificato.code': ({ message, params, t }) => {
    if (message.channel === 'sms') return sms(message, t('msg.cert.code.sms', params));
    return mail(message, t('msg.cert.code.subject'), t('msg.cert.code.body', params));
  },
} satisfies Templates;
