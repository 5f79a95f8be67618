import type { OperatorRole } from '../../db/schema.js';
import type { Step1 } from '../../flows/richiesta/form.js';
import { residenzaField, step2Page } from '../../flows/richiesta/views.js';
import { type FieldErrors, csrfField, errorSummary, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import type { RawForm } from '../../ui/validators.js';
import { alert, titledPage } from '../../ui/fragments.js';

/** Step 1 of an operator's request: the CF and the residence; `done` tells of the request just made. */
export function startPage(
  ctx: PageContext,
  o: { role: OperatorRole; raw: Record<string, string>; errors: FieldErrors; alreadyAssigned?: string; alreadyPending?: boolean; done?: string },
): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('bo.new.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.new.title') }] },
    html`<p>${t(`bo.new.lead.${o.role}`)}</p>
${o.done ? alert('success', o.done, { id: 'bo-new-done' }) : ''}
${o.alreadyPending ? alert('info', t('bo.remote.alreadyPending'), { role: 'alert', id: 'already-pending' }) : ''}
${o.alreadyAssigned ? alert('info', t('req.alreadyAssigned', { cf: o.alreadyAssigned }), { role: 'alert', id: 'already-assigned' }) : ''}
${errorSummary(t, o.errors)}
<form method="post" action="/backoffice/richiesta" novalidate>
  ${csrfField(ctx.csrfToken())}
  <div class="row">${textField({ name: 'codiceFiscale', label: t('field.codiceFiscale'), value: o.raw.codiceFiscale, error: o.errors.codiceFiscale, required: true, maxlength: 16 })}</div>
  <div class="row">${residenzaField(ctx, o.raw, o.errors)}</div>
  <button type="submit" class="btn btn-primary">${t('req.next')}</button>
</form>`,
  );
}

/** A sede states that it identified the citizen with a document before the PIN is printed; the contact center may record a remote identification. */
function identification(ctx: PageContext, role: OperatorRole, error?: string) {
  return role === 'contact-center'
    ? html`<fieldset class="mb-3" id="f-remoto-group"><legend class="h6">${ctx.t('bo.remote.title')}</legend>
          <div class="form-check"><input type="checkbox" id="f-remoto" name="remoto" value="si" ${error ? html`aria-invalid="true" aria-describedby="f-remoto-error"` : ''}><label for="f-remoto">${ctx.t('bo.remote.check')}</label></div>
          <div class="row">${textField({ name: 'documentoVisto', label: ctx.t('field.numeroDocumento'), maxlength: 20 })}</div>
          ${error ? html`<div class="invalid-feedback d-block" id="f-remoto-error">${error}</div>` : ''}
        </fieldset>`
    : role === 'sede'
      ? html`<div class="form-check mb-3" id="f-identificato-group">
          <input type="checkbox" id="f-identificato" name="identificato" value="si" ${error ? html`aria-invalid="true" aria-describedby="f-identificato-error"` : ''}>
          <label for="f-identificato">${ctx.t('bo.new.identified')}</label>
          ${error ? html`<div class="invalid-feedback d-block" id="f-identificato-error">${error}</div>` : ''}
        </div>`
      : undefined;
}

/** Step 2: the citizen's data, the web's own form posted to the back office, with the operator's identification. */
export function dataPage(ctx: PageContext, role: OperatorRole, o: { step1: Step1; raw: RawForm; errors: FieldErrors; identificationError?: string }): string {
  const crumbs = [{ label: ctx.t('bo.title'), href: '/backoffice' }, { label: ctx.t('bo.new.title') }];
  return step2Page(ctx, {
    step1: o.step1,
    raw: o.raw,
    errors: o.errors,
    action: '/backoffice/richiesta/dati',
    crumbs,
    extra: identification(ctx, role, o.identificationError),
  });
}
