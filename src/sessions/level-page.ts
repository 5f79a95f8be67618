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
