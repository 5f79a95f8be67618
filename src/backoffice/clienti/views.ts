import { formatRome } from '../../domain/rome-time.js';
import { csrfField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import type { listClients } from './service.js';
import { alert, titledPage } from '../../ui/fragments.js';

type ClientRow = Awaited<ReturnType<typeof listClients>>[number];

/** The supervisori's list of clients; `kept` names a client that could not be removed. */
export function clientsPage(ctx: PageContext, clients: ClientRow[], kept: string | undefined): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('bo.clients.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.clients.title') }] },
    html`<p>${t('bo.clients.lead')}</p>
${kept !== undefined ? alert('warning', t('bo.clients.kept', { id: kept.slice(0, 64) }), { id: 'bo-client-kept' }) : ''}
${
  clients.length === 0
    ? html`<p id="bo-clients-none">${t('bo.clients.none')}</p>`
    : html`<div class="table-responsive"><table class="table" id="bo-clients"><thead><tr>
    <th scope="col">${t('bo.clients.id')}</th><th scope="col">${t('bo.clients.name')}</th><th scope="col">${t('bo.clients.scopes')}</th>
    <th scope="col">${t('bo.clients.auth')}</th><th scope="col">${t('bo.clients.created')}</th><th scope="col">${t('bo.clients.redirects')}</th><th scope="col">${t('bo.ops.state')}</th><th scope="col"><span class="visually-hidden">${t('bo.clients.actions')}</span></th>
  </tr></thead><tbody>${clients.map(
    (c) => html`<tr>
    <td>${c.id}</td><td>${c.name}</td><td>${c.scopes.join(', ')}</td><td>${c.jwks ? t('bo.clients.jwt') : t('bo.clients.secret')}</td>
    <td>${formatRome(c.created_at).slice(0, 10)}</td>
    <td>${c.redirect_uris.length ? html`${c.redirect_uris.map((u) => html`<span class="d-block">${u}</span>`)}<span class="d-block">${t('bo.clients.minLevel', { level: t(`level.${c.min_level ?? 'ordinario'}`) })}</span>` : '—'}</td>
    <td>${c.disabled_at ? t('bo.ops.disabled') : t('bo.ops.active')}</td>
    <td class="d-flex gap-2"><form method="post" action="/backoffice/clienti/${c.id}/stato">${csrfField(ctx.csrfToken())}<button type="submit" name="azione" value="${c.disabled_at ? 'riattiva' : 'disattiva'}" class="btn btn-sm btn-outline-primary">${c.disabled_at ? t('bo.ops.enable') : t('bo.ops.disable')}<span class="visually-hidden"> ${c.id}</span></button></form>
    <form method="post" action="/backoffice/clienti/${c.id}/rimuovi">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-sm btn-outline-danger">${t('bo.clients.remove')}<span class="visually-hidden"> ${c.id}</span></button></form></td>
  </tr>`,
  )}</tbody></table></div>`
}`,
  );
}
