import type { Translate } from '../../i18n/index.js';
import { mail, sms, type Templates } from '../../outbox/templates.js';

declare module '../../outbox/outbox.js' {
  interface OutboxTemplates {
    'contact.code': true;
    'contact.changed': true;
    'contact.changedByOperator': true;
    'contact.replaced': true;
  }
}

/** The label of the kind of contact a message names (params.kind). */
function kindOf(t: Translate, params: Record<string, string>): string {
  return t(`field.${params.kind === 'cellulare' ? 'cellulare' : params.kind === 'pec' ? 'pec' : 'email'}`);
}

/** The messages of a contact change: the code to the new contact, the notices to the old one (also after a change at a sede). */
export const templates = {
  'contact.code': ({ message, params, t }) => {
    if (message.channel === 'sms') return sms(message, t('msg.contact.code.sms', params));
    return mail(message, t('msg.contact.code.subject'), t('msg.contact.code.body', params));
  },
  'contact.changed': ({ message, params, t }) => {
    const kind = kindOf(t, params);
    if (message.channel === 'sms') return sms(message, t('msg.contact.changed.sms', { ...params, kind }));
    return mail(message, t('msg.contact.changed.subject'), t('msg.contact.changed.body', { ...params, kind }));
  },
  'contact.changedByOperator': ({ message, params, t }) => {
    const kind = kindOf(t, params);
    if (message.channel === 'sms') return sms(message, t('msg.contact.byOperator.sms', { ...params, kind }));
    return mail(message, t('msg.contact.byOperator.subject'), t('msg.contact.byOperator.body', { ...params, kind }));
  },
  // Issue 12 F2: the link "Non sono stato io" is the secret of this message.
  'contact.replaced': ({ message, secret, params, t }) => {
    const p = { ...params, kind: kindOf(t, params), link: secret ?? '' };
    if (message.channel === 'sms') return sms(message, t('msg.contact.replaced.sms', p));
    return mail(message, t('msg.contact.replaced.subject'), t('msg.contact.replaced.body', p));
  },
} satisfies Templates;
