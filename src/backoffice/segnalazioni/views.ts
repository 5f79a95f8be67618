import { formatRome } from '../../domain/rome-time.js';
import type { notMeReports } from '../../flows/non-sono-stato-io/service.js';
import { csrfField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { titledPage } from '../../ui/fragments.js';

export const REPORTS_PATH = '/backoffice/segnalazioni';

type Report = Awaited<ReturnType<typeof notMeReports>>[number];

/** Issue 12 F2: the "Non sono stato io" reports, each with the citizen's ripristino block and the button that lifts it. */
export function reportsPage(ctx: PageContext, reports: Report[]): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('bo.notme.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.notme.title') }] },
    html`<p>${t('bo.notme.lead')}</p>
${
  reports.length === 0
    ? html`<p id="bo-reports-none">${t('bo.notme.empty')}</p>`
    : html`<div class="table-responsive"><table class="table" id="bo-reports"><thead><tr>
    <th scope="col">${t('bo.notme.reportedAt')}</th><th scope="col">${t('bo.queue.citizen')}</th><th scope="col">${t('bo.notme.reason')}</th><th scope="col">${t('bo.notme.state')}</th>
  </tr></thead><tbody>${reports.map(
    (r) => html`<tr>
    <td>${r.used_at ? formatRome(new Date(r.used_at)) : ''}</td>
    <td><a href="/backoffice/cittadino?cf=${r.codice_fiscale}">${r.cognome} ${r.nome} (${r.codice_fiscale})</a></td>
    <td>${t(`bo.notme.reason.${r.reason}`)}</td>
    <td>${
      r.ripristino_blocked_at
        ? html`${t('bo.notme.blocked')} <form method="post" action="${REPORTS_PATH}/sblocca" class="d-inline">${csrfField(ctx.csrfToken())}<input type="hidden" name="cf" value="${r.codice_fiscale}"><button type="submit" class="btn btn-sm btn-outline-primary">${t('bo.notme.lift')}<span class="visually-hidden"> ${r.codice_fiscale}</span></button></form>`
        : t('bo.notme.lifted')
    }</td>
  </tr>`,
  )}</tbody></table></div>`
}`,
  );
}
