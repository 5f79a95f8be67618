import type { Selectable } from 'kysely';
import type { ConversionRequestsTable } from '../../db/schema.js';
import type { FieldErrors } from '../../ui/forms.js';
import { csrfField, errorSummary, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { formatItalianDate } from '../../domain/contacts.js';
import type { Operator } from '../accesso/service.js';
import { boPage } from '../layout.js';
import { dlRow, headed } from '../../ui/fragments.js';

export function requestPage(
  ctx: PageContext,
  op: Operator,
  o: {
    request: Pick<
      Selectable<ConversionRequestsTable>,
      'id' | 'number' | 'doc_type' | 'doc_number' | 'doc_authority' | 'doc_issued' | 'doc_expires' | 'module_file_id' | 'id_file_id' | 'state'
    >;
    citizen: { codice_fiscale: string; cognome: string; nome: string; data_nascita: string };
    errors: FieldErrors;
  },
): string {
  const { t } = ctx;
  const r = o.request;
  const row = dlRow;
  // Calendar days stored as 'YYYY-MM-DD', shown GG/MM/AAAA.
  const day = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? formatItalianDate(v) : v);
  return boPage(
    ctx,
    t('bo.request.title', { number: r.number }),
    op,
    headed(
      t('bo.request.title', { number: r.number }),
      html`${errorSummary(t, o.errors)}
<dl>
  ${row(t('field.codiceFiscale'), o.citizen.codice_fiscale)}
  ${row(t('field.cognome'), o.citizen.cognome)}
  ${row(t('field.nome'), o.citizen.nome)}
  ${row(t('field.dataNascita'), day(o.citizen.data_nascita))}
  ${row(t('field.tipoDocumento'), t(`doc.${r.doc_type}`))}
  ${row(t('field.numeroDocumento'), r.doc_number)}
  ${row(t('field.enteRilascio'), r.doc_authority)}
  ${row(t('field.dataRilascio'), day(r.doc_issued))}
  ${row(t('field.dataScadenza'), day(r.doc_expires))}
</dl>
<h2 class="h5">${t('bo.request.files')}</h2>
<ul>
  ${r.module_file_id ? html`<li><a href="/backoffice/file/${r.module_file_id}">${t('field.moduloFirmato')}</a></li>` : ''}
  ${r.id_file_id ? html`<li><a href="/backoffice/file/${r.id_file_id}">${t('field.documentoIdentita')}</a></li>` : ''}
</ul>
${
  r.state === 'in_lavorazione'
    ? html`<div class="row g-4 mt-2">
      <form method="post" action="/backoffice/conversioni/${r.id}/approva" class="col-md-4">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-success">${t('bo.request.approve')}</button></form>
      <form method="post" action="/backoffice/conversioni/${r.id}/respingi" class="col-md-8" novalidate>${csrfField(ctx.csrfToken())}
        <div class="row">${textField({ name: 'motivo', label: t('bo.request.reason'), error: o.errors.motivo, required: true, maxlength: 300, col: 'col-12' })}</div>
        <button type="submit" class="btn btn-danger">${t('bo.request.reject')}</button></form>
    </div>`
    : html`<p>${t('bo.request.notPending')}</p>`
}`,
    ),
  );
}
