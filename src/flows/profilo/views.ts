import { mask } from '../../ui/format.js';
import { type ServiceDefinition, summaryKey, titleKey } from '../../catalog/registry.js';
import type { AuthMethod, ConversionState, Level, Residenza } from '../../db/schema.js';
import { formatItalianDate } from '../../domain/contacts.js';
import { findByBelfiore, findCountry } from '../../domain/geo/index.js';
import { formatRome } from '../../domain/rome-time.js';
import type { SessionCitizen } from '../../ui/guard.js';
import { csrfField } from '../../ui/forms.js';
import { html, type SafeHtml } from '../../ui/html.js';
import { type PageContext, page } from '../../ui/layout.js';

/** The greeting by the sex on record (Benvenuta / Benvenuto), neutral when the record has none. */
export function welcome(ctx: PageContext, c: { nome: string; cognome: string; sesso: 'M' | 'F' | null | undefined }): string {
  return ctx.t(c.sesso === 'F' ? 'welcome.F' : c.sesso === 'M' ? 'welcome.M' : 'welcome.X', { nome: c.nome, cognome: c.cognome });
}

/** Seed 003: the Bacheca / Anagrafica tabs, on both pages, the current one marked. */
function tabs(ctx: PageContext, current: 'bacheca' | 'anagrafica') {
  const { t } = ctx;
  const tab = (id: 'bacheca' | 'anagrafica', href: string, label: string) =>
    html`<li class="nav-item"><a class="nav-link${id === current ? ' active' : ''}" href="${href}"${id === current ? html` aria-current="page"` : ''} id="tab-${id}">${label}</a></li>`;
  return html`<nav aria-label="${t('board.title')} / ${t('board.registry')}" class="mb-4" id="personal-tabs">
  <ul class="nav nav-tabs">
    ${tab('bacheca', '/bacheca', t('board.title'))}
    ${tab('anagrafica', '/profilo', t('board.registry'))}
  </ul>
</nav>`;
}

/** R6, R15: what this session's level means now (first 8 characters alone; a PIN converted since the login). */
function levelNotice(ctx: PageContext, o: { level: Level; pinDispositivo: boolean }) {
  const { t } = ctx;
  if (o.level === 'semplificato') return html`<div class="alert alert-info" role="status" id="semplificato-notice">${t('levels.board.semplificato')}</div>`;
  if (o.pinDispositivo && o.level !== 'dispositivo') {
    return html`<div class="alert alert-warning" role="status" id="relogin-notice">${t('levels.relogin')} <a href="/accedi?ritorno=%2Fbacheca" id="relogin-link">${t('levels.loginAgain')}</a></div>`;
  }
  return '';
}

export function boardPage(
  ctx: PageContext,
  o: {
    services: ServiceDefinition[];
    citizen: SessionCitizen;
    sesso: 'M' | 'F' | null;
    level: Level;
    pinDispositivo: boolean;
    role: 'cittadino' | 'intermediario';
    expiresOn?: Date;
    changed: boolean;
  },
): string {
  const { t } = ctx;
  return page(
    ctx,
    { title: t('board.title') },
    html`
<h1 id="welcome">${welcome(ctx, { nome: o.citizen.nome, cognome: o.citizen.cognome, sesso: o.sesso })}</h1>
<p id="current-role">${t('profile.role', { role: t(`profile.role.${o.role}`) })}</p>
${
  o.citizen.intermediario
    ? html`<form method="post" action="/profilo/cambia" class="mb-3">${csrfField(ctx.csrfToken())}<button type="submit" class="btn btn-outline-primary btn-sm">${t('profile.switch')}</button></form>`
    : ''
}
${o.changed ? html`<div class="alert alert-success" role="status" id="pin-changed">${t('change.done')}</div>` : ''}
${o.expiresOn ? html`<div class="alert alert-warning" role="status" id="expiry-notice">${t('board.expiryNotice', { date: formatRome(o.expiresOn).slice(0, 10) })}</div>` : ''}
${levelNotice(ctx, o)}
${tabs(ctx, 'bacheca')}
<div class="row g-4">
  <section class="col-md-8" aria-labelledby="services-title">
    <h2 class="h4" id="services-title">${t('board.services')}</h2>
    ${
      o.services.length
        ? html`<ul class="list-unstyled" id="board-services">${o.services.map((s) => html`<li class="mb-2"><a href="${s.entry}" class="fw-semibold">${t(titleKey(s))}</a><br><span class="small">${t(summaryKey(s))}</span> <a href="/servizi/${s.id}" class="small">${t('cat.card')}<span class="visually-hidden">: ${t(titleKey(s))}</span></a></li>`)}</ul>`
        : html`<p>${t('board.noServices')}</p>`
    }
    <p><a href="/servizi">${t('cat.title')}</a></p>
  </section>
  <section class="col-md-4" aria-labelledby="tools-title">
    <h2 class="h4" id="tools-title">${t('board.tools')}</h2>
    <ul class="link-list-simple">
      <li><a href="/profilo">${t('board.profile')}</a></li>
      ${o.level === 'semplificato' ? '' : html`<li><a href="/accedi/cambio-pin">${t('profile.change')}</a></li>`}
    </ul>
  </section>
</div>`,
  );
}

/** Seed 003 "Anagrafica": the record of the session's citizen, as the portal holds it. */
export interface PersonalData {
  codiceFiscale: string;
  cognome: string;
  nome: string;
  /** YYYY-MM-DD */
  dataNascita: string;
  sesso: 'M' | 'F' | null;
  /** Belfiore code of the comune, or Z code of the foreign state. */
  luogoNascita: string;
  residenza: Residenza | null;
}

