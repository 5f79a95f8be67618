import { csrfField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import { type PageContext, page } from '../../ui/layout.js';
import { NOT_ME_PATH } from './service.js';

/** The page of the "Non sono stato io" link: asks to confirm (a mail scanner's GET changes nothing), then says what happened and whom to call. */
export function notMePage(ctx: PageContext, o: { token?: string; invalid?: boolean; done?: boolean }): string {
  const { t } = ctx;
  return page(
    ctx,
    { title: t('notme.title') },
    html`
<h1>${t('notme.title')}</h1>
${
  o.done
    ? html`<div class="alert alert-success" role="status" id="not-me-done">${t('notme.done')}</div>
    <p id="not-me-call"><strong>${t('notme.call')}</strong></p>`
    : o.invalid
      ? html`<div class="alert alert-danger" role="alert" id="not-me-invalid">${t('notme.invalid')}</div>`
      : html`<p>${t('notme.lead')}</p>
      <p>${t('notme.notReverted')}</p>
      <form method="post" action="${NOT_ME_PATH}">${csrfField(ctx.csrfToken())}<input type="hidden" name="t" value="${o.token ?? ''}">
        <button type="submit" class="btn btn-danger" id="not-me-confirm">${t('notme.submit')}</button></form>`
}`,
  );
}
