import type { ModuleMessages } from '../../i18n/index.js';
import de from './messages/de.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import it from './messages/it.json' with { type: 'json' };

/** The texts of the non-sono-stato-io flow: Italian (the seeds' labels), German and English, the same keys (messages/*.json). */
export const messages: ModuleMessages = { it, de: de satisfies Record<keyof typeof it, string>, en: en satisfies Record<keyof typeof it, string> };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
