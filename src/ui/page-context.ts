import type { Config } from '../config/config.js';
import { contactCenterText, negotiateLocale, translator } from '../i18n/index.js';
import type { PageContext } from './layout.js';

/** The cookie that keeps the language the citizen chose (`/lingua/:locale`). */
export const LANG_COOKIE = 'varco_lang';

/**
 * The context every page is rendered with: the language (the citizen's choice, else the
 * browser's), its translator, the institution. The portal's routes and the pages the OpenID
 * Provider renders itself build it here.
 */
export function pageContextFor(
  config: Config,
  o: { langCookie: string | undefined; acceptLanguage: string | undefined; path: string; csrfToken: () => string },
): PageContext {
  const locale = negotiateLocale(o.langCookie, o.acceptLanguage);
  return {
    locale,
    t: translator(locale, {
      istituto: config.istituto.name,
      contactCenter: contactCenterText(locale, { landline: config.istituto.contactCenter, mobile: config.istituto.contactCenterMobile }),
    }),
    path: o.path,
    istituto: config.istituto.name,
    logoUrl: config.istituto.logoUrl,
    devMailbox: config.devMailbox,
    csrfToken: o.csrfToken,
  };
}
