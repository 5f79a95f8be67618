import type { AuthMethod } from '../db/schema.js';
import { html } from '../web/html.js';
import { type PageContext, page } from '../web/layout.js';

/** R18: the page a session of too low a level gets, saying how to reach the level. */
export function levelPage(ctx: PageContext, required: string, current: string): string {
  const { t } = ctx;
  return page(ctx, { title: t('level.title') }, html`
<h1>${t('level.title')}</h1>
<div class="alert alert-warning" role="status">${t('level.body', { required, current })}</div>
<p>${t('level.howto')}</p>
<p><a href="/pin/dispositivo">${t('profile.convert')}</a></p>`);
}

/** A PIN operation asked from a session opened with SPID, CIE or CNS. */
export function noPinPage(ctx: PageContext, method: AuthMethod): string {
  const { t } = ctx;
  return page(ctx, { title: t('level.noPin.title') }, html`
<h1>${t('level.noPin.title')}</h1>
<div class="alert alert-warning" role="status" id="no-pin">${t('level.noPin.body', { method: t(`profile.kind.${method}`) })}</div>
<p><a href="/pin">${t('access.manage')}</a></p>`);
}
