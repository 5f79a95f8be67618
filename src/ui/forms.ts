import type { Translate } from '../i18n/index.js';
import { html, type SafeHtml } from './html.js';

/** A form's outcome: the cleaned value, or an error message per field (already translated). */
export type FormResult<T> = { success: true; value: T } | { success: false; errors: FieldErrors };
export type FieldErrors = Record<string, string>;

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** The error summary at the top of a form: one link per field in error (GOV.UK pattern). */
export function errorSummary(t: Translate, errors: FieldErrors): SafeHtml {
  const entries = Object.entries(errors);
  if (entries.length === 0) return html``;
  return html`<div class="alert alert-danger" role="alert" id="error-summary" tabindex="-1">
  <h2 class="h5">${t('layout.errorSummary')}</h2>
  <ul class="mb-0">${entries.map(([field, message]) => html`<li><a href="#${fieldId(field)}">${message}</a></li>`)}</ul>
</div>`;
}

export function fieldId(name: string): string {
  return `f-${name}`;
}

interface FieldOptions {
  name: string;
  label: string;
  value?: string;
  error?: string | undefined;
  required?: boolean;
  /** '**': one of a group is required (R2). */
  marker?: '*' | '**';
  hint?: string;
  type?: 'text' | 'email' | 'tel' | 'password';
  autocomplete?: string;
  maxlength?: number;
  inputmode?: string;
  col?: string;
}

function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function textField(o: FieldOptions): SafeHtml {
  const id = fieldId(o.name);
  const by = describedBy(id, o.hint, o.error);
  return html`<div class="form-group ${o.col ?? 'col-md-6'}">
  <label for="${id}" class="active">${o.label}${o.marker ?? (o.required ? '*' : '')}</label>
  <input type="${o.type ?? 'text'}" class="form-control${o.error ? ' is-invalid' : ''}" id="${id}" name="${o.name}" value="${o.value ?? ''}"
    ${o.required ? html`required aria-required="true"` : ''} ${o.maxlength ? html`maxlength="${o.maxlength}"` : ''}
    ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''} ${o.inputmode ? html`inputmode="${o.inputmode}"` : ''}
    ${by ? html`aria-describedby="${by}"` : ''} ${o.error ? html`aria-invalid="true"` : ''}>
  ${o.hint ? html`<small id="${id}-hint" class="form-text">${o.hint}</small>` : ''}
  ${o.error ? html`<div class="invalid-feedback d-block" id="${id}-error">${o.error}</div>` : ''}
</div>`;
}

export interface SelectOption {
  value: string;
  label: string;
}

export function selectField(o: FieldOptions & { options: SelectOption[]; placeholder: string }): SafeHtml {
  const id = fieldId(o.name);
  const by = describedBy(id, o.hint, o.error);
  return html`<div class="select-wrapper form-group ${o.col ?? 'col-md-6'}">
  <label for="${id}">${o.label}${o.marker ?? (o.required ? '*' : '')}</label>
  <select id="${id}" name="${o.name}" class="form-select${o.error ? ' is-invalid' : ''}" ${o.required ? html`required aria-required="true"` : ''}
    ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''} ${by ? html`aria-describedby="${by}"` : ''} ${o.error ? html`aria-invalid="true"` : ''}>
    <option value="">${o.placeholder}</option>
    ${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`)}
  </select>
  ${o.hint ? html`<small id="${id}-hint" class="form-text">${o.hint}</small>` : ''}
  ${o.error ? html`<div class="invalid-feedback d-block" id="${id}-error">${o.error}</div>` : ''}
</div>`;
}

export function radioGroup(o: {
  name: string;
  legend: string;
  value?: string;
  error?: string | undefined;
  options: SelectOption[];
  required?: boolean;
}): SafeHtml {
  const id = fieldId(o.name);
  return html`<fieldset class="form-group col-md-6" id="${id}" ${o.error ? html`aria-describedby="${id}-error"` : ''}>
  <legend class="form-label fs-6 fw-semibold">${o.legend}${o.required ? '*' : ''}</legend>
  ${o.options.map(
    (opt, i) => html`<div class="form-check form-check-inline">
    <input type="radio" id="${id}-${i}" name="${o.name}" value="${opt.value}"${opt.value === o.value ? html` checked` : ''}${o.required ? html` required` : ''}>
    <label for="${id}-${i}">${opt.label}</label>
  </div>`,
  )}
  ${o.error ? html`<div class="invalid-feedback d-block" id="${id}-error">${o.error}</div>` : ''}
</fieldset>`;
}

/**
 * The form that takes back a single-use code sent to a new contact (profile contacts, notice
 * numbers): the wrong-code alert, the code field, an optional way back, the button.
 */
export function codeForm(
  t: Translate,
  o: { action: string; csrfToken: string; alertId: string; invalid?: boolean; errors: FieldErrors; back?: { href: string; label: string } },
): SafeHtml {
  return html`${o.invalid ? html`<div class="alert alert-danger" role="alert" id="${o.alertId}">${t('contacts.invalidCode')}</div>` : ''}
${errorSummary(t, o.errors)}
<form method="post" action="${o.action}" novalidate>
  ${csrfField(o.csrfToken)}
  <div class="row">${textField({ name: 'codice', label: t('contacts.code'), error: o.errors.codice, required: true, maxlength: 8, autocomplete: 'one-time-code' })}</div>
  ${o.back ? html`<a href="${o.back.href}" class="btn btn-outline-primary me-2">${o.back.label}</a>` : ''}
  <button type="submit" class="btn btn-primary">${t('contacts.verify.submit')}</button>
</form>`;
}
