import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';

describe('secret box (outbox secrets at rest)', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips and never shows the plaintext', () => {
    const sealed = box.seal('ACDEFHJK', 'message-1');
    expect(sealed).not.toContain('ACDEFHJK');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed, 'message-1')).toBe('ACDEFHJK');
  });

  it('refuses a ciphertext moved to another row', () => {
    const sealed = box.seal('ACDEFHJK', 'message-1');
    expect(() => box.open(sealed, 'message-2')).toThrow();
  });

  it('refuses a tampered ciphertext and another key', () => {
    const sealed = box.seal('ACDEFHJK', 'm');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('XXXXXXXX').toString('base64url');
    expect(() => box.open(parts.join('.'), 'm')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'm')).toThrow();
  });

  it('gives the same fingerprint for the same value only', () => {
    expect(box.fingerprint('a')).toBe(box.fingerprint('a'));
    expect(box.fingerprint('a')).not.toBe(box.fingerprint('b'));
  });
});
