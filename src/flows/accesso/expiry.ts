/** R8 (seed 004): the PIN must be changed at least every 6 months (citizens) or 3 (intermediaries). */
export interface ExpiryPolicy {
  citizenMonths: number;
  intermediarioMonths: number;
  noticeDays: number;
}

/** Calendar months after the last change; the 31st rolls back to the month's last day. */
export function pinExpiresAt(changedAt: Date, intermediario: boolean, policy: ExpiryPolicy): Date {
  const months = intermediario ? policy.intermediarioMonths : policy.citizenMonths;
  const d = new Date(changedAt.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

export function isPinExpired(changedAt: Date, intermediario: boolean, policy: ExpiryPolicy, now: Date): boolean {
  return now >= pinExpiresAt(changedAt, intermediario, policy);
}

/** From `noticeDays` before expiry the citizen is told the date. */
export function expiryNotice(changedAt: Date, intermediario: boolean, policy: ExpiryPolicy, now: Date): Date | undefined {
  const at = pinExpiresAt(changedAt, intermediario, policy);
  return at.getTime() - now.getTime() <= policy.noticeDays * 86_400_000 ? at : undefined;
}
