import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.js';
import {
  CAPTCHA_GLYPHS,
  CAPTCHA_GROUP,
  CAPTCHA_HEIGHT,
  CAPTCHA_LENGTH,
  CAPTCHA_WIDTH,
  captchaPng,
  captchaPrompt,
  consumeCaptcha,
  createCaptcha,
  createMailedCaptcha,
  formatControlCode,
  normalizeControlCode,
} from '../src/security/captcha.js';
import { renderMessage } from '../src/outbox/render.js';
import { PIN_ALPHABET } from '../src/security/pin.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { freshDatabase } from './support/db.js';

/** WCAG 2.x relative luminance of an sRGB colour, and the contrast ratio of two luminances. */
function luminance(r: number, g: number, b: number): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

interface Glyph {
  left: number;
  right: number;
  top: number;
  bottom: number;
  worstContrast: number;
}

/**
 * Reads the image as a person's eye would: the background is the commonest colour; a pixel that
 * stands out from it (contrast over 1.5:1) is ink; glyphs are runs of columns holding ink.
 */
function readGlyphs(png: Buffer): { width: number; height: number; glyphs: Glyph[]; inkBelowAA: number } {
  const img = PNG.sync.read(png);
  const lum = (x: number, y: number) => {
    const i = (y * img.width + x) * 4;
    return luminance(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!);
  };
  const counts = new Map<number, number>();
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) counts.set(lum(x, y), (counts.get(lum(x, y)) ?? 0) + 1);
  const background = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const ink = (x: number, y: number) => contrast(lum(x, y), background) > 1.5;
  let inkBelowAA = 0;
  const glyphs: Glyph[] = [];
  let current: Glyph | undefined;
  for (let x = 0; x < img.width; x++) {
    let top = Infinity;
    let bottom = -1;
    let worst = Infinity;
    for (let y = 0; y < img.height; y++) {
      if (!ink(x, y)) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      const c = contrast(lum(x, y), background);
      worst = Math.min(worst, c);
      if (c < 4.5) inkBelowAA++;
    }
    if (bottom < 0) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { left: x, right: x, top, bottom, worstContrast: worst };
      glyphs.push(current);
    } else {
      current.right = x;
      current.top = Math.min(current.top, top);
      current.bottom = Math.max(current.bottom, bottom);
      current.worstContrast = Math.min(current.worstContrast, worst);
    }
  }
  return { width: img.width, height: img.height, glyphs, inkBelowAA };
}

