import { csrfField } from '../ui/forms.js';
import { html, type SafeHtml } from '../ui/html.js';
import { type PageContext, page } from '../ui/layout.js';
import type { Operator } from './accesso/service.js';

/** A back-office page: the breadcrumb from the back office's home, and the operator with the logout button. */
export function boPage(ctx: PageContext, title: string, op: Operator | undefined, body: SafeHtml): string {
  const { t } = ctx;
  return page(
    ctx,
    { title, breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: title }] },
    html`
${
  op
    ? html`<div class="d-flex justify-content-between align-items-center mb-3"><p class="mb-0">${t('bo.home.lead', { name: op.displayName, role: t(`bo.role.${op.role}`) })}</p>
    <form method="post" action="/backoffice/esci">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-outline-primary btn-sm">${t('bo.logout')}</button></form></div>`
    : ''
}
${body}`,
  );
}
