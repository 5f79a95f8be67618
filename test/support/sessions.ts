import { createSessionStore } from '../../src/sessions/store.js';
import { type TestApp, Client } from './app.js';

/** A client holding the session a SPID login opens (level dispositivo, no PIN credential), made on the test's clock. */
export async function spidClient(t: TestApp, citizenId: string, now: () => Date): Promise<Client> {
  const { id } = await createSessionStore(t.db, now).create({
    citizenId,
    credentialId: null,
    authMethod: 'spid',
    authProvider: 'test-idp',
    level: 'dispositivo',
    mustChangePin: null,
    ip: null,
    userAgent: null,
  });
  const client = new Client(t.app);
  client.setCookie('varco_session', id);
  return client;
}
