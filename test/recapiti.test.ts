import { describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { loggedInCitizen } from './support/pins.js';
import { auditOf, outboxOf, secretSentTo } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

describe.each(ENGINES)('contacts on the profile (issue 4) on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  const loggedIn = () => loggedInCitizen(t, hasher);

  const codeSentTo = (recipient: string) => secretSentTo(t.db, createSecretBox(t.config.secretKey), 'contact.code', recipient);

  it('a new email is saved only after its code comes back; the old one is told', async () => {
    const { c, client } = await loggedIn();
    await client.get('/profilo/recapiti');
    const asked = await client.post('/profilo/recapiti', { tipo: 'email', valore: 'Nuovo.Indirizzo@Example.org', pin: 'K7X9M3P4' });
    expect(asked.headers.location).toBe('/profilo/recapiti/verifica');
    const page = await client.follow(asked);
    expect(page.body).toContain('Nuovo.Indirizzo@example.org');
    expect((await t.db.selectFrom('citizens').select('email').where('id', '=', c.citizenId).executeTakeFirstOrThrow()).email).toBe(
      'giuseppe.verdi@example.org',
    );
    const wrong = await client.post('/profilo/recapiti/verifica', { codice: 'AAAAAAAA' });
    expect(wrong.body).toContain('Codice di verifica non corretto');
    const code = await codeSentTo('Nuovo.Indirizzo@example.org');
    const ok = await client.post('/profilo/recapiti/verifica', { codice: code.toLowerCase() });
    expect(ok.headers.location).toBe('/profilo?recapito=aggiornato');
    expect((await client.follow(ok)).body).toContain('Il recapito è stato aggiornato.');
    expect((await t.db.selectFrom('citizens').select('email').where('id', '=', c.citizenId).executeTakeFirstOrThrow()).email).toBe(
      'Nuovo.Indirizzo@example.org',
    );
    // Issue 12 F2: the replaced contact is told, with a "Non sono stato io" link.
    const told = await outboxOf(t.db, { template: 'contact.replaced', citizenId: c.citizenId }).select('recipient').execute();
    expect(told.map((m) => m.recipient)).toEqual(['giuseppe.verdi@example.org']);
    const audit = await auditOf(t.db, { cf: c.codiceFiscale, event: 'contact.%' }).select('event').execute();
    expect(audit.map((a) => a.event)).toEqual(['contact.change_requested', 'contact.change_failed', 'contact.changed']);
  });

  it('a new cellulare gets its code by SMS; bad or unchanged values are refused', async () => {
    const { c, client } = await loggedIn();
    await client.get('/profilo/recapiti');
    const pin = 'K7X9M3P4';
    expect((await client.post('/profilo/recapiti', { tipo: 'cellulare', valore: '333 1234567', pin })).body).toContain('è uguale a quello già registrato');
    expect((await client.post('/profilo/recapiti', { tipo: 'cellulare', valore: '06 123456', pin })).body).toContain('non è un cellulare');
    expect((await client.post('/profilo/recapiti', { tipo: 'fax', valore: 'x', pin })).body).toContain('scegli cellulare, email o PEC');
    await client.post('/profilo/recapiti', { tipo: 'cellulare', valore: '+39 347 0000001', pin });
    const sms = await outboxOf(t.db, { template: 'contact.code', recipient: '+393470000001' }).select(['channel']).executeTakeFirstOrThrow();
    expect(sms.channel).toBe('sms');
    await client.get('/profilo/recapiti/verifica');
    await client.post('/profilo/recapiti/verifica', { codice: await codeSentTo('+393470000001') });
    expect((await t.db.selectFrom('citizens').select('cellulare').where('id', '=', c.citizenId).executeTakeFirstOrThrow()).cellulare).toBe('+393470000001');
  });

  it('issue 12 F2: a change needs the current PIN, checked under R9 before any code is sent', async () => {
    const { c, client } = await loggedIn();
    await client.get('/profilo/recapiti');
    const missing = await client.post('/profilo/recapiti', { tipo: 'email', valore: 'altro@example.org' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('href="#f-pin"');
    const wrong = await client.post('/profilo/recapiti', { tipo: 'email', valore: 'altro@example.org', pin: 'WRONG222' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('PIN attuale: non corretto.');
    expect(wrong.body).not.toContain('value="WRONG222"');
    expect(await outboxOf(t.db, { template: 'contact.code', citizenId: c.citizenId }).select('id').execute()).toHaveLength(0);
    const failed = await auditOf(t.db, { cf: c.codiceFiscale, event: 'login.failed' }).select('details').execute();
    expect(failed.map((f) => (f.details as { purpose: string }).purpose)).toEqual(['recapiti']);
  });

  it('needs a logged-in session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/profilo/recapiti' });
    expect(res.headers.location).toBe('/accedi?richiesto=1&ritorno=%2Fprofilo%2Frecapiti');
  });
});
