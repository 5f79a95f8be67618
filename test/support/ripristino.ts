import { processRipristinoRequests } from '../../src/flows/ripristino/service.js';
import type { PinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import type { TestApp } from './app.js';

/** R13: the worker's step that handles the pending ripristino requests, on the test's clock (codes valid 60 minutes). */
export function processRipristino(t: TestApp, hasher: PinHasher, now: () => Date) {
  return processRipristinoRequests({
    db: t.db,
    box: createSecretBox(t.config.secretKey),
    hasher,
    now,
    codeTtlMinutes: 60,
    publicUrl: t.config.publicUrl,
    contactSecurity: t.config.contactSecurity,
  });
}
