import { type FieldErrors, type SelectOption, radioGroup } from './forms.js';
import { html, type SafeHtml } from './html.js';
import { type PageContext, type PageOptions, page } from './layout.js';
import type { RawForm } from './validators.js';

/** The structures the views repeat: a page opened by its h1, an alert, a definition list's row. */

export type AlertKind = 'info' | 'success' | 'warning' | 'danger';

/** A Bootstrap alert: `status` for news, `alert` for what stops the citizen, `note` for a standing warning. */
export function alert(kind: AlertKind, content: SafeHtml | string, o: { role?: 'status' | 'alert' | 'note'; id?: string } = {}): SafeHtml {
  return html`<div class="alert alert-${kind}" role="${o.role ?? 'status'}"${o.id ? html` id="${o.id}"` : ''}>${content}</div>`;
}

/** A page whose body opens with its h1: the title, or `heading` where the h1 names the whole flow. */
export function titledPage(ctx: PageContext, o: PageOptions & { heading?: string }, body: SafeHtml): string {
  return page(ctx, { title: o.title, breadcrumb: o.breadcrumb }, headed(o.heading ?? o.title, body));
}

/** A row of a definition list (label, value); an empty value shows `empty`, when given. */
export function dlRow(label: string, value: SafeHtml | string | null | undefined, empty?: string): SafeHtml {
  return html`<div class="row border-bottom py-2"><dt class="col-sm-4">${label}</dt><dd class="col-sm-8 mb-0">${value || empty}</dd></div>`;
}

/** A required radio group of a form: its value as typed (else the first option) and its error, both by the field's name. */
export function formRadios(o: { name: string; legend: string; raw: RawForm; errors: FieldErrors; options: SelectOption[] }): SafeHtml {
  return radioGroup({
    name: o.name,
    legend: o.legend,
    value: o.raw[o.name] || o.options[0]?.value,
    error: o.errors[o.name],
    required: true,
    options: o.options,
  });
}

/** A page's body opened by its h1 (for the frames that are not `page` itself, such as the back office's). */
export function headed(heading: string, body: SafeHtml): SafeHtml {
  return html`
<h1>${heading}</h1>
${body}`;
}
