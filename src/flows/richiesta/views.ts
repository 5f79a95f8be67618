import {
  type Comune,
  type Country,
  type Provincia,
  findByBelfiore,
  findCountry,
  findProvince,
  listComuniByProvince,
  listCountries,
  listProvinces,
} from '../../domain/geo/index.js';
import type { MessageKey } from '../../i18n/index.js';
import { CAPTCHA_HEIGHT, CAPTCHA_TYPED_MAX, CAPTCHA_WIDTH, type Captcha } from '../../security/captcha.js';
import { type FieldErrors, csrfField, errorSummary, fieldId, radioGroup, selectField, textField } from '../../ui/forms.js';
import { html, type SafeHtml } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { stepForm, confirmForm } from '../../ui/step-forms.js';
import { BORN_ABROAD, ORARI_PREFERENZIALI, type PinRequestData, type Step1, TELEFONI_PREFERENZIALI, formatItalianDate } from './form.js';
import { type RawForm } from '../../ui/validators.js';
import { dlRow, formRadios, titledPage } from '../../ui/fragments.js';

const crumbs = (ctx: PageContext) => [{ label: ctx.t('pin.title'), href: '/pin' }, { label: ctx.t('req.title') }];

function steps(ctx: PageContext, n: number): SafeHtml {
  return html`<p class="text-muted mb-3">${ctx.t('req.steps', { n, total: 3 })}</p>`;
}

/** F13: the Codice di Controllo the first step asks for past the R1 limits (the revoca's image, R14). */
function codeField(ctx: PageContext, c: Captcha, error: string | undefined): SafeHtml {
  const { t } = ctx;
  const id = fieldId('captcha');
  return html`<fieldset class="mb-3" id="r1-code">
  <legend class="h5">${t('req.code.title')}</legend>
  <p>${t('req.code.lead')}</p>
  <input type="hidden" name="captchaId" value="${c.id}">
  <p><img src="/pin/revoca/controllo/${c.id}.png" alt="${t('rev.captchaAlt')}" width="${CAPTCHA_WIDTH}" height="${CAPTCHA_HEIGHT}" class="border mw-100 h-auto"></p>
  <p class="small">${t('rev.captchaHint')}</p>
  <div class="row">
    ${textField({ name: 'captcha', label: t('rev.captchaType'), error, required: true, maxlength: CAPTCHA_TYPED_MAX, autocomplete: 'off', hint: t('rev.captchaTypeHint') })}
  </div>
  <p class="small">${t('rev.captchaNew')}
    <button type="submit" name="azione" value="nuovo" formnovalidate class="btn btn-link p-0 align-baseline" aria-describedby="${id}">${t('rev.captchaNewLink')}</button>
  </p>
  <p class="small" id="req-code-alternative">${t('req.code.alternative')}</p>
</fieldset>`;
}

/** Where the citizen lives, Italy (the default) or abroad: the first question of a request, online or at the back office. */
export function residenzaField(ctx: PageContext, raw: RawForm, errors: FieldErrors): SafeHtml {
  const { t } = ctx;
  return formRadios({
    name: 'residenza',
    legend: t('req.residenza'),
    raw,
    errors,
    options: [
      { value: 'IT', label: t('req.residenza.IT') },
      { value: 'EE', label: t('req.residenza.EE') },
    ],
  });
}

/** Issue 13: the form's typed fields, carried by the page itself (its own POST) across an expired flow. */
function carried(raw: RawForm | undefined): SafeHtml {
  return html`${Object.entries(raw ?? {})
    .filter(([, v]) => v)
    .map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}`;
}

