import type { ChannelAdapter } from './types.js';

/**
 * SMS through an HTTP gateway. Contract (docs/sms-gateway.md):
 *   POST <SMS_GATEWAY_URL>  Content-Type: application/json
 *   Authorization: Bearer <SMS_GATEWAY_TOKEN> (when set)
 *   Idempotency-Key: <message id>
 *   { "id": "<message id>", "to": "+393331234567", "text": "…" }
 * 2xx: accepted (a repeated id must be accepted again without sending twice); anything else: retried.
 */
export function createSmsHttpChannel(opts: { url: string; token: string | undefined; timeoutMs?: number }): ChannelAdapter {
  return {
    async deliver(message) {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.id,
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body: JSON.stringify({ id: message.id, to: message.recipient, text: message.text }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}
