import type { OutboxMessage } from '../db/schema.js';
import { contactCenterText, DEFAULT_CONTACT_CENTER, isLocale, translator } from '../i18n/index.js';
import type { LetterContent } from '../letters/pdf.js';
import type { RenderedMessage } from './channels/types.js';
import type { PostalAddress } from './outbox.js';
import { type RenderDeps, templateFor } from './templates.js';

export type { RenderDeps } from './templates.js';

function tr(locale: string, istituto: string, deps: Pick<RenderDeps, 'contactCenter' | 'contactCenterMobile'> = {}, form: 'full' | 'sms' = 'full') {
  const l = isLocale(locale) ? locale : 'it';
  const numbers = { landline: deps.contactCenter ?? DEFAULT_CONTACT_CENTER.landline, mobile: deps.contactCenterMobile ?? DEFAULT_CONTACT_CENTER.mobile };
  return translator(l, { istituto, contactCenter: contactCenterText(l, numbers, form) });
}

/** The letter for one outbox message: Italian, plus German for residents of the province of Bolzano. */
export function letterContent(message: OutboxMessage, secret: string, deps: RenderDeps): LetterContent {
  const address = JSON.parse(message.recipient) as PostalAddress;
  const params = message.params as Record<string, string>;
  const langs = address.provincia === 'BZ' ? (['it', 'de'] as const) : (['it'] as const);
  const date = new Date(message.created_at).toLocaleDateString('it-IT', { timeZone: 'Europe/Rome' });
  return {
    reference: message.id,
    sender: [deps.istituto, ...(deps.senderLines ?? [])],
    recipient: [address.name, ...address.lines],
    date,
    code: secret,
    sections: langs.map((lang) => {
      const t = tr(lang, deps.istituto, deps);
      return {
        lang,
        subject: t('msg.letter.subject'),
        salutation: t('msg.letter.salutation', params),
        body: t('msg.letter.body', { ...params, date }),
        codeLabel: t('msg.letter.codeLabel'),
        warning: t('msg.letter.warning'),
        closing: `${t('msg.letter.closing')}\n${t('msg.letter.sender')}`,
      };
    }),
  };
}

/** Renders an outbox row with its decrypted secret into what a channel sends, with the template registered for its key. */
export async function renderMessage(message: OutboxMessage, secret: string | undefined, deps: RenderDeps): Promise<RenderedMessage> {
  const render = templateFor(message.template);
  if (!render) throw new Error(`unknown template ${message.template}`);
  const t = tr(message.locale, deps.istituto, deps, message.channel === 'sms' ? 'sms' : 'full');
  const params: Record<string, string> = { ...(message.params as Record<string, string>), code: secret ?? '' };
  return render({ message, secret, params, t, deps });
}
