import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import type { OutboxMessage } from '../src/db/schema.js';
import { contactCenterText, LOCALES, translator } from '../src/i18n/index.js';
import { catalogOf } from '../src/i18n/index.js';

const itCatalog = catalogOf('it');
const de = catalogOf('de');
const en = catalogOf('en');
import { renderMessage } from '../src/outbox/render.js';
import { buildTestApp } from './support/app.js';

/**
 * Issue 13: wherever a text names the Contact Center as someone to call, it gives both numbers as
 * seed 003 does: "803 164 (gratuito da rete fissa), oppure 06 164164 (a pagamento da rete mobile)".
 */
const CATALOGS = { it: itCatalog, de, en } as const;
/** Texts that name the Contact Center without asking anyone to call it: its operators' role, who asked for a remote issue. */
const NOT_A_CALL = new Set(['bo.role.contact-center', 'msg.remoteIssue.body', 'stop.lead']);

describe('the Contact Center numbers (seed 003)', () => {
  it('every text that sends the citizen to the Contact Center carries its numbers', () => {
    for (const [locale, catalog] of Object.entries(CATALOGS)) {
      for (const [key, text] of Object.entries(catalog)) {
        if (!/Contact.Center/.test(text) || NOT_A_CALL.has(key)) continue;
        expect(text, `${locale} ${key}`).toContain('{contactCenter}');
      }
    }
  });

  it('reads as seed 003 writes it, in every language; an SMS has the short form', () => {
    expect(contactCenterText('it')).toBe('803 164 (gratuito da rete fissa), oppure 06 164164 (a pagamento da rete mobile)');
    expect(contactCenterText('de')).toBe('803 164 (kostenlos aus dem Festnetz) oder 06 164164 (kostenpflichtig aus dem Mobilfunknetz)');
    expect(contactCenterText('en')).toBe('803 164 (free from a landline), or 06 164164 (charged, from a mobile phone)');
    expect(contactCenterText('it', undefined, 'sms')).toBe('803 164 (da cellulare 06 164164, a pagamento)');
    const config = loadConfig({ VARCO_CONTACT_CENTER: '800 000 000', VARCO_CONTACT_CENTER_MOBILE: '06 000000' });
    expect(config.istituto).toMatchObject({ contactCenter: '800 000 000', contactCenterMobile: '06 000000' });
    expect(loadConfig({}).istituto).toMatchObject({ contactCenter: '803 164', contactCenterMobile: '06 164164' });
    for (const l of LOCALES) expect(translator(l, { contactCenter: contactCenterText(l) })('pin.channels')).toContain('06 164164');
  });

  it('messages: a mail gives both numbers, an SMS the short form', async () => {
    const base = {
      id: '00000000-0000-4000-8000-000000000001',
      recipient: 'x@example.org',
      params: { nome: 'ANNA', cognome: 'ROSSI', kind: 'email', days: '14', date: '15/06/2026' },
      created_at: new Date(),
    };
    for (const locale of LOCALES) {
      const mail = await renderMessage({ ...base, channel: 'email', template: 'revoca.completed', locale } as unknown as OutboxMessage, undefined, {
        istituto: 'INPS',
        contactCenter: '803 164',
        contactCenterMobile: '06 164164',
      });
      expect(mail.text).toContain(contactCenterText(locale));
      const sms = await renderMessage({ ...base, channel: 'sms', template: 'contact.changed', locale } as unknown as OutboxMessage, undefined, {
        istituto: 'INPS',
        contactCenter: '803 164',
        contactCenterMobile: '06 164164',
      });
      expect(sms.text).toContain(contactCenterText(locale, undefined, 'sms'));
    }
  });

  it('pages: the PIN page and the revoca page show both numbers, in German too', async () => {
    const t = await buildTestApp('pglite');
    try {
      expect((await t.app.inject({ method: 'GET', url: '/pin' })).body).toContain(
        '803 164 (gratuito da rete fissa), oppure 06 164164 (a pagamento da rete mobile)',
      );
      expect((await t.app.inject({ method: 'GET', url: '/pin/revoca' })).body).toContain('06 164164');
      expect((await t.app.inject({ method: 'GET', url: '/pin', headers: { 'accept-language': 'de' } })).body).toContain(
        '06 164164 (kostenpflichtig aus dem Mobilfunknetz)',
      );
    } finally {
      await t.close();
    }
  });
});
