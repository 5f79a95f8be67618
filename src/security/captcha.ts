import { randomInt, randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { sameFingerprint } from './one-time-code.js';
import { PIN_ALPHABET } from './pin.js';
import type { SecretBox } from './secret-box.js';

/** R14 "Codice di Controllo": 7 characters in an image (seed 001), or a sum for who cannot see it. */
export const CAPTCHA_LENGTH = 7;
export const CAPTCHA_TTL_MINUTES = 15;

export interface Captcha {
  id: string;
  kind: 'image' | 'text';
  /** For 'text': the two numbers to add. */
  question?: [number, number];
}

export async function createCaptcha(db: Kysely<Database>, box: SecretBox, kind: 'image' | 'text', now: Date): Promise<Captcha> {
  const id = randomUUID();
  let prompt: string;
  let answer: string;
  let question: [number, number] | undefined;
  if (kind === 'image') {
    prompt = Array.from({ length: CAPTCHA_LENGTH }, () => PIN_ALPHABET[randomInt(PIN_ALPHABET.length)]).join('');
    answer = prompt;
  } else {
    question = [randomInt(2, 20), randomInt(2, 20)];
    prompt = question.join(',');
    answer = String(question[0] + question[1]);
  }
  await db
    .insertInto('captchas')
    .values({ id, kind, prompt_sealed: box.seal(prompt, id), answer_hmac: box.fingerprint(`captcha:${id}:${answer}`), expires_at: new Date(now.getTime() + CAPTCHA_TTL_MINUTES * 60_000) })
    .execute();
  return { id, kind, question };
}

/** Checks an answer and burns the captcha, whatever the outcome (single use). */
export async function consumeCaptcha(db: Kysely<Database>, box: SecretBox, id: string, answer: string, now: Date): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  const row = await db
    .updateTable('captchas')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['answer_hmac'])
    .executeTakeFirst();
  return row !== undefined && sameFingerprint(row.answer_hmac, box.fingerprint(`captcha:${id}:${answer.trim().toUpperCase()}`));
}

/** The prompt of a live captcha, to draw it or to ask it. */
export async function captchaPrompt(db: Kysely<Database>, box: SecretBox, id: string, now: Date): Promise<{ kind: 'image' | 'text'; prompt: string } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const row = await db.selectFrom('captchas').select(['kind', 'prompt_sealed']).where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return row ? { kind: row.kind, prompt: box.open(row.prompt_sealed, id) } : undefined;
}

/** 5×7 glyphs of the captcha alphabet (the PIN alphabet: no look-alike characters). */
const GLYPHS: Record<string, string[]> = {
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

/** Draws the characters, each shifted and sheared at random, over noise, as a grayscale PNG. */
export function captchaPng(text: string): Buffer {
  const scale = 4;
  const width = 20 + text.length * 6 * scale;
  const height = 7 * scale + 24;
  const px = new Uint8Array(width * height).fill(255);
  const dot = (x: number, y: number, v: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) px[y * width + x] = v;
  };
  for (let i = 0; i < width * height * 0.06; i++) dot(randomInt(width), randomInt(height), randomInt(120, 220));
  [...text].forEach((ch, i) => {
    const glyph = GLYPHS[ch] ?? GLYPHS['7']!;
    const ox = 10 + i * 6 * scale + randomInt(-2, 3);
    const oy = 12 + randomInt(-5, 6);
    const shear = (randomInt(-3, 4)) / 10;
    glyph.forEach((row, gy) => {
      [...row].forEach((bit, gx) => {
        if (bit !== '1') return;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const y = oy + gy * scale + dy;
            dot(Math.round(ox + gx * scale + dx + shear * (y - oy)), y, randomInt(0, 60));
          }
        }
      });
    });
  });
  for (let l = 0; l < 4; l++) {
    let y = randomInt(height);
    const slope = (randomInt(-10, 11)) / 20;
    for (let x = 0; x < width; x++) dot(x, Math.round(y + slope * x), 90);
    y++;
  }
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
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
