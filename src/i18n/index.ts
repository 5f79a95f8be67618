import { de } from './de.js';
import { en } from './en.js';
import { it } from './it.js';

export const LOCALES = ['it', 'de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'it';

/**
 * Every text key. This folder holds the layout, the shared errors and the field labels; each
 * module adds its own keys from its `messages.ts` (`declare module … { interface Messages … }`),
 * and its texts at run time through `registerMessages` (the module list, src/server/modules.ts).
 */
export interface Messages extends Record<keyof typeof it, string> {}
export type MessageKey = keyof Messages & string;

/** A module's texts: the same keys in the three languages. */
export interface ModuleMessages {
  it: Readonly<Record<string, string>>;
  de: Readonly<Record<string, string>>;
  en: Readonly<Record<string, string>>;
}

const catalogs: Record<Locale, Record<string, string>> = { it: { ...it }, de: { ...de }, en: { ...en } };
const registered = new Set<ModuleMessages>();

/** Adds a module's texts (once); a key already defined by another module or missing in a language is refused. */
export function registerMessages(messages: ModuleMessages): void {
  if (registered.has(messages)) return;
  const keys = Object.keys(messages.it);
  for (const locale of LOCALES) {
    const own = Object.keys(messages[locale]);
    const missing = keys.filter((k) => !(k in messages[locale]));
    if (missing.length || own.length !== keys.length)
      throw new Error(`messages in ${locale} differ from Italian: ${missing.join(', ') || own.filter((k) => !keys.includes(k)).join(', ')}`);
    const taken = own.filter((k) => k in catalogs[locale]);
    if (taken.length) throw new Error(`message keys defined twice: ${taken.join(', ')}`);
  }
  for (const locale of LOCALES) Object.assign(catalogs[locale], messages[locale]);
  registered.add(messages);
}

/** The whole catalog of a language, as registered so far (the catalog tests). */
export function catalogOf(locale: Locale): Readonly<Record<string, string>> {
  return catalogs[locale];
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function translator(locale: Locale, defaults: Params = {}): Translate {
  const catalog = catalogs[locale];
  return (key, params) => {
    const text = catalog[key];
    if (text === undefined) throw new Error(`no text for "${key}" in ${locale}: is its module in src/server/modules.ts?`);
    return interpolate(text, { ...defaults, ...params });
  };
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
  const text = form === 'sms' ? catalogs[locale]['contactCenter.numbers.sms'] : catalogs[locale]['contactCenter.numbers'];
  return interpolate(text ?? '', { fisso: numbers.landline, mobile: numbers.mobile });
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
