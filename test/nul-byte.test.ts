import { describe, expect, it } from 'vitest';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';

/** Found by an outside tester: a NUL byte in a form field reached PostgreSQL and answered 500. */
describe.each(ENGINES)('a NUL byte in a request on %s', (engine) => {
  const t = useTestApp(engine);

  it('is refused with a 400 page in the user\'s language, never a 500, on anonymous and flow forms', async () => {
    const client = new Client(t.app);
    await client.get('/accedi');
    const login = await client.post('/accedi', { codiceFiscale: 'RSSMRA85T10A56\u00002S', pin: 'AAAAAAAA' });
    expect(login.statusCode).toBe(400);
    expect(login.headers['content-type']).toMatch(/text\/html/);
    await client.get('/pin/richiesta');
    expect((await client.post('/pin/richiesta', { codiceFiscale: 'VRDGPP73A01A562\u0000', residenza: 'IT' })).statusCode).toBe(400);
    expect((await client.get('/cerca?q=pin%00')).statusCode).toBe(400);
  });
});
