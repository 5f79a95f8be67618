import { de } from './de.js';
import { en } from './en.js';
import { type Catalog, type MessageKey, it } from './it.js';

export type { MessageKey } from './it.js';
export const LOCALES = ['it', 'de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'it';

const catalogs: Record<Locale, Catalog> = { it, de, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function translator(locale: Locale, defaults: Params = {}): Translate {
  const catalog = catalogs[locale];
  return (key, params) => interpolate(catalog[key], { ...defaults, ...params });
}

/** The Contact Center's numbers (seed 003): free from a landline, charged from a mobile. */
export interface ContactCenterNumbers {
  landline: string;
  mobile: string;
}
export const DEFAULT_CONTACT_CENTER: ContactCenterNumbers = { landline: '803 164', mobile: '06 164164' };

/**
 * What `{contactCenter}` reads in a text: "803 164 (gratuito da rete fissa), oppure 06 164164 (a
 * pagamento da rete mobile)"; shorter in an SMS.
 */
export function contactCenterText(locale: Locale, numbers: ContactCenterNumbers = DEFAULT_CONTACT_CENTER, form: 'full' | 'sms' = 'full'): string {
  return interpolate(catalogs[locale][form === 'sms' ? 'contactCenter.numbers.sms' : 'contactCenter.numbers'], { fisso: numbers.landline, mobile: numbers.mobile });
}

function interpolate(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Language of a request: explicit cookie choice first, then Accept-Language, then Italian. */
export function negotiateLocale(cookieValue: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().slice(0, 2).toLowerCase();
    if (isLocale(tag)) return tag;
  }
  return DEFAULT_LOCALE;
}