export function step1Page(
  ctx: PageContext,
  o: { raw: RawForm; errors: FieldErrors; notice?: MessageKey; alreadyAssigned?: string; federated?: boolean; captcha?: Captcha; carry?: RawForm },
): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('req.title'), breadcrumb: crumbs(ctx) },
    html`${steps(ctx, 1)}
${o.notice ? html`<div class="alert alert-warning" role="status"${o.notice === 'req.expiredKept' ? html` id="expired-kept"` : ''}>${t(o.notice)}</div>` : ''}
${
  o.alreadyAssigned
    ? html`<div class="alert alert-info" role="alert" id="already-assigned">
      <p class="mb-1"><strong>${t('req.alreadyAssigned', { cf: o.alreadyAssigned })}</strong></p>
      <p class="mb-0">${t('req.alreadyAssignedHint')} <a href="/pin/smarrito">${t('req.alreadyAssignedLink')}</a></p>
    </div>`
    : ''
}
${
  o.federated
    ? html`<div class="alert alert-info" role="alert" id="federated-record">
      <p class="mb-1"><strong>${t('req.federated')}</strong></p>
      <p class="mb-0">${t('req.federatedHint')} <a href="/accedi?metodo=spid">${t('login.title')}</a></p>
    </div>`
    : ''
}
${errorSummary(t, o.errors)}
<p>${t('req.step1.lead')}</p>
${stepForm(
  ctx,
  { action: '/pin/richiesta', submit: { label: t('req.next') } },
  html`${carried(o.carry)}
  <div class="row">
    ${textField({ name: 'codiceFiscale', label: t('field.codiceFiscale'), value: o.raw.codiceFiscale, error: o.errors.codiceFiscale, required: true, maxlength: 16, autocomplete: 'off', col: 'col-md-6 text-uppercase-input' })}
  </div>
  <div class="row">
    ${residenzaField(ctx, o.raw, o.errors)}
  </div>
  ${o.captcha ? codeField(ctx, o.captcha, o.errors.captcha) : ''}`,
)}`,
  );
}

/** Issue 12 F1: the registry holds no residence for this CF; the request is completed elsewhere. */
export function noResidencePage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('req.noResidence.title'), breadcrumb: crumbs(ctx), heading: t('req.title') },
    html`<div class="alert alert-warning" role="alert" id="no-residence">
  <h2 class="h4">${t('req.noResidence.title')}</h2>
  <p class="mb-0">${t('req.noResidence')}</p>
</div>
<p><a href="/pin">${t('unavailable.back')}</a></p>`,
  );
}

/**
 * A province as the lists and the summary name it: "Pesaro e Urbino (PU)". A sigla no longer in
 * use says so, so that the two Pesaro e Urbino (PS until 1946 in the register of the comuni,
 * PU today) are told apart: "Pesaro e Urbino (PS, sigla storica)".
 */
function provinceLabel(ctx: PageContext, p: Provincia): string {
  return p.current ? `${p.name} (${p.sigla})` : `${p.name} (${p.sigla}, ${ctx.t('geo.province.historic')})`;
}

/** A sigla as the summary shows it: the province's name, or the sigla itself if unknown. */
function provinceName(ctx: PageContext, sigla: string): string {
  const p = findProvince(sigla);
  return p ? provinceLabel(ctx, p) : sigla;
}

const NAMES = new Intl.Collator('it', { sensitivity: 'base' });

/** Birth may be in a province that no longer exists (Fiume, Pola, Zara…): those are listed too, after today's of the same name. */
function provinceOptions(ctx: PageContext, includeHistoric = false): { value: string; label: string }[] {
  return [...listProvinces({ includeHistoric })]
    .sort((a, b) => NAMES.compare(a.name, b.name) || Number(b.current) - Number(a.current))
    .map((p) => ({ value: p.sigla, label: provinceLabel(ctx, p) }));
}

function countryName(ctx: PageContext, c: Country): string {
  return ctx.locale === 'de' ? (c.nameDe ?? c.name) : ctx.locale === 'en' ? (c.nameEn ?? c.name) : c.name;
}

function comuneName(c: Comune): string {
  return c.nameOther ? `${c.name}/${c.nameOther}` : c.name;
}

function comuneOptions(provincia: string | undefined, includeSuppressed: boolean): { value: string; label: string }[] {
  if (!provincia || provincia === BORN_ABROAD) return [];
  return listComuniByProvince(provincia, { includeSuppressed }).map((c) => ({
    value: c.belfiore,
    label: c.validTo ? `${comuneName(c)} (${c.validFrom ? c.validFrom.slice(0, 4) : ''}–${c.validTo.slice(0, 4)})` : comuneName(c),
  }));
}

