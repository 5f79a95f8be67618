import { csrfField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { NOT_ME_PATH } from './service.js';
import { alert, titledPage } from '../../ui/fragments.js';

/** The page of the "Non sono stato io" link: asks to confirm (a mail scanner's GET changes nothing), then says what happened and whom to call. */
export function notMePage(ctx: PageContext, o: { token?: string; invalid?: boolean; done?: boolean }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('notme.title') },
    html`${
      o.done
        ? html`${alert('success', t('notme.done'), { id: 'not-me-done' })}
    <p id="not-me-call"><strong>${t('notme.call')}</strong></p>`
        : o.invalid
          ? alert('danger', t('notme.invalid'), { role: 'alert', id: 'not-me-invalid' })
          : html`<p>${t('notme.lead')}</p>
      <p>${t('notme.notReverted')}</p>
      <form method="post" action="${NOT_ME_PATH}">${csrfField(ctx.csrfToken())}<input type="hidden" name="t" value="${o.token ?? ''}">
        <button type="submit" class="btn btn-danger" id="not-me-confirm">${t('notme.submit')}</button></form>`
    }`,
  );
}
