import { mail, sms, type Templates } from '../../outbox/templates.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'ripristino.code': true;
    'ripristino.initialLost': true;
    'ripristino.previousContact': true;
    'ripristino.coolingOff': true;
    'ripristino.blocked': true;
    'pin.restoredFirst': true;
    'pin.restoredSecond': true;
  }
}

/** The messages of a PIN recovery: the codice di ripristino (or why none), the two new halves, the notice to a replaced contact. */
export const templates = {
  'ripristino.code': ({ message, params, t }) => mail(message, t('msg.rip.code.subject'), t('msg.rip.code.body', params)),
  'ripristino.initialLost': ({ message, params, t }) => mail(message, t('msg.rip.initial.subject'), t('msg.rip.initial.body', params)),
  'pin.restoredFirst': ({ message, params, t }) => {
    if (message.channel === 'sms') return sms(message, t('msg.restored.first.sms', params));
    return mail(message, t('msg.restored.first.subject'), t('msg.restored.first.body', params));
  },
  'pin.restoredSecond': ({ message, params, t }) => mail(message, t('msg.restored.second.subject'), t('msg.restored.second.body', params)),
  // Issue 12 F2: the link "Non sono stato io" is the secret of this message.
  'ripristino.previousContact': ({ message, secret, params, t }) => {
    const p = { ...params, link: secret ?? '' };
    if (message.channel === 'sms') return sms(message, t('msg.rip.previous.sms', p));
    return mail(message, t('msg.rip.previous.subject'), t('msg.rip.previous.body', p));
  },
  'ripristino.coolingOff': ({ message, params, t }) => mail(message, t('msg.rip.coolingOff.subject'), t('msg.rip.coolingOff.body', params)),
  'ripristino.blocked': ({ message, params, t }) => mail(message, t('msg.rip.blocked.subject'), t('msg.rip.blocked.body', params)),
} satisfies Templates;
