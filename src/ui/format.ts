/** Formatters the pages share. */

/** Contacts are shown masked: enough to recognise them, not enough to read them off a screen. */
export function mask(value: string | null): string {
  if (!value) return '—';
  if (value.includes('@')) {
    const [local, domain] = value.split('@') as [string, string];
    return `${local.slice(0, 2)}${'*'.repeat(Math.max(1, local.length - 2))}@${domain}`;
  }
  return `${value.slice(0, 4)}${'*'.repeat(Math.max(1, value.length - 7))}${value.slice(-3)}`;
}

const EURO = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
/** An amount in cents as the institute writes it (600,00 €). */
export const euro = (cents: number) => EURO.format(cents / 100);
