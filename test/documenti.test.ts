import { describe, expect, it } from 'vitest';
import { depositDocument } from '../src/flows/documenti/routes.js';
import { createPinHasher } from '../src/security/hasher.js';
import { useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { loggedInCitizen } from './support/pins.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const CU = Buffer.from('%PDF-1.4\n% Certificazione Unica 2025\n');

describe.each(ENGINES)('R18: a dispositive download (the Certificazione Unica) on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  const login = (dispositivo: boolean) => loggedInCitizen(t, hasher, { dispositivo });

  it('an ordinario session is refused with a page that says how to get the level', async () => {
    const { c, client } = await login(false);
    const id = await depositDocument(t.db, t.config.filesDir, c.codiceFiscale, 2025, CU);
    const list = await client.get('/documenti');
    expect(list.statusCode).toBe(403);
    expect(list.body).toContain('Livello di autenticazione insufficiente');
    expect(list.body).toContain('Converti il tuo PIN');
    expect((await client.get(`/documenti/${id}.pdf`)).statusCode).toBe(403);
  });

  it('a dispositivo session downloads its own CU, never another citizen\'s; the download is audited', async () => {
    const a = await login(true);
    const b = await login(true);
    const idA = await depositDocument(t.db, t.config.filesDir, a.c.codiceFiscale, 2025, CU);
    expect((await a.client.get('/documenti')).body).toContain('Certificazione Unica 2025');
    const pdf = await t.app.inject({ method: 'GET', url: `/documenti/${idA}.pdf`, headers: { cookie: a.client.cookieHeader() } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.equals(CU)).toBe(true);
    expect(pdf.headers['cache-control']).toBe('no-store');
    expect((await b.client.get(`/documenti/${idA}.pdf`)).statusCode).toBe(404);
    const audit = await t.db.selectFrom('audit_events').select('subject_cf').where('event', '=', 'documento.scaricato').execute();
    expect(audit.map((e) => e.subject_cf)).toEqual([a.c.codiceFiscale]);
    expect((await a.client.get('/bacheca')).body).toContain('href="/documenti"');
  });
});
