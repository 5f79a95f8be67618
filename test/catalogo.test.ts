import { describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { Client, useTestApp } from './support/app.js';
import { givenCitizenWithPin } from './support/pins.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

describe('catalog of services (R19) and levels on the board (R18)', () => {
  const t = useTestApp('pglite', {}, { hasher });

  it('lists every registered service with its information sheet', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/servizi' });
    for (const id of ['richiesta-pin', 'ripristino-pin', 'revoca-pin', 'conversione-pin', 'profilo', 'recapiti', 'accesso', 'pin-info'])
      expect(list.body).toContain(`href="/servizi/${id}"`);
    const card = await t.app.inject({ method: 'GET', url: '/servizi/conversione-pin' });
    expect(card.body).toContain('Scheda informativa');
    expect(card.body).toContain('PIN ordinario o dispositivo');
    expect(card.body).toContain('href="/pin/dispositivo/converti"');
    expect((await t.app.inject({ method: 'GET', url: '/servizi/nessuno' })).statusCode).toBe(404);
  });

  it('the search box finds services by the words citizens use, in any language (seed 004: "richiesta pin")', async () => {
    const found = await t.app.inject({ method: 'GET', url: '/cerca?q=richiesta%20pin' });
    expect(found.body).toContain('href="/servizi/richiesta-pin"');
    expect((await t.app.inject({ method: 'GET', url: '/cerca?q=PIN%20widerrufen' })).body).toContain('href="/servizi/revoca-pin"');
    const lost = (await t.app.inject({ method: 'GET', url: '/cerca?q=pin%20smarrito' })).body;
    expect(lost.indexOf('href="/servizi/ripristino-pin"')).toBeGreaterThan(-1);
    expect(lost.indexOf('href="/servizi/ripristino-pin"')).toBeLessThan(lost.indexOf('href="/servizi/revoca-pin"'));
    expect((await t.app.inject({ method: 'GET', url: '/cerca?q=zzzz' })).body).toContain('id="search-none"');
    const page = await t.app.inject({ method: 'GET', url: '/pin' });
    expect(page.body).toContain('action="/cerca"');
  });

  const order = (body: string) =>
    [...body.matchAll(/<a href="\/servizi\/([a-z0-9-]+)" class="fw-semibold">([^<]*)<\/a>/g)].map((m) => ({ id: m[1]!, title: m[2]! }));

  it.each([
    ['it', 'richesta pin'],
    ['it', 'Richiesta PIN'],
    ['de', 'PIN-Antrag'],
    ['de', 'PIN beantragen'],
    ['en', 'PIN request'],
    ['en', 'pin reqest'],
  ])('in %s "%s" puts the PIN request service first (exact and near-exact titles first)', async (lang, q) => {
    const res = await t.app.inject({ method: 'GET', url: `/cerca?q=${encodeURIComponent(q)}`, headers: { cookie: `varco_lang=${lang}` } });
    expect(order(res.body)[0]?.id).toBe('richiesta-pin');
  });

  it('the public home links to "Elenco di tutti i servizi" (seed 000 starts there)', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toMatch(/<a href="\/servizi" id="home-servizi">Elenco di tutti i servizi<\/a>/);
  });

  it.each(['it', 'de', 'en'])('the list is sorted by the title the citizen reads (%s, Intl.Collator)', async (lang) => {
    const list = order((await t.app.inject({ method: 'GET', url: '/servizi', headers: { cookie: `varco_lang=${lang}` } })).body);
    expect(list.length).toBeGreaterThan(5);
    const titles = list.map((x) => x.title);
    expect(titles).toEqual([...titles].sort(new Intl.Collator(lang, { sensitivity: 'base', numeric: true }).compare));
  });

  it('the board offers the services the session level reaches', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const client = new Client(t.app);
    await client.get('/accedi');
    await client.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: 'K7X9M3P4' });
    const board = (await client.get('/bacheca')).body;
    expect(board).toContain('href="/pin/dispositivo/converti"');
    expect(board).toContain('href="/profilo/recapiti"');
    expect(board).not.toContain('href="/pin/richiesta"');
  });
});
