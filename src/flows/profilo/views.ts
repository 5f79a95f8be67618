import { type ServiceDefinition, summaryKey, titleKey } from '../../catalog/registry.js';
import type { AuthMethod, ConversionState, Level } from '../../db/schema.js';
import { formatRome } from '../../domain/rome-time.js';
import type { SessionCitizen } from '../../sessions/guard.js';
import { csrfField } from '../../web/forms.js';
import { html } from '../../web/html.js';
import { type PageContext, page } from '../../web/layout.js';

/** Contacts are shown masked: enough to recognise them, not enough to read them off a screen. */
export function mask(value: string | null): string {
  if (!value) return '—';
  if (value.includes('@')) {
    const [local, domain] = value.split('@') as [string, string];
    return `${local.slice(0, 2)}${'*'.repeat(Math.max(1, local.length - 2))}@${domain}`;
  }
  return `${value.slice(0, 4)}${'*'.repeat(Math.max(1, value.length - 7))}${value.slice(-3)}`;
}

export function boardPage(ctx: PageContext, o: { services: ServiceDefinition[]; citizen: SessionCitizen; level: Level; role: 'cittadino' | 'intermediario'; expiresOn?: Date; changed: boolean }): string {
  const { t } = ctx;
  return page(ctx, { title: t('board.title') }, html`
<h1>${t('home.welcome', { nome: o.citizen.nome, cognome: o.citizen.cognome })}</h1>
<p id="current-role">${t('profile.role', { role: t(`profile.role.${o.role}`) })}</p>
${o.citizen.intermediario
  ? html`<form method="post" action="/profilo/cambia" class="mb-3">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-outline-primary btn-sm">${t('profile.switch')}</button></form>`
  : ''}
${o.changed ? html`<div class="alert alert-success" role="status" id="pin-changed">${t('change.done')}</div>` : ''}
${o.expiresOn ? html`<div class="alert alert-warning" role="status" id="expiry-notice">${t('board.expiryNotice', { date: formatRome(o.expiresOn).slice(0, 10) })}</div>` : ''}
<nav aria-label="${t('board.title')}" class="mb-4">
  <ul class="nav nav-tabs">
    <li class="nav-item"><a class="nav-link active" aria-current="page" href="/bacheca">${t('board.title')}</a></li>
    <li class="nav-item"><a class="nav-link" href="/profilo">${t('board.registry')}</a></li>
  </ul>
</nav>
<div class="row g-4">
  <section class="col-md-8" aria-labelledby="services-title">
    <h2 class="h4" id="services-title">${t('board.services')}</h2>
    ${o.services.length
      ? html`<ul class="list-unstyled" id="board-services">${o.services.map((s) => html`<li class="mb-2"><a href="${s.entry}" class="fw-semibold">${t(titleKey(s))}</a><br><span class="small">${t(summaryKey(s))}</span> <a href="/servizi/${s.id}" class="small">${t('cat.card')}<span class="visually-hidden">: ${t(titleKey(s))}</span></a></li>`)}</ul>`
      : html`<p>${t('board.noServices')}</p>`}
    <p><a href="/servizi">${t('cat.title')}</a></p>
  </section>
  <section class="col-md-4" aria-labelledby="tools-title">
    <h2 class="h4" id="tools-title">${t('board.tools')}</h2>
    <ul class="link-list-simple">
      <li><a href="/profilo">${t('board.profile')}</a></li>
      ${o.level === 'semplificato' ? '' : html`<li><a href="/accedi/cambio-pin">${t('profile.change')}</a></li>`}
    </ul>
  </section>
</div>`);
}

export function profilePage(
  ctx: PageContext,
  o: {
    citizen: SessionCitizen;
    level: Level;
    authMethod: AuthMethod;
    previousAccess?: Date;
    updated?: boolean;
    conversion?: { number: string; state: ConversionState };
    contacts: { cellulare: string | null; email: string | null; pec: string | null; telefono_abitazione: string | null };
    accesses: { event: string; occurred_at: Date | string; ip: string | null }[];
    canRequestPin?: boolean;
  },
): string {
  const { t } = ctx;
  const outcome = (event: string) => t(event === 'login.succeeded' ? 'profile.outcome.ok' : event === 'login.failed' ? 'profile.outcome.failed' : 'profile.outcome.blocked');
  return page(ctx, { title: t('profile.title') }, html`
<h1>${t('profile.title')}</h1>
<p id="auth-kind"><strong>${t('profile.authWith', { kind: t(o.authMethod === 'pin' ? `profile.kind.${o.level}` : `profile.kind.${o.authMethod}`) })}</strong></p>
${o.level === 'semplificato' || o.authMethod !== 'pin'
  ? ''
  : html`<p><a class="btn btn-primary btn-sm" href="/accedi/cambio-pin" id="modifica-pin">${t('profile.change')}</a> <a class="btn btn-outline-primary btn-sm" href="/pin/dispositivo/converti">${t('profile.convert')}</a></p>`}
${o.canRequestPin
  ? html`<form method="post" action="/profilo/richiedi-pin" class="mb-3" id="request-pin">
      ${csrfField(ctx.csrfToken())}
      <p>${t('profile.requestPin.lead')}</p>
      <button type="submit" class="btn btn-primary btn-sm">${t('profile.requestPin')}</button>
    </form>`
  : ''}
${o.conversion ? html`<p id="conversion-state">${t('conv.state', { number: o.conversion.number, state: t(`conv.state.${o.conversion.state}`) })}</p>` : ''}
<dl class="row">
  <dt class="col-sm-3">${t('profile.username')}</dt><dd class="col-sm-9">${o.citizen.codiceFiscale}</dd>
</dl>
<p id="last-access">${o.previousAccess ? t('profile.lastAccess', { when: formatRome(o.previousAccess) }) : t('profile.firstAccess')}</p>
${o.updated ? html`<div class="alert alert-success" role="status" id="contact-updated">${t('contacts.done')}</div>` : ''}
<h2 class="h4 mt-4">${t('profile.contacts')}</h2>
<dl class="row">
  <dt class="col-sm-3">${t('field.cellulare')}</dt><dd class="col-sm-9">${mask(o.contacts.cellulare)}</dd>
  <dt class="col-sm-3">${t('field.telefonoAbitazione')}</dt><dd class="col-sm-9">${mask(o.contacts.telefono_abitazione)}</dd>
  <dt class="col-sm-3">${t('field.email')}</dt><dd class="col-sm-9">${mask(o.contacts.email)}</dd>
  <dt class="col-sm-3">${t('field.pec')}</dt><dd class="col-sm-9">${mask(o.contacts.pec)}</dd>
</dl>
${o.level === 'semplificato' ? '' : html`<p><a href="/profilo/recapiti" id="manage-contacts">${t('contacts.manage')}</a></p>`}
<h2 class="h4 mt-4">${t('profile.recent')}</h2>
<div class="table-responsive"><table class="table">
  <thead><tr><th scope="col">${t('profile.recent.when')}</th><th scope="col">${t('profile.recent.outcome')}</th><th scope="col">${t('profile.recent.ip')}</th></tr></thead>
  <tbody>${o.accesses.map((a) => html`<tr><td>${formatRome(new Date(a.occurred_at))}</td><td>${outcome(a.event)}</td><td>${a.ip ?? ''}</td></tr>`)}</tbody>
</table></div>`);
}

/** Issue 12 F1: the outcome of Profilo → Richiedi il PIN. */
export function pinRequestResultPage(ctx: PageContext, o: { protocol: string } | { refused: 'already_assigned' | 'federated' | 'no_residence' | 'no_contacts'; cf: string }): string {
  const { t } = ctx;
  const body = 'protocol' in o
    ? html`<div class="alert alert-success" role="status" id="request-pin-done">${t('profile.requestPin.done', { protocol: o.protocol })}</div>`
    : html`<div class="alert alert-warning" role="alert" id="request-pin-refused">${
        o.refused === 'no_contacts' ? t('profile.requestPin.noContacts') : o.refused === 'no_residence' ? t('req.noResidence') : t('req.alreadyAssigned', { cf: o.cf })
      }</div>`;
  return page(ctx, { title: t('profile.requestPin'), breadcrumb: [{ label: t('profile.title'), href: '/profilo' }, { label: t('profile.requestPin') }] }, html`
<h1>${t('profile.requestPin')}</h1>
${body}
<p><a href="/profilo">${t('profile.title')}</a></p>`);
}
