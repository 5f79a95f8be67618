import type { FastifyInstance } from 'fastify';
import { contactCenterText, type Locale, LOCALES, translator } from '../i18n/index.js';
import type { AppDeps } from '../ui/deps.js';
import { html } from '../ui/html.js';
import type { PageContext } from '../ui/layout.js';
import { paramValue, queryValue, sendTitledPage } from '../ui/route.js';
import { type ServiceDefinition, howKey, loadCatalog, summaryKey, titleKey, whoKey } from './registry.js';
import { type Searchable, search } from './search.js';

function serviceList(ctx: PageContext, services: ServiceDefinition[]) {
  const { t } = ctx;
  return html`<ul class="list-unstyled">${services.map(
    (s) => html`<li class="mb-3">
    <span class="badge bg-secondary me-2">${t(`cat.kind.${s.kind}`)}</span>
    <a href="/servizi/${s.id}" class="fw-semibold">${t(titleKey(s))}</a>
    <p class="mb-0 small">${t(summaryKey(s))}</p>
  </li>`,
  )}</ul>`;
}

/** R19: "Elenco di tutti i servizi", a "Scheda informativa" for each, and the search box. */
export async function catalogRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const services = await loadCatalog();
  const numbers = { landline: deps.config.istituto.contactCenter, mobile: deps.config.istituto.contactCenterMobile };
  const extraFor = (l: Locale) => ({ istituto: deps.config.istituto.name, contactCenter: contactCenterText(l, numbers) });
  // Every service is found by its texts in every language, whatever the language of the page.
  const ts = LOCALES.map((l) => translator(l, extraFor(l)));
  const index: Searchable<ServiceDefinition>[] = services.map((s) => {
    return {
      item: s,
      // Keywords are the names citizens give the service: they weigh like its title.
      title: [...ts.map((t) => t(titleKey(s))), ...(s.keywords ?? [])],
      body: ts.flatMap((t) => [t(summaryKey(s)), t(whoKey(s)), t(howKey(s))]).join(' '),
    };
  });

  app.get('/servizi', async (req, reply) => {
    const { t } = req.ctx;
    // Sorted by the title the citizen reads, in the collation of the page's language.
    const collator = new Intl.Collator(req.ctx.locale, { sensitivity: 'base', numeric: true });
    const sorted = [...services].sort((a, b) => collator.compare(t(titleKey(a)), t(titleKey(b))));
    return sendTitledPage(
      reply,
      req.ctx,
      { title: t('cat.title'), breadcrumb: [{ label: t('cat.title') }] },
      html`<p>${t('cat.lead')}</p>
${serviceList(req.ctx, sorted)}`,
    );
  });

  app.get('/servizi/:id', async (req, reply) => {
    const id = paramValue(req, 'id');
    const s = services.find((x) => x.id === id);
    if (!s) return reply.callNotFound();
    const { t } = req.ctx;
    return sendTitledPage(
      reply,
      req.ctx,
      { title: t(titleKey(s)), breadcrumb: [{ label: t('cat.title'), href: '/servizi' }, { label: t(titleKey(s)) }] },
      html`<p class="lead">${t('cat.card')}</p>
<dl>
  <dt>${t('cat.what')}</dt><dd>${t(summaryKey(s))}</dd>
  <dt>${t('cat.who')}</dt><dd>${t(whoKey(s))}</dd>
  <dt>${t('cat.level')}</dt><dd id="service-level">${t(`cat.level.${s.level}`)}</dd>
  <dt>${t('cat.how')}</dt><dd>${t(howKey(s))}</dd>
</dl>
${s.opensToSemplificato ? html`<p id="service-semplificato">${t('cat.semplificato')}</p>` : ''}
<p><a class="btn btn-primary" href="${s.entry}" id="service-enter">${t('cat.enter')}</a></p>`,
    );
  });

  app.get('/cerca', async (req, reply) => {
    const { t } = req.ctx;
    const q = queryValue(req, 'q')?.slice(0, 200) ?? '';
    const found = search(index, q);
    return sendTitledPage(
      reply,
      req.ctx,
      { title: t('cat.searchTitle'), breadcrumb: [{ label: t('cat.searchTitle') }] },
      html`<p>${t('cat.searchFor', { q })}</p>
${found.length ? serviceList(req.ctx, found) : html`<p id="search-none">${t('cat.searchNone', { q })}</p>`}
<p><a href="/servizi">${t('cat.title')}</a></p>`,
    );
  });
}