describe('the Codice di Controllo image (seed 001, F8)', () => {
  it('is legible: 7 separate glyphs at least 28 px high, contrast at least 4.5:1, nothing else stands out', () => {
    for (let round = 0; round < 40; round++) {
      const text = Array.from({ length: CAPTCHA_LENGTH }, (_, i) => PIN_ALPHABET[(round * 7 + i * 5) % PIN_ALPHABET.length]).join('');
      const { width, height, glyphs, inkBelowAA } = readGlyphs(captchaPng(text));
      expect([width, height]).toEqual([CAPTCHA_WIDTH, CAPTCHA_HEIGHT]);
      // Seven runs of inked columns: no two glyphs touch or overlap, no noise reads as a glyph.
      expect(glyphs, text).toHaveLength(CAPTCHA_LENGTH);
      for (const [i, g] of glyphs.entries()) {
        expect(g.bottom - g.top + 1, `${text}[${i}] height`).toBeGreaterThanOrEqual(28);
        expect(g.worstContrast, `${text}[${i}] contrast`).toBeGreaterThanOrEqual(4.5);
        if (i > 0) expect(g.left - glyphs[i - 1]!.right, `${text}[${i}] gap`).toBeGreaterThanOrEqual(3);
      }
      expect(inkBelowAA, text).toBe(0);
    }
  });

  it('issue 13: is drawn in two groups as it is written (K7QM 3PX): the gap between the groups is wider than any inside them', () => {
    for (let round = 0; round < 40; round++) {
      const text = Array.from({ length: CAPTCHA_LENGTH }, (_, i) => PIN_ALPHABET[(round * 3 + i * 7) % PIN_ALPHABET.length]).join('');
      const { glyphs } = readGlyphs(captchaPng(text));
      expect(glyphs, text).toHaveLength(CAPTCHA_LENGTH);
      const gaps = glyphs.slice(1).map((g, i) => g.left - glyphs[i]!.right);
      const between = gaps[CAPTCHA_GROUP - 1]!;
      const inside = gaps.filter((_, i) => i !== CAPTCHA_GROUP - 1);
      expect(between, text).toBeGreaterThanOrEqual(Math.max(...inside) + 10);
      expect(glyphs[0]!.left, text).toBeGreaterThanOrEqual(2);
      expect(glyphs.at(-1)!.right, text).toBeLessThan(CAPTCHA_WIDTH - 2);
    }
  });

  it('issue 13: the code is written "K7QM-3PX" and accepted as people type it: spaces, dashes, lower case', () => {
    expect(formatControlCode('K7QM3PX')).toBe('K7QM-3PX');
    for (const typed of ['K7QM-3PX', 'k7qm-3px', 'k7qm 3px', ' K7QM – 3PX ', 'K7 QM3 PX', 'K7QM\u20113PX', 'k7qm3px'])
      expect(normalizeControlCode(typed), typed).toBe('K7QM3PX');
    // Nothing else is dropped or mapped: a missing or a look-alike character is still wrong.
    expect(normalizeControlCode('K7QM.3PX')).not.toBe('K7QM3PX');
    expect(normalizeControlCode('K7QM-3P')).not.toBe('K7QM3PX');
  });

  it('draws every character of the PIN alphabet, each with a shape of its own, and nothing else', () => {
    expect(Object.keys(CAPTCHA_GLYPHS).sort().join('')).toBe([...PIN_ALPHABET].sort().join(''));
    expect(new Set(Object.values(CAPTCHA_GLYPHS).map((g) => g.join('/'))).size).toBe(PIN_ALPHABET.length);
    for (const ch of PIN_ALPHABET) expect(readGlyphs(captchaPng(ch.repeat(CAPTCHA_LENGTH))).glyphs, ch).toHaveLength(CAPTCHA_LENGTH);
  });

  describe('prompts', () => {
    let db: Db;
    const box = createSecretBox(Buffer.alloc(32, 3));
    const now = new Date('2026-06-01T10:00:00Z');
    beforeAll(async () => {
      ({ db } = await freshDatabase('pglite'));
    });
    afterAll(async () => {
      await db.destroy();
    });

    it('issue 13: an image prompt typed in groups, lower case, with spaces answers it; a mailed code arrives grouped on its own line', async () => {
      const c = await createCaptcha(db, box, 'image', now);
      const prompt = (await captchaPrompt(db, box, c.id, now))!.prompt;
      expect(await consumeCaptcha(db, box, c.id, ` ${prompt.slice(0, 4).toLowerCase()} - ${prompt.slice(4)} `, now)).toBe(true);
      const mailed = await createMailedCaptcha(db, box, 'VRDGPP73A01G702X', now);
      expect(await consumeCaptcha(db, box, mailed.captcha.id, formatControlCode(mailed.code).toLowerCase().replace('-', ' - '), now, 'VRDGPP73A01G702X')).toBe(
        true,
      );
      const message = {
        id: 'm1',
        channel: 'email',
        template: 'revoca.controllo',
        recipient: 'a@example.org',
        locale: 'it',
        params: { nome: 'GIUSEPPE', cognome: 'VERDI', minutes: '15' },
        created_at: now,
      } as never;
      const mail = await renderMessage(message, formatControlCode('K7QM3PX'), { istituto: 'INPS' });
      expect(mail.text).toContain('\n\n    K7QM-3PX\n\n');
      expect(mail.text).toContain('con o senza trattino');
    });

    it('are 7 characters of the PIN alphabet only, and die at their first answer', async () => {
      for (let i = 0; i < 30; i++) {
        const c = await createCaptcha(db, box, 'image', now);
        const prompt = (await captchaPrompt(db, box, c.id, now))!.prompt;
        expect(prompt).toMatch(new RegExp(`^[${PIN_ALPHABET}]{${CAPTCHA_LENGTH}}$`));
        if (i === 0) {
          expect(await consumeCaptcha(db, box, c.id, 'XXXXXXX', now)).toBe(false);
          expect(await consumeCaptcha(db, box, c.id, prompt, now)).toBe(false);
        } else if (i === 1) {
          expect(await consumeCaptcha(db, box, c.id, prompt.toLowerCase(), now)).toBe(true);
        }
      }
    });
  });
});
