import type { FastifyInstance } from 'fastify';
import { listComuniByProvince } from '../../domain/geo/index.js';
import type { AppDeps } from '../../ui/deps.js';
import { html } from '../../ui/html.js';
import { queryValue, sendTitledPage } from '../../ui/route.js';

/** The information pages of the seeds: home, MyINPS access, the PIN page (/pin) and its guide. */
export function pageRoutes(app: FastifyInstance, _deps: AppDeps): void {
  app.get('/', async (req, reply) => {
    const { t } = req.ctx;
    return sendTitledPage(
      reply,
      req.ctx,
      { title: t('home.title') },
      html`<p class="lead">${t('home.lead')}</p>
<p><a class="btn btn-primary btn-lg" href="/accedi">${t('home.enter')}</a></p>
<p><a href="/pin">${t('home.managePin')}</a></p>
<p><a href="/servizi" id="home-servizi">${t('cat.title')}</a></p>`,
    );
  });

  app.get('/pin', async (req, reply) => {
    const { t } = req.ctx;
    const situations = [
      ['pin.situation.never', 'pin.situation.neverAction', '/pin/richiesta'],
      ['pin.situation.notDispositivo', 'pin.situation.notDispositivoAction', '/pin/dispositivo'],
      ['pin.situation.lost', 'pin.situation.lostAction', '/pin/smarrito'],
      ['pin.situation.lostInitial', 'pin.situation.lostInitialAction', '/pin/smarrito'],
    ] as const;
    return sendTitledPage(
      reply,
      req.ctx,
      { title: t('pin.title'), breadcrumb: [{ label: t('pin.title') }] },
      html`<p><a href="#guida">${t('pin.guideLink')}</a></p>
<div class="row g-4">
  <div class="col-lg-8">
    <h2 class="h4">${t('pin.needRequest')}</h2>
    <p><a class="btn btn-primary" href="/pin/richiesta" id="richiedi-pin">${t('pin.request')}</a></p>
    <p>${t('pin.explain1')}</p>
    <p>${t('pin.explain2')}</p>
    <p>${t('pin.explain3')}</p>
    <p><strong>${t('pin.attention')}</strong> ${t('pin.explain4')}</p>
    <p>${t('pin.channels')}</p>
  </div>
  <div class="col-lg-4 d-flex flex-column gap-3">
    <a class="btn btn-outline-primary" href="/pin/dispositivo">${t('pin.dispositivo')}</a>
    <a class="btn btn-outline-primary" href="/pin/smarrito">${t('pin.lost')}</a>
  </div>
</div>
<section id="guida" class="mt-5" aria-labelledby="guida-title">
  <h2 class="h4" id="guida-title">${t('pin.situation')}</h2>
  <div class="row g-3">
    ${situations.map(
      ([title, action, href]) => html`<div class="col-md-6"><div class="card card-bg h-100"><div class="card-body">
      <h3 class="h5 card-title">${t(title)}</h3>
      <p class="card-text">${t(action)}</p>
      <a href="${href}">${t('pin.situation.go')}<span class="visually-hidden">: ${t(title)}</span></a>
    </div></div></div>`,
    )}
  </div>
</section>`,
    );
  });

  /** Progressive enhancement of the Provincia → Comune selects (they work without it). */
  app.get('/api/geo/comuni', async (req, reply) => {
    const provincia = queryValue(req, 'provincia')?.toUpperCase().slice(0, 3) ?? '';
    const includeSuppressed = queryValue(req, 'storici') === '1';
    const comuni = listComuniByProvince(provincia, { includeSuppressed }).map((c) => ({
      belfiore: c.belfiore,
      name: c.name,
      validFrom: c.validFrom,
      validTo: c.validTo,
    }));
    return reply.header('cache-control', 'public, max-age=86400').send({ provincia, comuni });
  });
}
