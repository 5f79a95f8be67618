import { csrfField } from './forms.js';
import { html, type SafeHtml } from './html.js';
import type { PageContext } from './layout.js';

/** A submit button's label, and its `name`/`value` when the form has more than one way to be sent. */
export interface SubmitButton {
  label: string;
  name?: string;
  value?: string;
}

const named = (b: SubmitButton) => (b.name ? html` name="${b.name}" value="${b.value ?? ''}"` : '');

/**
 * A step of a guided flow: a form posted to `action` with the session's token, not checked by the
 * browser (the server shows the errors), its `fields`, then the primary button (`submit`).
 */
export function stepForm(ctx: PageContext, o: { action: string; submit: SubmitButton; multipart?: boolean }, fields: SafeHtml): SafeHtml {
  return html`<form method="post" action="${o.action}"${o.multipart ? html` enctype="multipart/form-data"` : ''} novalidate>
  ${csrfField(ctx.csrfToken())}
  ${fields}
  <button type="submit"${named(o.submit)} class="btn btn-primary">${o.submit.label}</button>
</form>`;
}

/**
 * The form under a request's summary: back and "Conferma", side by side. `back` is the page to go
 * back to (a link); without it, back is a second button of the form, and the two say which they
 * are as `azione` (`indietro`, `conferma`). `hidden`: the values the form carries.
 */
export function confirmForm(ctx: PageContext, o: { action: string; back?: string; hidden?: SafeHtml; class?: string }): SafeHtml {
  const { t } = ctx;
  const buttons = o.back
    ? html`<a class="btn btn-outline-primary" href="${o.back}">${t('req.back')}</a>
  <button type="submit" class="btn btn-primary">${t('req.confirm')}</button>`
    : html`<button type="submit" name="azione" value="indietro" class="btn btn-outline-primary">${t('req.back')}</button>
  <button type="submit" name="azione" value="conferma" class="btn btn-primary">${t('req.confirm')}</button>`;
  return html`<form method="post" action="${o.action}" class="${['d-flex gap-3', o.class].filter(Boolean).join(' ')}">
  ${csrfField(ctx.csrfToken())}
  ${o.hidden ?? ''}
  ${buttons}
</form>`;
}
