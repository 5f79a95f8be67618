import type { Locale, Translate } from '../i18n/index.js';
import { LOCALES } from '../i18n/index.js';
import { html, type SafeHtml } from './html.js';

/** What every page needs to render its frame. */
export interface PageContext {
  t: Translate;
  locale: Locale;
  path: string;
  istituto: string;
  logoUrl: string | undefined;
  devMailbox: boolean;
  csrfToken: () => string;
  /** The logged-in citizen, when the route loaded a session: the header shows profile and Esci. */
  user?: { nome: string; cognome: string };
}

export interface PageOptions {
  title: string;
  breadcrumb?: { label: string; href?: string }[];
}

export function page(ctx: PageContext, opts: PageOptions, body: SafeHtml): string {
  const { t } = ctx;
  const langLinks = LOCALES.map((l) =>
    l === ctx.locale
      ? html`<li><span class="nav-link active" aria-current="true" lang="${l}">${labelOf(l)}</span></li>`
      : html`<li><a class="nav-link" href="/lingua/${l}?next=${encodeURIComponent(ctx.path)}" lang="${l}" hreflang="${l}">${labelOf(l)}</a></li>`,
  );
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${opts.title} – ${ctx.istituto}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/bootstrap-italia/css/bootstrap-italia.min.css">
<link rel="stylesheet" href="/assets/varco.css">
</head>
<body>
<a class="visually-hidden-focusable skip-link" href="#main">${t('layout.skip')}</a>
<header class="it-header-wrapper">
  <div class="it-header-slim-wrapper">
    <div class="container">
      <div class="row"><div class="col-12">
        <div class="it-header-slim-wrapper-content">
          <a class="navbar-brand" href="/pin">${t('layout.pinOnline')}</a>
          <nav class="it-header-slim-right-zone" aria-label="${t('lang.switch')}">
            <ul class="link-list lang-list">${langLinks}</ul>
            ${ctx.locale === 'de' ? '' : html`<a class="nav-link lang-de" href="/lingua/de?next=${encodeURIComponent(ctx.path)}" lang="de" hreflang="de">${t('lang.deutsch')}</a>`}
            ${
              ctx.user
                ? html`<a class="nav-link" href="/profilo">${ctx.user.nome} ${ctx.user.cognome}</a>
                <form method="post" action="/esci" class="d-inline"><input type="hidden" name="_csrf" value="${ctx.csrfToken()}"><button type="submit" class="btn btn-sm btn-outline-light">${t('board.logout')}</button></form>`
                : ''
            }
          </nav>
        </div>
      </div></div>
    </div>
  </div>
  <div class="it-nav-wrapper">
    <div class="it-header-center-wrapper">
      <div class="container">
        <div class="row"><div class="col-12">
          <div class="it-header-center-content-wrapper">
            <form method="get" action="/cerca" role="search" class="varco-search order-2">
              <label for="varco-q" class="visually-hidden">${t('cat.searchLabel')}</label>
              <input type="search" id="varco-q" name="q" maxlength="200" class="form-control form-control-sm" placeholder="${t('cat.searchLabel')}">
              <button type="submit" class="btn btn-sm btn-light">${t('cat.search')}</button>
            </form>
            <div class="it-brand-wrapper">
              <a href="/">
                ${ctx.logoUrl ? html`<img class="icon" src="${ctx.logoUrl}" alt="">` : ''}
                <div class="it-brand-text">
                  <div class="it-brand-title">${ctx.istituto}</div>
                  <div class="it-brand-tagline d-none d-md-block">${t('home.title', { istituto: ctx.istituto })}</div>
                </div>
              </a>
            </div>
          </div>
        </div></div>
      </div>
    </div>
  </div>
</header>
<main id="main" class="container my-4" tabindex="-1">
${
  ctx.user
    ? html`<div class="alert alert-warning" role="alert" id="session-warning" tabindex="-1" hidden data-warn-after-ms="1500000">
      <p class="mb-2">${t('session.warning')}</p>
      <button type="button" class="btn btn-sm btn-primary" id="session-stay">${t('session.stay')}</button>
    </div>`
    : ''
}
${opts.breadcrumb ? breadcrumb(t, opts.breadcrumb) : ''}
${body}
</main>
<footer class="it-footer">
  <div class="it-footer-main">
    <div class="container py-4">
      <p class="mb-1">${t('layout.footer', { istituto: ctx.istituto })}</p>
      <p class="mb-1">${t('layout.footerTrace')}</p>
      <p class="mb-1 small">${t('layout.geoCredit')}</p>
      ${ctx.devMailbox ? html`<p class="mb-0"><a href="/dev/mailbox">${t('layout.devMailbox')}</a></p>` : ''}
    </div>
  </div>
</footer>
${ctx.user ? html`<script src="/assets/session.js" defer></script>` : ''}
</body>
</html>`.value;
}

function labelOf(locale: Locale): string {
  return { it: 'Italiano', de: 'Deutsch', en: 'English' }[locale];
}

function breadcrumb(t: Translate, items: { label: string; href?: string }[]): SafeHtml {
  return html`<nav class="breadcrumb-container" aria-label="${t('layout.breadcrumb')}">
  <ol class="breadcrumb">
    <li class="breadcrumb-item"><a href="/">${t('layout.home')}</a><span class="separator">/</span></li>
    ${items.map((item, i) =>
      item.href && i < items.length - 1
        ? html`<li class="breadcrumb-item"><a href="${item.href}">${item.label}</a><span class="separator">/</span></li>`
        : html`<li class="breadcrumb-item active" aria-current="page">${item.label}</li>`,
    )}
  </ol>
</nav>`;
}
