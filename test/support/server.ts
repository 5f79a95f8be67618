import type { AddressInfo } from 'node:net';
import { createWorker, type Worker } from '../../src/outbox/worker.js';
import { createDevMailboxChannel } from '../../src/outbox/channels/dev-mailbox.js';
import { processRipristinoRequests } from '../../src/flows/ripristino/service.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { type TestApp, buildTestApp } from './app.js';
import type { Engine } from './db.js';
import { freePort, loadFixtureResidences } from './serve.js';

/** The portal listening on 127.0.0.1 with its in-process worker delivering into the dev mailbox. */
export async function startPortal(engine: Engine = 'pglite', env: Record<string, string> = {}): Promise<TestApp & { baseUrl: string; worker: Worker }> {
  // The public address is the one the browser uses: the OpenID Provider names its URLs after it.
  const chosen = await freePort();
  // Issue 12 F1: journeys run against the residence registry, loaded with the fixtures' residences.
  const t = await buildTestApp(engine, { VARCO_PUBLIC_URL: `http://127.0.0.1:${chosen}`, VARCO_RESIDENCE_REGISTRY: 'table', ...env });
  await loadFixtureResidences(t.db);
  await t.app.listen({ port: chosen, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const mailbox = createDevMailboxChannel(t.db);
  const worker = createWorker({
    db: t.db,
    box: createSecretBox(t.config.secretKey),
    channels: { sms: mailbox, email: mailbox, pec: mailbox, letter: mailbox },
    render: { istituto: t.config.istituto.name, contactCenter: t.config.istituto.contactCenter, contactCenterMobile: t.config.istituto.contactCenterMobile },
    batchSize: 50,
    pollIntervalMs: 50,
    maxAttempts: 3,
    leaseSeconds: 30,
    frequentIntervalMs: 100,
    everyFewSeconds: async () => {
      await processRipristinoRequests({
        db: t.db,
        box: createSecretBox(t.config.secretKey),
        hasher: createPinHasher(t.config.argon2),
        now: () => new Date(),
        codeTtlMinutes: t.config.ripristinoCodeTtlMinutes,
        publicUrl: t.config.publicUrl,
        contactSecurity: t.config.contactSecurity,
      });
    },
  });
  worker.start();
  return {
    ...t,
    baseUrl: `http://127.0.0.1:${port}`,
    worker,
    async close() {
      await worker.stop();
      await t.close();
    },
  };
}
