import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/db/schema.js';
import { processingMessage } from './support/outbox.js';
import type { TemplateKey } from '../src/outbox/outbox.js';
import { renderMessage } from '../src/outbox/render.js';

const TEMPLATES: [TemplateKey, OutboxMessage['channel'][]][] = [
  ['pin.firstHalf', ['sms', 'email', 'pec']],
  ['pin.secondHalf', ['letter']],
  ['ripristino.code', ['email', 'pec']],
  ['ripristino.initialLost', ['email', 'pec']],
  ['pin.restoredFirst', ['sms', 'email', 'pec']],
  ['pin.restoredSecond', ['email', 'pec']],
  ['pin.remoteSecond', ['email', 'pec']],
  ['revoca.link', ['email', 'pec']],
  ['revoca.requested', ['email', 'pec']],
  ['revoca.completed', ['email', 'pec']],
  ['contact.code', ['sms', 'email', 'pec']],
  ['contact.changed', ['sms', 'email', 'pec']],
  ['conversione.approved', ['email', 'pec']],
  ['conversione.rejected', ['email', 'pec']],
  ['remoteIssue.notice', ['email', 'pec']],
  ['contact.changedByOperator', ['sms', 'email', 'pec']],
  ['contact.replaced', ['sms', 'email', 'pec']],
  ['ripristino.previousContact', ['sms', 'email', 'pec']],
  ['ripristino.coolingOff', ['email', 'pec']],
  ['ripristino.blocked', ['email', 'pec']],
];

/** Issue 12 F2: the security notices say whom to call. */
const CONTACT_CENTER_IN_TEXT = new Set<TemplateKey>(['contact.replaced', 'ripristino.previousContact', 'ripristino.coolingOff', 'ripristino.blocked']);

const SECRET_IN_TEXT = new Set<TemplateKey>([
  'pin.firstHalf',
  'ripristino.code',
  'pin.restoredFirst',
  'pin.restoredSecond',
  'pin.remoteSecond',
  'revoca.link',
  'contact.code',
  'contact.replaced',
  'ripristino.previousContact',
  'remoteIssue.notice',
]);

describe('every message renders in every language, with every placeholder filled', () => {
  for (const [template, channels] of TEMPLATES) {
    for (const channel of channels) {
      it.each(['it', 'de', 'en'])(`${template} by ${channel} in %s`, async (locale) => {
        const message = processingMessage({
          id: '00000000-0000-4000-8000-000000000001',
          channel,
          template,
          locale,
          recipient:
            channel === 'letter'
              ? JSON.stringify({ name: 'ANNA ROSSI', lines: ['Via Roma 1', '39100 BOLZANO (BZ)'], provincia: 'BZ', country: null })
              : 'x@example.org',
          params: {
            nome: 'ANNA',
            cognome: 'ROSSI',
            link: 'https://pin.example.it/x',
            minutes: '60',
            hours: '24',
            number: 'CONV-1',
            reason: 'motivo',
            kind: 'email',
            days: '14',
            date: '15/06/2026 09:00',
          },
        });
        const rendered = await renderMessage(message, 'ACDEFHJK', { istituto: 'INPS', contactCenter: '803164' });
        expect(rendered.text.length).toBeGreaterThan(20);
        expect(rendered.text).not.toMatch(/\{\w+\}/);
        expect(rendered.subject ?? '').not.toMatch(/\{\w+\}/);
        // Messages that carry a secret show it in their text (the letter carries it in its PDF).
        if (SECRET_IN_TEXT.has(template)) expect(rendered.text).toContain('ACDEFHJK');
        if (CONTACT_CENTER_IN_TEXT.has(template)) expect(rendered.text).toContain('803164');
      });
    }
  }
});