export function step2Page(
  ctx: PageContext,
  o: { step1: Step1; raw: RawForm; errors: FieldErrors; action?: string; crumbs?: { label: string; href?: string }[]; extra?: SafeHtml },
): string {
  const { t } = ctx;
  const r = o.raw;
  const e = o.errors;
  const abroad = r.provinciaNascita === BORN_ABROAD;
  const countries = listCountries().map((c) => ({ value: c.code, label: countryName(ctx, c) }));
  const residenzaIT = o.step1.residenza === 'IT';
  return titledPage(
    ctx,
    { title: t('req.title'), breadcrumb: o.crumbs ?? crumbs(ctx) },
    html`${steps(ctx, 2)}
${errorSummary(t, e)}
<form method="post" action="${o.action ?? '/pin/richiesta/dati'}" novalidate id="richiesta-form">
  ${csrfField(ctx.csrfToken())}
  <h2 class="h4 mt-4">${t('req.section.anagrafici')}</h2>
  <div class="row">
    <div class="form-group col-md-6">
      <label for="f-cf-readonly" class="active">${t('field.codiceFiscale')}</label>
      <input type="text" class="form-control" id="f-cf-readonly" value="${o.step1.codiceFiscale}" readonly>
    </div>
  </div>
  <div class="row">
    ${textField({ name: 'cognome', label: t('field.cognome'), value: r.cognome, error: e.cognome, required: true, maxlength: 60, autocomplete: 'family-name' })}
    ${textField({ name: 'nome', label: t('field.nome'), value: r.nome, error: e.nome, required: true, maxlength: 60, autocomplete: 'given-name' })}
  </div>
  <div class="row">
    ${textField({ name: 'dataNascita', label: t('field.dataNascita'), value: r.dataNascita, error: e.dataNascita, required: true, maxlength: 10, hint: t('req.dateHint'), autocomplete: 'bday', inputmode: 'numeric' })}
    ${radioGroup({
      name: 'sesso',
      legend: t('field.sesso'),
      value: r.sesso,
      error: e.sesso,
      required: true,
      options: [
        { value: 'M', label: t('field.sesso.M') },
        { value: 'F', label: t('field.sesso.F') },
      ],
    })}
  </div>
  <div class="row">
    ${selectField({ name: 'provinciaNascita', label: t('field.provinciaNascita'), value: r.provinciaNascita, error: e.provinciaNascita, required: true, placeholder: t('req.selectProvincia'), options: [...provinceOptions(ctx, true), { value: BORN_ABROAD, label: t('req.bornAbroad') }] })}
    ${
      abroad
        ? selectField({
            name: 'statoNascita',
            label: t('field.statoNascita'),
            value: r.statoNascita,
            error: e.statoNascita,
            required: true,
            placeholder: t('req.selectPaese'),
            options: countries,
          })
        : selectField({
            name: 'comuneNascita',
            label: t('field.comuneNascita'),
            value: r.comuneNascita,
            error: e.comuneNascita,
            required: true,
            placeholder: t('req.selectComune'),
            options: comuneOptions(r.provinciaNascita, true),
          })
    }
  </div>

  <h2 class="h4 mt-4">${t('req.section.residenza')}</h2>
  <h3 class="h5">${residenzaIT ? t('req.section.residenzaIT') : t('req.section.residenzaEE')}</h3>
  ${
    residenzaIT
      ? html`<div class="row">
        ${textField({ name: 'indirizzo', label: t('field.indirizzo'), value: r.indirizzo, error: e.indirizzo, required: true, maxlength: 100, autocomplete: 'address-line1' })}
        ${textField({ name: 'numeroCivico', label: t('field.numeroCivico'), value: r.numeroCivico, error: e.numeroCivico, required: true, maxlength: 10 })}
      </div>
      <div class="row">
        ${selectField({ name: 'provinciaResidenza', label: t('field.provinciaResidenza'), value: r.provinciaResidenza, error: e.provinciaResidenza, required: true, placeholder: t('req.selectProvincia'), options: provinceOptions(ctx) })}
        ${selectField({ name: 'comuneResidenza', label: t('field.comuneResidenza'), value: r.comuneResidenza, error: e.comuneResidenza, required: true, placeholder: t('req.selectComune'), options: comuneOptions(r.provinciaResidenza, false) })}
      </div>
      <div class="row">
        ${textField({ name: 'cap', label: t('field.cap'), value: r.cap, error: e.cap, required: true, maxlength: 5, autocomplete: 'postal-code', inputmode: 'numeric' })}
      </div>`
      : html`<div class="row">
        ${selectField({ name: 'paeseResidenza', label: t('field.paeseResidenza'), value: r.paeseResidenza, error: e.paeseResidenza, required: true, placeholder: t('req.selectPaese'), options: countries })}
        ${textField({ name: 'cittaResidenza', label: t('field.cittaResidenza'), value: r.cittaResidenza, error: e.cittaResidenza, required: true, maxlength: 60, autocomplete: 'address-level2' })}
      </div>
      <div class="row">
        ${textField({ name: 'indirizzoEstero', label: t('field.indirizzoEstero'), value: r.indirizzoEstero, error: e.indirizzoEstero, required: true, maxlength: 120, autocomplete: 'address-line1' })}
        ${textField({ name: 'codicePostale', label: t('field.codicePostale'), value: r.codicePostale, error: e.codicePostale, required: true, maxlength: 12, autocomplete: 'postal-code' })}
      </div>`
  }
  <p class="small">${t('req.updateComuniHint')}</p>
  <button type="submit" name="azione" value="aggiorna" class="btn btn-outline-primary btn-sm mb-3" formnovalidate>${t('req.updateComuni')}</button>

  <h2 class="h4 mt-4">${t('req.section.recapiti')}</h2>
  <div class="row">
    ${textField({ name: 'telefonoAbitazione', label: t('field.telefonoAbitazione'), marker: '**', value: r.telefonoAbitazione, error: e.telefonoAbitazione, type: 'tel', maxlength: 20, autocomplete: 'tel', hint: t('req.phoneHint') })}
    ${textField({ name: 'cellulare', label: t('field.cellulare'), marker: '**', value: r.cellulare, error: e.cellulare, type: 'tel', maxlength: 20, autocomplete: 'mobile tel', hint: t('req.phoneHint') })}
  </div>
  <div class="row">
    ${textField({ name: 'email', label: t('field.email'), marker: '**', value: r.email, error: e.email, type: 'email', maxlength: 254, autocomplete: 'email' })}
    ${textField({ name: 'pec', label: t('field.pec'), marker: '**', value: r.pec, error: e.pec, type: 'email', maxlength: 254 })}
  </div>
  <div class="row">
    ${selectField({ name: 'telefonoPreferenziale', label: t('field.telefonoPreferenziale'), value: r.telefonoPreferenziale, error: e.telefonoPreferenziale, required: true, placeholder: t('req.selectTelefono'), options: TELEFONI_PREFERENZIALI.map((v) => ({ value: v, label: t(`option.telefono.${v}`) })) })}
    ${selectField({ name: 'orarioPreferenziale', label: t('field.orarioPreferenziale'), value: r.orarioPreferenziale, error: e.orarioPreferenziale, required: true, placeholder: t('req.selectOrario'), options: ORARI_PREFERENZIALI.map((v) => ({ value: v, label: t(`option.orario.${v}`) })) })}
  </div>
  <p class="small mb-1">${t('req.requiredNote')}</p>
  <p class="small">${t('req.contactsNote')}</p>
  ${o.extra ?? ''}
  <button type="submit" name="azione" value="avanti" class="btn btn-primary">${t('req.next')}</button>
</form>
<script src="/assets/richiesta.js" defer></script>`,
  );
}

