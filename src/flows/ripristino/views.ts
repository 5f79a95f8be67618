import { PIN_FIELD_MAXLENGTH } from '../../security/pin.js';
import type { RipristinoContacts } from '../../db/schema.js';
import { type FieldErrors, errorSummary, textField } from '../../ui/forms.js';
import { html } from '../../ui/html.js';
import type { PageContext } from '../../ui/layout.js';
import { stepForm } from '../../ui/step-forms.js';
import { alert, titledPage } from '../../ui/fragments.js';

const crumbs = (ctx: PageContext, label: string) => [
  { label: ctx.t('pin.title'), href: '/pin' },
  { label: ctx.t('lost.title'), href: '/pin/smarrito' },
  { label },
];

/** Seed 001 Fig. 10: the choice between RIPRISTINA PIN and REVOCA PIN. */
export function lostPage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('lost.title'), breadcrumb: [{ label: t('pin.title'), href: '/pin' }, { label: t('lost.title') }] },
    html`<p><a href="/pin#guida">${t('pin.guideLink')}</a></p>
<div class="row g-4">
  <section class="col-md-6" aria-labelledby="rip-title">
    <h2 class="h4 visually-hidden" id="rip-title">${t('lost.ripristinoButton')}</h2>
    <p>${t('lost.ripristino')}</p>
    <p>${t('lost.ripristinoHalves')}</p>
    <p><a class="btn btn-primary" href="/pin/ripristino" id="ripristina-pin">${t('lost.ripristinoButton')}</a></p>
  </section>
  <section class="col-md-6" aria-labelledby="rev-title">
    <h2 class="h4 visually-hidden" id="rev-title">${t('lost.revocaButton')}</h2>
    <p>${t('lost.revoca')}</p>
    <p><a class="btn btn-outline-primary" href="/pin/revoca" id="revoca-pin">${t('lost.revocaButton')}</a></p>
  </section>
</div>`,
  );
}

export function ripristinoPage(ctx: PageContext, o: { raw: Record<string, string>; errors: FieldErrors }): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('rip.title'), breadcrumb: crumbs(ctx, t('rip.title')) },
    html`<h2 class="h4">${t('rip.question')}</h2>
<p>${t('rip.lead')}</p>
<p><strong>${t('rip.halves')}</strong></p>
${errorSummary(t, o.errors)}
${stepForm(
  ctx,
  { action: '/pin/ripristino', submit: { label: t('req.next') } },
  html`<h3 class="h5 mt-3">${t('rip.userData')}</h3>
  <div class="row">${textField({ name: 'codiceFiscale', label: t('field.codiceFiscale'), value: o.raw.codiceFiscale, error: o.errors.codiceFiscale, required: true, maxlength: 16, autocomplete: 'username' })}</div>
  <h3 class="h5 mt-3">${t('rip.contacts')}</h3>
  <div class="row">
    ${textField({ name: 'cellulare', label: t('field.cellulare'), value: o.raw.cellulare, error: o.errors.cellulare, type: 'tel', maxlength: 20, autocomplete: 'tel' })}
    ${textField({ name: 'email', label: t('field.email'), value: o.raw.email, error: o.errors.email, type: 'email', maxlength: 254, autocomplete: 'email' })}
  </div>
  <div class="row">${textField({ name: 'pec', label: t('field.pec'), value: o.raw.pec, error: o.errors.pec, type: 'email', maxlength: 254 })}</div>
  ${alert('warning', t('rip.attention'), { role: 'note' })}`,
)}`,
  );
}

/** The same page for every outcome: nobody learns whether a CF or a contact is on record. */
export function acceptedPage(ctx: PageContext): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('rip.title'), breadcrumb: crumbs(ctx, t('rip.title')) },
    html`${alert('success', t('rip.accepted'), { id: 'ripristino-accepted' })}
<p><a href="/pin">${t('unavailable.back')}</a></p>`,
  );
}

export function confirmPage(
  ctx: PageContext,
  o: { codiceFiscale?: string; errors: FieldErrors; invalid?: boolean; /** Issue 12 F6: the SMS of the first half refused by a quota. */ smsRefused?: string },
): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('rip.confirm.title'), breadcrumb: crumbs(ctx, t('rip.confirm.title')) },
    html`<p>${t('rip.confirm.lead')}</p>
${o.invalid ? alert('danger', t('rip.invalidCode'), { role: 'alert', id: 'ripristino-invalid' }) : ''}
${o.smsRefused ? alert('warning', o.smsRefused, { role: 'alert', id: 'ripristino-sms-refused' }) : ''}
${errorSummary(t, o.errors)}
${stepForm(
  ctx,
  { action: '/pin/ripristino/conferma', submit: { label: t('req.next') } },
  html`<div class="row">
    ${textField({ name: 'codiceFiscale', label: t('field.codiceFiscale'), value: o.codiceFiscale, error: o.errors.codiceFiscale, required: true, maxlength: 16, autocomplete: 'username' })}
    ${textField({ name: 'codice', label: t('rip.code'), error: o.errors.codice, required: true, maxlength: PIN_FIELD_MAXLENGTH, autocomplete: 'one-time-code' })}
  </div>`,
)}`,
  );
}

export function restoredPage(ctx: PageContext, contacts: RipristinoContacts): string {
  const { t } = ctx;
  return titledPage(
    ctx,
    { title: t('rip.title'), breadcrumb: crumbs(ctx, t('rip.title')) },
    html`<div class="alert alert-success" role="status" id="ripristino-done">
  <p>${t('rip.done')}</p>
  <ul class="mb-0">
    <li>${t('rip.done.first', { channel: t(`rip.channel.${contacts.first.channel}`) })}</li>
    <li>${t('rip.done.second', { channel: t(`rip.channel.${contacts.second.channel}`) })}</li>
  </ul>
</div>
<p>${t('rip.done.next')}</p>
<p><a href="/accedi">${t('login.title')}</a></p>`,
  );
}
