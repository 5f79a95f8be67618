import { randomInt, randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { sameFingerprint } from './one-time-code.js';
import { generatePin, PIN_ALPHABET } from './pin.js';
import type { SecretBox } from './secret-box.js';

/**
 * R14 "Codice di Controllo": 7 characters in an image (seed 001), or, for who cannot see it, a
 * code sent to the Email/PEC on record for the codice fiscale (F8: nothing on the page answers it).
 */
export const CAPTCHA_LENGTH = 7;
export const CAPTCHA_TTL_MINUTES = 15;
/** A mailed code allows this many tries (an image dies at its first answer). */
export const MAILED_CAPTCHA_MAX_ATTEMPTS = 3;

export type CaptchaKind = 'image' | 'email';

export interface Captcha {
  id: string;
  kind: CaptchaKind;
}

const ID = /^[0-9a-f-]{36}$/;

/** F8 / issue 13: the code is read and written in two groups, "K7QM-3PX" (4 + 3 characters). */
export const CAPTCHA_GROUP = 4;

/** Room in the field for the code typed with spaces or dashes ("K7QM - 3PX"). */
export const CAPTCHA_TYPED_MAX = 16;

/** The code as people read it: "K7QM-3PX". */
export function formatControlCode(code: string): string {
  return `${code.slice(0, CAPTCHA_GROUP)}-${code.slice(CAPTCHA_GROUP)}`;
}

/** What a person types, as the code is compared: spaces and dashes (any kind) dropped, upper-cased. */
export function normalizeControlCode(typed: string): string {
  return typed
    .slice(0, 64)
    .replace(/[\s\-\u2010-\u2015\u2212]/g, '')
    .toUpperCase();
}

/** A new image captcha (the signature other flows reuse). */
export async function createCaptcha(db: Kysely<Database>, box: SecretBox, kind: 'image', now: Date): Promise<Captcha> {
  const id = randomUUID();
  const prompt = Array.from({ length: CAPTCHA_LENGTH }, () => PIN_ALPHABET[randomInt(PIN_ALPHABET.length)]).join('');
  await db
    .insertInto('captchas')
    .values({
      id,
      kind,
      prompt_sealed: box.seal(prompt, id),
      answer_hmac: box.fingerprint(`captcha:${id}:${prompt}`),
      expires_at: new Date(now.getTime() + CAPTCHA_TTL_MINUTES * 60_000),
    })
    .execute();
  return { id, kind };
}

/**
 * F8, the accessible alternative: a code for one codice fiscale, to be sent (by the caller, in the
 * same transaction) to the Email/PEC on record. The caller creates one whether or not the address
 * typed matches, and sends it only when it does: the page is the same either way.
 */
export async function createMailedCaptcha(db: Kysely<Database>, box: SecretBox, codiceFiscale: string, now: Date): Promise<{ captcha: Captcha; code: string }> {
  const id = randomUUID();
  const code = generatePin(CAPTCHA_LENGTH);
  await db
    .insertInto('captchas')
    .values({
      id,
      kind: 'email',
      prompt_sealed: box.seal('', id),
      subject_hmac: box.fingerprint(`captcha-subject:${codiceFiscale}`),
      answer_hmac: box.fingerprint(`captcha:${id}:${codiceFiscale}:${code}`),
      expires_at: new Date(now.getTime() + CAPTCHA_TTL_MINUTES * 60_000),
    })
    .execute();
  return { captcha: { id, kind: 'email' }, code };
}

/** A captcha still open to an answer, with its kind (the page shows it again after a field error). */
export async function liveCaptcha(db: Kysely<Database>, id: string, now: Date): Promise<Captcha | undefined> {
  if (!ID.test(id)) return undefined;
  const row = await db
    .selectFrom('captchas')
    .select(['id', 'kind'])
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('failed_attempts', '<', MAILED_CAPTCHA_MAX_ATTEMPTS)
    .executeTakeFirst();
  return row ? { id: row.id, kind: row.kind } : undefined;
}

/**
 * Checks an answer. An image is burnt by any answer, right or wrong (single use). A mailed code
 * answers only for the codice fiscale it was sent for (`subject`); each try is counted before the
 * comparison in one conditional statement (F12), the right one uses it up.
 */
export async function consumeCaptcha(db: Kysely<Database>, box: SecretBox, id: string, answer: string, now: Date, subject?: string): Promise<boolean> {
  if (!ID.test(id)) return false;
  const presented = normalizeControlCode(answer);
  const image = await db
    .updateTable('captchas')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('kind', '=', 'image')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['answer_hmac'])
    .executeTakeFirst();
  if (image) return sameFingerprint(image.answer_hmac, box.fingerprint(`captcha:${id}:${presented}`));
  if (subject === undefined) return false;
  const mailed = await db
    .updateTable('captchas')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', id)
    .where('kind', '=', 'email')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('failed_attempts', '<', MAILED_CAPTCHA_MAX_ATTEMPTS)
    .returning(['answer_hmac'])
    .executeTakeFirst();
  if (!mailed) return false;
  if (!sameFingerprint(mailed.answer_hmac, box.fingerprint(`captcha:${id}:${subject}:${presented}`))) return false;
  const used = await db.updateTable('captchas').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** The prompt of a live image captcha, to draw it. */
export async function captchaPrompt(db: Kysely<Database>, box: SecretBox, id: string, now: Date): Promise<{ kind: 'image'; prompt: string } | undefined> {
  if (!ID.test(id)) return undefined;
  const row = await db
    .selectFrom('captchas')
    .select(['kind', 'prompt_sealed'])
    .where('id', '=', id)
    .where('kind', '=', 'image')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { kind: 'image', prompt: box.open(row.prompt_sealed, id) } : undefined;
}

/** 5×7 glyphs of the captcha alphabet (the PIN alphabet: no look-alike characters). */
export const CAPTCHA_GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  C: ['01110', '10001', '10000', '10000', '10000', '10001', '01110'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  F: ['11111', '10000', '10000', '11110', '10000', '10000', '10000'],
  H: ['10001', '10001', '10001', '11111', '10001', '10001', '10001'],
  J: ['00111', '00010', '00010', '00010', '00010', '10010', '01100'],
  K: ['10001', '10010', '10100', '11000', '10100', '10010', '10001'],
  M: ['10001', '11011', '10101', '10101', '10001', '10001', '10001'],
  N: ['10001', '10001', '11001', '10101', '10011', '10001', '10001'],
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
  R: ['11110', '10001', '10001', '11110', '10100', '10010', '10001'],
  T: ['11111', '00100', '00100', '00100', '00100', '00100', '00100'],
  U: ['10001', '10001', '10001', '10001', '10001', '10001', '01110'],
  W: ['10001', '10001', '10001', '10101', '10101', '10101', '01010'],
  X: ['10001', '10001', '01010', '00100', '01010', '10001', '10001'],
  Y: ['10001', '10001', '01010', '00100', '00100', '00100', '00100'],
};

/** The image's size in pixels (the page declares it). */
export const CAPTCHA_WIDTH = 300;
export const CAPTCHA_HEIGHT = 64;
/** Each cell of a 5×7 glyph drawn SCALE pixels high: glyphs 35 px high, 26 px wide before the slant. */
const SCALE = 5;
const SLOT = 38;
/** The space between the two groups (K7QM 3PX), on top of the slots' own margins. */
const GROUP_GAP = 20;
const LEFT = Math.floor((CAPTCHA_WIDTH - CAPTCHA_LENGTH * SLOT - GROUP_GAP) / 2);

/**
 * Draws the characters for a person to read (F8): glyphs 35 px high in dark grey (contrast over
 * 8:1 on the light background, WCAG 1.4.3 asks 4.5:1), each in its own slot with a slight random
 * slant and offset that never makes two touch, in two groups (4 + 3) as the code is written, over a faint texture (contrast under 1.5:1) that
 * stays behind the characters.
 */
export function captchaPng(text: string): Buffer {
  const width = CAPTCHA_WIDTH;
  const height = CAPTCHA_HEIGHT;
  const px = new Uint8Array(width * height).fill(255);
  const dot = (x: number, y: number, v: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) px[y * width + x] = v;
  };
  // Texture: faint dots and lines, light enough (≥ 228) never to be mistaken for a stroke.
  for (let i = 0; i < width * height * 0.05; i++) dot(randomInt(width), randomInt(height), randomInt(228, 246));
  for (let l = 0; l < 5; l++) {
    const y0 = randomInt(height);
    const slope = randomInt(-10, 11) / 40;
    const v = randomInt(228, 240);
    for (let x = 0; x < width; x++) dot(x, Math.round(y0 + slope * x), v);
  }
  const glyphHeight = 7 * SCALE;
  [...text].slice(0, CAPTCHA_LENGTH).forEach((ch, i) => {
    const glyph = CAPTCHA_GLYPHS[ch] ?? CAPTCHA_GLYPHS['7'] ?? [];
    // Slant ±0.12 moves the top at most 4 px; offsets keep at least 6 px between slots' contents.
    const shear = randomInt(-12, 13) / 100;
    const ox = LEFT + i * SLOT + (i >= CAPTCHA_GROUP ? GROUP_GAP : 0) + 6 + randomInt(0, 4);
    const oy = Math.round((height - glyphHeight) / 2) + randomInt(-6, 7);
    const ink = randomInt(0, 70);
    glyph.forEach((row, gy) => {
      [...row].forEach((bit, gx) => {
        if (bit !== '1') return;
        for (let dy = 0; dy < SCALE; dy++) {
          // One column wider than the cell: strokes that meet at a corner stay joined under the slant.
          for (let dx = 0; dx <= SCALE; dx++) {
            const y = oy + gy * SCALE + dy;
            dot(Math.round(ox + gx * SCALE + dx + shear * (glyphHeight / 2 - (y - oy))), y, ink);
          }
        }
      });
    });
  });
  return encodePng(width, height, px);
}

function encodePng(width: number, height: number, gray: Uint8Array): Buffer {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    Buffer.from(gray.buffer, y * width, width).copy(raw, y * (width + 1) + 1);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
