import { renderLettersPdf } from '../../letters/pdf.js';
import { letterContent } from '../../outbox/render.js';
import { beforeSignature, mail, sms, type Templates } from '../../outbox/templates.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'pin.firstHalf': true;
    'pin.secondHalf': true;
    'pin.requestedNotice': true;
    'remoteIssue.notice': true;
    'pin.remoteSecond': true;
  }
}

/** The messages of a PIN request: the two halves, the notice to the contacts on record, the remote issue (back office). */
export const templates = {
  'pin.firstHalf': ({ message, params, t }) => {
    // R6: a request made while PIN semplificato was open says what the 8 characters allow alone.
    const semplificato = params.semplificato === 'si';
    if (message.channel === 'sms') return sms(message, t('msg.sms.firstHalf', params) + (semplificato ? t('msg.sms.firstHalf.semplificato') : ''));
    const body = t('msg.email.firstHalf.body', params);
    return mail(message, t('msg.email.firstHalf.subject'), semplificato ? beforeSignature(body, t('msg.email.firstHalf.semplificato')) : body);
  },
  'pin.secondHalf': async ({ message, secret, deps }) => {
    const letter = letterContent(message, secret ?? '', deps);
    const pdf = await renderLettersPdf([letter]);
    return {
      id: message.id,
      channel: 'letter',
      recipient: letter.recipient.join('\n'),
      subject: letter.sections[0]?.subject ?? '',
      text: letter.sections.map((s) => `${s.salutation}\n${s.body}`).join('\n\n'),
      attachments: [{ filename: `lettera-${message.id}.pdf`, contentType: 'application/pdf', content: pdf }],
    };
  },
  'pin.requestedNotice': ({ message, params, t }) => mail(message, t('msg.pinRequested.subject'), t('msg.pinRequested.body', params)),
  // F7: the stop link is the secret of this message.
  'remoteIssue.notice': ({ message, secret, params, t }) =>
    mail(message, t('msg.remoteIssue.subject'), t('msg.remoteIssue.body', { ...params, link: secret ?? '' })),
  'pin.remoteSecond': ({ message, params, t }) => mail(message, t('msg.remote.second.subject'), t('msg.remote.second.body', params)),
} satisfies Templates;
