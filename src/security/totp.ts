import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/**
 * RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits), the kind every authenticator app reads,
 * computed by otplib. RFC 6238 §5.2: a verifier never accepts the same code twice, so a check
 * returns the time step it matched and the caller refuses any step not after the last accepted
 * one (`operators.totp_last_step`).
 */
const STEP_SECONDS = 30;
const DIGITS = 6;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The RFC 6238 time step (counter) of an instant. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

export function totpCode(secretBase32: string, at: Date, stepOffset = 0): string {
  return generateSync({ secret: secretBase32, epoch: (totpStep(at) + stepOffset) * STEP_SECONDS, period: STEP_SECONDS, digits: DIGITS });
}

/**
 * Accepts the current step and one on each side (clock drift of ±30 s), never a step at or
 * before `afterStep`. Returns the step the code matched, or null.
 */
export function verifyTotp(secretBase32: string, code: string, at: Date, afterStep?: number | null): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = verifySync({
    secret: secretBase32,
    token,
    epoch: Math.floor(at.getTime() / 1000),
    period: STEP_SECONDS,
    digits: DIGITS,
    epochTolerance: STEP_SECONDS,
    ...(afterStep !== undefined && afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

export function otpauthUri(secretBase32: string, account: string, issuer: string): string {
  return generateURI({ issuer, label: account, secret: secretBase32, digits: DIGITS, period: STEP_SECONDS });
}
