import { expect } from 'vitest';
import { createOperator } from '../../src/backoffice/operatori/service.js';
import type { OperatorRole } from '../../src/db/schema.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { totpCode } from '../../src/security/totp.js';
import { type TestApp, Client } from './app.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

/** A new operator of that role, logged in (password + TOTP, the code of `at`: the app's clock) and on the back-office home page. */
export async function loginOperator(t: TestApp, role: OperatorRole, username: string, displayName = username, at = new Date()) {
  const created = await createOperator(t.db, hasher, createSecretBox(t.config.secretKey), { username, displayName, role });
  const client = new Client(t.app);
  await client.get('/backoffice/accedi');
  const res = await client.post('/backoffice/accedi', { username, password: created.password, totp: totpCode(created.totpSecret, at) });
  expect(res.headers.location).toBe('/backoffice');
  await client.get('/backoffice');
  return { client, username, ...created };
}
