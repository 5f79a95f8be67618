import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { protocolOf } from '../src/flows/richiesta/service.js';
import { createPinHasher } from '../src/security/hasher.js';
import { Client, useTestApp } from './support/app.js';
import { italianCitizen } from './support/citizens.js';
import { ENGINES } from './support/db.js';
import { auditOf, outboxOf } from './support/rows.js';
import { requestToSummary } from './support/web-request.js';

const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });

/**
 * Issue 16's drill: a portal killed during CONFERMA after the request committed lost the answer,
 * and the citizen's retry was told "ha già un PIN". The flow's confirmation is now stored in the
 * request's own transaction: either both exist or neither, and a retry of the same flow answers
 * its own confirmation.
 */
describe.each(ENGINES)('CONFERMA retried after a lost answer, on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  const credentialsOf = (cf: string) =>
    t.db
      .selectFrom('credentials')
      .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
      .select('credentials.id')
      .where('citizens.codice_fiscale', '=', cf)
      .execute();

  it('a second CONFERMA of the same flow shows the first one’s confirmation, with its protocol, and makes nothing twice', async () => {
    const c = italianCitizen();
    const client = new Client(t.app);
    expect((await requestToSummary(client, c)).statusCode).toBe(200);
    // The first answer never reaches the citizen (the connection dropped).
    await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
    const retry = await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
    expect(retry.statusCode).toBe(303);
    const page = await client.follow(retry);
    expect(page.statusCode).toBe(200);
    const [credential, ...others] = await credentialsOf(c.codiceFiscale);
    expect(others).toEqual([]);
    expect(page.body).toContain(protocolOf(credential?.id ?? ''));
    expect(page.body).not.toContain('ha già un PIN');
  });

  it('a failure after the request is written and before its confirmation is stored leaves nothing: no credential, message or audit record; the retry completes', async () => {
    const c = italianCitizen();
    const client = new Client(t.app);
    expect((await requestToSummary(client, c)).statusCode).toBe(200);
    // The last write of CONFERMA (the flow's confirmation) fails, as a process dying there would leave it.
    await sql`CREATE FUNCTION varco_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the portal died here'; END $$`.execute(t.db);
    await sql`CREATE TRIGGER varco_test_fail BEFORE UPDATE ON flows FOR EACH ROW WHEN (NEW.state = 'completato') EXECUTE FUNCTION varco_test_fail()`.execute(
      t.db,
    );
    try {
      const failed = await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
      expect(failed.statusCode).toBe(500);
    } finally {
      await sql`DROP TRIGGER varco_test_fail ON flows`.execute(t.db);
      await sql`DROP FUNCTION varco_test_fail()`.execute(t.db);
    }
    expect(await credentialsOf(c.codiceFiscale)).toEqual([]);
    expect(await auditOf(t.db, { cf: c.codiceFiscale, event: 'pin.requested' }).select('id').execute()).toEqual([]);
    const before = (await outboxOf(t.db, {}).select('id').execute()).length;
    // The citizen goes back to the summary, which the flow still shows, and confirms again.
    expect((await client.get('/pin/richiesta/riepilogo')).statusCode).toBe(200);

    const retry = await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
    expect(retry.statusCode).toBe(303);
    const page = await client.follow(retry);
    const [credential, ...others] = await credentialsOf(c.codiceFiscale);
    expect(others).toEqual([]);
    expect(page.body).toContain(protocolOf(credential?.id ?? ''));
    expect((await outboxOf(t.db, {}).select('id').execute()).length).toBeGreaterThan(before);
  });
});
