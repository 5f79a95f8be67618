import type { Db } from '../../src/db/database.js';
import type { WorkerOptions } from '../../src/outbox/worker.js';
import { createWorker } from '../../src/outbox/worker.js';
import type { SecretBox } from '../../src/security/secret-box.js';

/** Runs an outbox worker over `channels` (INPS as the institute, three attempts) until nothing is left to send now. */
export async function deliverOutbox(db: Db, box: SecretBox, channels: WorkerOptions['channels']): Promise<void> {
  const worker = createWorker({ db, box, channels, render: { istituto: 'INPS' }, batchSize: 50, pollIntervalMs: 20, maxAttempts: 3, leaseSeconds: 30 });
  while ((await worker.runOnce()) > 0);
}
