import type { OutboxMessage } from '../../src/db/schema.js';

/** The columns of an outbox row created now and not yet leased: no secret, no lease, no error, no letter batch. */
export function unleasedRow() {
  return {
    secret_ciphertext: null,
    next_attempt_at: new Date(),
    lease_owner: null,
    lease_until: null,
    last_error: null,
    batch_id: null,
    created_at: new Date(),
  };
}

/** A message as the worker holds it on its first attempt, as the renderers receive it (no citizen). */
export function processingMessage(m: Pick<OutboxMessage, 'id' | 'channel' | 'template' | 'locale' | 'recipient' | 'params'>): OutboxMessage {
  return { ...unleasedRow(), citizen_id: null, state: 'processing', send_count: 1, sent_at: null, ...m };
}
