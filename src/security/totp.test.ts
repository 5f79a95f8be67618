import { describe, expect, it } from 'vitest';
import { newTotpSecret, otpauthUri, totpCode, totpStep, verifyTotp } from './totp.js';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32 below), 8 digits there; 6 here are its last 6.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totpCode(secret, new Date(seconds * 1000))).toBe(code);
  });

  it('accepts one step of drift, not two, and says which step matched', () => {
    const at = new Date(1_700_000_000_000);
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at)).toBe(totpStep(at) - 1);
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() + 30_000)), at)).toBe(totpStep(at) + 1);
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 60_000)), at)).toBeNull();
    expect(verifyTotp(secret, '12', at)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', at)).toBeNull();
    expect(verifyTotp(secret, '', at)).toBeNull();
  });

  it('RFC 6238 §5.2: refuses a step at or before the last accepted one', () => {
    const at = new Date(1_700_000_000_000);
    const code = totpCode(secret, at);
    expect(verifyTotp(secret, code, at, totpStep(at) - 1)).toBe(totpStep(at));
    expect(verifyTotp(secret, code, at, totpStep(at))).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, at, -1), at, totpStep(at))).toBeNull();
  });

  it('makes 160-bit secrets and otpauth URIs', () => {
    expect(newTotpSecret()).toMatch(/^[A-Z2-7]{32}$/);
    // otplib leaves out digits=6 and period=30: they are the defaults every app assumes.
    expect(otpauthUri('ABC', 'mario', 'INPS Varco')).toBe('otpauth://totp/INPS%20Varco:mario?secret=ABC&issuer=INPS%20Varco');
  });
});