function placeOfBirth(ctx: PageContext, code: string): string {
  const comune = findByBelfiore(code);
  if (comune) return `${comune.nameOther ? `${comune.name}/${comune.nameOther}` : comune.name} (${comune.provincia})`;
  const country = findCountry(code);
  if (!country) return code;
  return ctx.locale === 'de' ? country.nameDe : ctx.locale === 'en' ? country.nameEn : country.name;
}

function residence(ctx: PageContext, r: Residenza | null): SafeHtml | string {
  if (!r) return ctx.t('anag.noResidence');
  if (r.tipo === 'EE') {
    const country = findCountry(r.paese);
    const name = country ? (ctx.locale === 'de' ? country.nameDe : ctx.locale === 'en' ? country.nameEn : country.name) : r.paese;
    return html`${r.indirizzo}<br>${r.codicePostale} ${r.citta}<br>${name}`;
  }
  // As a postal address is written: the province by its sigla.
  const comune = findByBelfiore(r.comune);
  return html`${r.indirizzo} ${r.numeroCivico}<br>${r.cap} ${comune ? comune.name : r.comune} (${r.provincia})`;
}

function personalData(ctx: PageContext, p: PersonalData) {
  const { t } = ctx;
  return html`<h2 class="h4 mt-4" id="personal-title">${t('anag.title')}</h2>
<dl class="row" id="personal-data" aria-labelledby="personal-title">
  <dt class="col-sm-3">${t('field.cognome')}</dt><dd class="col-sm-9">${p.cognome}</dd>
  <dt class="col-sm-3">${t('field.nome')}</dt><dd class="col-sm-9">${p.nome}</dd>
  <dt class="col-sm-3">${t('field.codiceFiscale')}</dt><dd class="col-sm-9">${p.codiceFiscale}</dd>
  <dt class="col-sm-3">${t('field.dataNascita')}</dt><dd class="col-sm-9">${formatItalianDate(p.dataNascita)}</dd>
  <dt class="col-sm-3">${t('anag.luogoNascita')}</dt><dd class="col-sm-9">${placeOfBirth(ctx, p.luogoNascita)}</dd>
  <dt class="col-sm-3">${t('field.sesso')}</dt><dd class="col-sm-9">${p.sesso ? t(`field.sesso.${p.sesso}`) : '—'}</dd>
  <dt class="col-sm-3">${t('field.residenza')}</dt><dd class="col-sm-9" id="personal-residence">${residence(ctx, p.residenza)}</dd>
</dl>`;
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
    /** R15: the PIN behind the session is dispositivo now (the conversion is not offered again). */
    pinDispositivo: boolean;
    personal: PersonalData;
  },
): string {
  const { t } = ctx;
  const outcome = (event: string) =>
    t(event === 'login.succeeded' ? 'profile.outcome.ok' : event === 'login.failed' ? 'profile.outcome.failed' : 'profile.outcome.blocked');
  return page(
    ctx,
    { title: t('profile.title') },
    html`
<h1>${t('profile.title')}</h1>
${levelNotice(ctx, { level: o.level, pinDispositivo: o.pinDispositivo })}
${tabs(ctx, 'anagrafica')}
<p id="auth-kind"><strong>${t('profile.authWith', { kind: t(o.authMethod === 'pin' ? `profile.kind.${o.level}` : `profile.kind.${o.authMethod}`) })}</strong></p>
${
  o.level === 'semplificato' || o.authMethod !== 'pin'
    ? ''
    : html`<p><a class="btn btn-primary btn-sm" href="/accedi/cambio-pin" id="modifica-pin">${t('profile.change')}</a>${o.pinDispositivo ? '' : html` <a class="btn btn-outline-primary btn-sm" href="/pin/dispositivo/converti" id="converti-pin">${t('profile.convert')}</a>`}</p>`
}
${
  o.canRequestPin
    ? html`<form method="post" action="/profilo/richiedi-pin" class="mb-3" id="request-pin">
      ${csrfField(ctx.csrfToken())}
      <p>${t('profile.requestPin.lead')}</p>
      <button type="submit" class="btn btn-primary btn-sm">${t('profile.requestPin')}</button>
    </form>`
    : ''
}
${o.conversion ? html`<p id="conversion-state">${t('conv.state', { number: o.conversion.number, state: t(`conv.state.${o.conversion.state}`) })}</p>` : ''}
<dl class="row">
  <dt class="col-sm-3">${t('profile.username')}</dt><dd class="col-sm-9">${o.citizen.codiceFiscale}</dd>
</dl>
${personalData(ctx, o.personal)}
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
</table></div>`,
  );
}

/** Issue 12 F1: the outcome of Profilo → Richiedi il PIN. */
export function pinRequestResultPage(
  ctx: PageContext,
  o: { protocol: string } | { refused: 'already_assigned' | 'federated' | 'no_residence' | 'no_contacts'; cf: string },
): string {
  const { t } = ctx;
  const body =
    'protocol' in o
      ? html`<div class="alert alert-success" role="status" id="request-pin-done">${t('profile.requestPin.done', { protocol: o.protocol })}</div>`
      : html`<div class="alert alert-warning" role="alert" id="request-pin-refused">${
          o.refused === 'no_contacts'
            ? t('profile.requestPin.noContacts')
            : o.refused === 'no_residence'
              ? t('req.noResidence')
              : t('req.alreadyAssigned', { cf: o.cf })
        }</div>`;
  return page(
    ctx,
    { title: t('profile.requestPin'), breadcrumb: [{ label: t('profile.title'), href: '/profilo' }, { label: t('profile.requestPin') }] },
    html`
<h1>${t('profile.requestPin')}</h1>
${body}
<p><a href="/profilo">${t('profile.title')}</a></p>`,
  );
}
