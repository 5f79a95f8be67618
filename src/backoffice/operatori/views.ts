import type { OperatorRole } from '../../db/schema.js';
import { csrfField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import type { Operator } from '../accesso/service.js';
import { boPage } from '../layout.js';
import { headed } from '../../ui/fragments.js';

export function operatorsPage(
  ctx: PageContext,
  op: Operator,
  ops: { id: string; username: string; display_name: string; role: OperatorRole; disabled_at: Date | string | null }[],
): string {
  const { t } = ctx;
  return boPage(
    ctx,
    t('bo.ops.title'),
    op,
    headed(
      t('bo.ops.title'),
      html`<div class="table-responsive"><table class="table"><thead><tr><th scope="col">${t('bo.ops.username')}</th><th scope="col">${t('bo.ops.role')}</th><th scope="col">${t('bo.ops.state')}</th><th scope="col"><span class="visually-hidden">${t('bo.ops.state')}</span></th></tr></thead>
<tbody>${ops.map(
        (
          o,
        ) => html`<tr><td>${o.username} (${o.display_name})</td><td>${t(`bo.role.${o.role}`)}</td><td>${o.disabled_at ? t('bo.ops.disabled') : t('bo.ops.active')}</td>
  <td>${o.id === op.id ? '' : html`<form method="post" action="/backoffice/operatori/${o.id}/stato">${csrfField(ctx.csrfToken())}<button type="submit" name="azione" value="${o.disabled_at ? 'riattiva' : 'disattiva'}" class="btn btn-sm btn-outline-primary">${o.disabled_at ? t('bo.ops.enable') : t('bo.ops.disable')}<span class="visually-hidden"> ${o.username}</span></button></form>`}</td></tr>`,
      )}</tbody></table></div>`,
    ),
  );
}
