import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { audit } from '../audit/events.js';
import { CLIENT_ID } from '../clients/clients.js';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { OperatorRole } from '../db/schema.js';
import { formatRome } from '../domain/rome-time.js';
import { pickFields } from '../ui/validators.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { csrfField } from '../ui/forms.js';
import { html } from '../ui/html.js';
import { page } from '../ui/layout.js';

/**
 * The one client registry (registered with `varco client add`): the API's machine clients and
 * the relying parties of the OpenID Provider, listed by a supervisore, who may disable one — its
 * credentials and every token it holds stop working at once — enable it again, or remove it.
 * A client that sent certificates cannot be removed (they keep naming it): it can be disabled.
 */
export function backofficeClientiRoutes(app: FastifyInstance, deps: AppDeps, requireOperator: (roles?: readonly OperatorRole[]) => preHandlerAsyncHookHandler): void {
  const guard = { preHandler: requireOperator(['supervisore']) };
  const opCtx = (req: FastifyRequest) => auditContextOf(req, `operator:${req.operator!.username}`, 'backoffice');

  app.get('/backoffice/clienti', guard, async (req, reply) => {
    const { t } = req.ctx;
    const clients = await deps.db.selectFrom('clients').select(['id', 'name', 'scopes', 'jwks', 'created_at', 'disabled_at', 'redirect_uris', 'min_level']).orderBy('id').execute();
    const kept = (req.query as Record<string, unknown>).nonrimovibile;
    return reply.type('text/html').send(page(req.ctx, { title: t('bo.clients.title'), breadcrumb: [{ label: t('bo.title'), href: '/backoffice' }, { label: t('bo.clients.title') }] }, html`
<h1>${t('bo.clients.title')}</h1>
<p>${t('bo.clients.lead')}</p>
${typeof kept === 'string' ? html`<div class="alert alert-warning" role="status" id="bo-client-kept">${t('bo.clients.kept', { id: kept.slice(0, 64) })}</div>` : ''}
${clients.length === 0
  ? html`<p id="bo-clients-none">${t('bo.clients.none')}</p>`
  : html`<div class="table-responsive"><table class="table" id="bo-clients"><thead><tr>
    <th scope="col">${t('bo.clients.id')}</th><th scope="col">${t('bo.clients.name')}</th><th scope="col">${t('bo.clients.scopes')}</th>
    <th scope="col">${t('bo.clients.auth')}</th><th scope="col">${t('bo.clients.created')}</th><th scope="col">${t('bo.clients.redirects')}</th><th scope="col">${t('bo.ops.state')}</th><th scope="col"><span class="visually-hidden">${t('bo.clients.actions')}</span></th>
  </tr></thead><tbody>${clients.map((c) => html`<tr>
    <td>${c.id}</td><td>${c.name}</td><td>${c.scopes.join(', ')}</td><td>${c.jwks ? t('bo.clients.jwt') : t('bo.clients.secret')}</td>
    <td>${formatRome(c.created_at).slice(0, 10)}</td>
    <td>${c.redirect_uris.length ? html`${c.redirect_uris.map((u) => html`<span class="d-block">${u}</span>`)}<span class="d-block">${t('bo.clients.minLevel', { level: t(`level.${c.min_level ?? 'ordinario'}`) })}</span>` : '—'}</td>
    <td>${c.disabled_at ? t('bo.ops.disabled') : t('bo.ops.active')}</td>
    <td class="d-flex gap-2"><form method="post" action="/backoffice/clienti/${c.id}/stato">${csrfField(req.ctx.csrfToken())}<button type="submit" name="azione" value="${c.disabled_at ? 'riattiva' : 'disattiva'}" class="btn btn-sm btn-outline-primary">${c.disabled_at ? t('bo.ops.enable') : t('bo.ops.disable')}<span class="visually-hidden"> ${c.id}</span></button></form>
    <form method="post" action="/backoffice/clienti/${c.id}/rimuovi">${csrfField(req.ctx.csrfToken())}<button type="submit" class="btn btn-sm btn-outline-danger">${t('bo.clients.remove')}<span class="visually-hidden"> ${c.id}</span></button></form></td>
  </tr>`)}</tbody></table></div>`}`));
  });

  app.post('/backoffice/clienti/:id/stato', guard, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!CLIENT_ID.test(id)) return reply.callNotFound();
    const disable = pickFields(req.body, ['azione']).azione === 'disattiva';
    const changed = await deps.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('clients').set({ disabled_at: disable ? deps.now() : null }).where('id', '=', id).returning('id').executeTakeFirst();
      if (row && disable) await revokeTokens(trx, id);
      if (row) await audit.clientStateChanged(trx, opCtx(req), { clientId: id, disabled: disable });
      return row;
    });
    if (!changed) return reply.callNotFound();
    return reply.redirect('/backoffice/clienti', 303);
  });

  app.post('/backoffice/clienti/:id/rimuovi', guard, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!CLIENT_ID.test(id)) return reply.callNotFound();
    const outcome = await deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('clients').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) return 'unknown' as const;
      const used = await trx.selectFrom('sick_certificates').select('id').where('client_id', '=', id).limit(1).executeTakeFirst();
      if (used) return 'kept' as const;
      await revokeTokens(trx, id);
      await trx.deleteFrom('client_assertions').where('client_id', '=', id).execute();
      await trx.deleteFrom('clients').where('id', '=', id).execute();
      await audit.clientRemoved(trx, opCtx(req), { clientId: id });
      return 'removed' as const;
    });
    if (outcome === 'unknown') return reply.callNotFound();
    return reply.redirect(outcome === 'kept' ? `/backoffice/clienti?nonrimovibile=${encodeURIComponent(id)}` : '/backoffice/clienti', 303);
  });
}

/** Every code, token and grant the provider issued to the client is deleted: they stop working at once. */
async function revokeTokens(db: Db, clientId: string): Promise<void> {
  await sql`delete from oidc_payloads where payload->>'clientId' = ${clientId}`.execute(db);
}
