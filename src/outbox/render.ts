import type { OutboxMessage } from '../db/schema.js';
import { contactCenterText, DEFAULT_CONTACT_CENTER, isLocale, translator } from '../i18n/index.js';
import { renderCertificatePdf } from '../flows/certificati/pdf.js';
import { type LetterContent, renderLettersPdf } from '../letters/pdf.js';
import type { RenderedMessage } from './channels/types.js';
import type { PostalAddress } from './outbox.js';

export interface RenderDeps {
  istituto: string;
  /** Lines under the institution's name in the letter's sender block. */
  senderLines?: string[];
  /** The Contact Center numbers the notices point to (VARCO_CONTACT_CENTER, VARCO_CONTACT_CENTER_MOBILE). */
  contactCenter?: string;
  contactCenterMobile?: string;
}

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

/** A paragraph inserted before the last one (the signature) of a message body. */
function beforeSignature(body: string, paragraph: string): string {
  const at = body.lastIndexOf('\n\n');
  return at < 0 ? `${body}\n\n${paragraph}` : `${body.slice(0, at)}\n\n${paragraph}${body.slice(at)}`;
}

function mail(message: OutboxMessage, subject: string, text: string): RenderedMessage {
  return { id: message.id, channel: message.channel, recipient: message.recipient, subject, text };
}

/** Renders an outbox row with its decrypted secret into what a channel sends. */
export async function renderMessage(message: OutboxMessage, secret: string | undefined, deps: RenderDeps): Promise<RenderedMessage> {
  const t = tr(message.locale, deps.istituto, deps, message.channel === 'sms' ? 'sms' : 'full');
  const params: Record<string, string> = { ...(message.params as Record<string, string>), code: secret ?? '' };
  switch (message.template) {
    case 'pin.firstHalf': {
      // R6: a request made while PIN semplificato was open says what the 8 characters allow alone.
      const semplificato = params.semplificato === 'si';
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.sms.firstHalf', params) + (semplificato ? t('msg.sms.firstHalf.semplificato') : '') };
      const body = t('msg.email.firstHalf.body', params);
      return {
        id: message.id,
        channel: message.channel,
        recipient: message.recipient,
        subject: t('msg.email.firstHalf.subject'),
        text: semplificato ? beforeSignature(body, t('msg.email.firstHalf.semplificato')) : body,
      };
    }
    case 'pin.secondHalf': {
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
    }
    case 'ripristino.code':
      return mail(message, t('msg.rip.code.subject'), t('msg.rip.code.body', params));
    case 'ripristino.initialLost':
      return mail(message, t('msg.rip.initial.subject'), t('msg.rip.initial.body', params));
    case 'pin.restoredFirst':
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.restored.first.sms', params) };
      return mail(message, t('msg.restored.first.subject'), t('msg.restored.first.body', params));
    case 'pin.restoredSecond':
      return mail(message, t('msg.restored.second.subject'), t('msg.restored.second.body', params));
    case 'revoca.link':
      // The link is the secret of this message.
      return mail(message, t('msg.rev.link.subject'), t('msg.rev.link.body', { ...params, link: secret ?? '' }));
    case 'revoca.controllo':
      return mail(message, t('msg.rev.control.subject'), t('msg.rev.control.body', params));
    case 'revoca.requested':
      return mail(message, t('msg.rev.requested.subject'), t('msg.rev.requested.body', params));
    case 'revoca.completed':
      return mail(message, t('msg.rev.completed.subject'), t('msg.rev.completed.body', params));
    case 'contact.code':
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.contact.code.sms', params) };
      return mail(message, t('msg.contact.code.subject'), t('msg.contact.code.body', params));
    case 'contact.changed': {
      const kind = t(`field.${params.kind === 'cellulare' ? 'cellulare' : params.kind === 'pec' ? 'pec' : 'email'}`);
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.contact.changed.sms', { ...params, kind }) };
      return mail(message, t('msg.contact.changed.subject'), t('msg.contact.changed.body', { ...params, kind }));
    }
    case 'remoteIssue.notice':
      // F7: the stop link is the secret of this message.
      return mail(message, t('msg.remoteIssue.subject'), t('msg.remoteIssue.body', { ...params, link: secret ?? '' }));
    case 'contact.changedByOperator': {
      const kind = t(`field.${params.kind === 'cellulare' ? 'cellulare' : params.kind === 'pec' ? 'pec' : 'email'}`);
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.contact.byOperator.sms', { ...params, kind }) };
      return mail(message, t('msg.contact.byOperator.subject'), t('msg.contact.byOperator.body', { ...params, kind }));
    }
    // Issue 12 F2: the link "Non sono stato io" is the secret of these messages.
    case 'contact.replaced': {
      const kind = t(`field.${params.kind === 'cellulare' ? 'cellulare' : params.kind === 'pec' ? 'pec' : 'email'}`);
      const p = { ...params, kind, link: secret ?? '' };
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.contact.replaced.sms', p) };
      return mail(message, t('msg.contact.replaced.subject'), t('msg.contact.replaced.body', p));
    }
    case 'ripristino.previousContact': {
      const p = { ...params, link: secret ?? '' };
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.rip.previous.sms', p) };
      return mail(message, t('msg.rip.previous.subject'), t('msg.rip.previous.body', p));
    }
    case 'ripristino.coolingOff':
      return mail(message, t('msg.rip.coolingOff.subject'), t('msg.rip.coolingOff.body', params));
    case 'ripristino.blocked':
      return mail(message, t('msg.rip.blocked.subject'), t('msg.rip.blocked.body', params));
    case 'pin.remoteSecond':
      return mail(message, t('msg.remote.second.subject'), t('msg.remote.second.body', params));
    case 'conversione.approved':
      return mail(message, t('msg.conv.approved.subject'), t('msg.conv.approved.body', params));
    case 'conversione.rejected':
      return mail(message, t('msg.conv.rejected.subject'), t('msg.conv.rejected.body', params));
    case 'certificato.sms':
      return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.cert.sms', params) };
    case 'certificato.pec': {
      const pdf = await renderCertificatePdf(t, params);
      return { ...mail(message, t('msg.cert.pec.subject', params), t('msg.cert.pec.body', params)), attachments: [{ filename: `certificato-${params.protocollo}.pdf`, contentType: 'application/pdf', content: pdf }] };
    }
    case 'certificato.code':
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t('msg.cert.code.sms', params) };
      return mail(message, t('msg.cert.code.subject'), t('msg.cert.code.body', params));
    case 'covid.esito': {
      const esito = params.esito === 'accolta' ? 'accolta' : 'respinta';
      if (message.channel === 'sms') return { id: message.id, channel: 'sms', recipient: message.recipient, text: t(`msg.covid.${esito}.sms`, params) };
      return mail(message, t(`msg.covid.${esito}.subject`, params), t(`msg.covid.${esito}.body`, params));
    }
    case 'pin.requestedNotice':
      return mail(message, t('msg.pinRequested.subject'), t('msg.pinRequested.body', params));
    case 'contacts.replacedNotice':
      return mail(message, t('msg.contactsReplaced.subject'), t('msg.contactsReplaced.body', params));
    default:
      throw new Error(`unknown template ${message.template}`);
  }
}