function row(label: string, value: string | null | undefined): SafeHtml {
  return dlRow(label, value, '—');
}

export function summaryPage(ctx: PageContext, data: PinRequestData, raw?: RawForm): string {
  const { t } = ctx;
  const birth = findByBelfiore(data.luogoNascita);
  const birthCountry = findCountry(data.luogoNascita);
  const r = data.residenza;
  const residenceComune = r.tipo === 'IT' ? findByBelfiore(r.comune) : undefined;
  const residenceCountry = r.tipo === 'EE' ? findCountry(r.paese) : undefined;
  return titledPage(
    ctx,
    { title: t('req.summary.title'), breadcrumb: crumbs(ctx), heading: t('req.title') },
    html`${steps(ctx, 3)}
<h2 class="h3">${t('req.summary.title')}</h2>
<p>${t('req.summary.lead')}</p>
<h3 class="h4 mt-4">${t('req.section.anagrafici')}</h3>
<dl>
  ${row(t('field.codiceFiscale'), data.codiceFiscale)}
  ${row(t('field.cognome'), data.cognome)}
  ${row(t('field.nome'), data.nome)}
  ${row(t('field.dataNascita'), formatItalianDate(data.dataNascita))}
  ${row(t('field.sesso'), t(`field.sesso.${data.sesso}`))}
  ${
    birth
      ? html`${row(t('field.provinciaNascita'), provinceName(ctx, birth.provincia))}${row(t('field.comuneNascita'), comuneName(birth))}`
      : row(t('field.statoNascita'), birthCountry ? countryName(ctx, birthCountry) : data.luogoNascita)
  }
</dl>
<h3 class="h4 mt-4">${t('req.section.residenza')}</h3>
<dl>
  ${
    r.tipo === 'IT'
      ? html`${row(t('field.indirizzo'), r.indirizzo)}${row(t('field.numeroCivico'), r.numeroCivico)}${row(t('field.provinciaResidenza'), provinceName(ctx, r.provincia))}${row(t('field.comuneResidenza'), residenceComune ? comuneName(residenceComune) : r.comune)}${row(t('field.cap'), r.cap)}`
      : html`${row(t('field.paeseResidenza'), residenceCountry ? countryName(ctx, residenceCountry) : r.paese)}${row(t('field.cittaResidenza'), r.citta)}${row(t('field.indirizzoEstero'), r.indirizzo)}${row(t('field.codicePostale'), r.codicePostale)}`
  }
</dl>
<h3 class="h4 mt-4">${t('req.section.recapiti')}</h3>
<dl>
  ${row(t('field.telefonoAbitazione'), data.telefonoAbitazione)}
  ${row(t('field.cellulare'), data.cellulare)}
  ${row(t('field.email'), data.email)}
  ${row(t('field.pec'), data.pec)}
  ${row(t('field.telefonoPreferenziale'), t(`option.telefono.${data.telefonoPreferenziale}`))}
  ${row(t('field.orarioPreferenziale'), t(`option.orario.${data.orarioPreferenziale}`))}
</dl>
${confirmForm(ctx, { action: '/pin/richiesta/riepilogo', hidden: carried(raw), class: 'mt-4' })}`,
  );
}

export function donePage(
  ctx: PageContext,
  o: { protocol: string; cellulare: string | null; email: string | null; pec: string | null; letter?: 'registry' | 'typed' | 'none' },
): string {
  const { t } = ctx;
  const channels = [
    o.cellulare ? t('req.done.viaSms', { cellulare: o.cellulare }) : '',
    o.email ? t('req.done.viaEmail', { email: o.email }) : o.pec ? t('req.done.viaPec', { pec: o.pec }) : '',
  ]
    .filter(Boolean)
    .join(t('req.done.and'));
  return titledPage(
    ctx,
    { title: t('req.done.title'), breadcrumb: crumbs(ctx), heading: t('req.title') },
    html`<div class="alert alert-success" role="status" id="request-done">
  <h2 class="h4">${t('req.done.title')}</h2>
  <p>${t(o.letter === 'registry' ? 'req.done.bodyRegistry' : 'req.done.body', { channels })}</p>
  <p class="mb-0">${t('req.done.protocol', { protocol: o.protocol })}</p>
</div>
<p>${t('req.done.keep')}</p>
<p><a href="/pin">${t('unavailable.back')}</a></p>`,
  );
}
