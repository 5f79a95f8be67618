import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.js';
import { createDevMailboxChannel } from '../src/outbox/channels/dev-mailbox.js';
import { createSmsHttpChannel } from '../src/outbox/channels/sms-http.js';
import { createSmtpChannel } from '../src/outbox/channels/smtp.js';
import type { ChannelAdapter, RenderedMessage } from '../src/outbox/channels/types.js';
import { enqueue, type OutboxEntry } from '../src/outbox/outbox.js';
import { createWorker } from '../src/outbox/worker.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { ENGINES, useFreshDatabase } from './support/db.js';
import { startSmtpSink } from './support/smtp.js';
import { auditOf } from './support/rows.js';

const box = createSecretBox(randomBytes(32));
const render = { istituto: 'INPS' };

function smsEntry(i: number, secret = `SECRET${String(i).padStart(2, '0')}`): OutboxEntry {
  return {
    channel: 'sms',
    template: 'pin.firstHalf',
    recipient: `+3933300000${String(i).padStart(2, '0')}`,
    locale: 'it',
    params: { nome: 'MARIO', cognome: 'ROSSI' },
    secret,
    citizenId: null,
  };
}

function workerWith(
  db: Db,
  channels: Partial<Record<'sms' | 'email' | 'pec' | 'letter', ChannelAdapter>>,
  extra: Partial<Parameters<typeof createWorker>[0]> = {},
) {
  return createWorker({ db, box, channels, render, batchSize: 50, pollIntervalMs: 20, maxAttempts: 3, leaseSeconds: 30, retryBaseSeconds: 0, ...extra });
}

describe.each(ENGINES)('outbox on %s', (engine) => {
  const t = useFreshDatabase(engine);

  it('stores secrets only encrypted and erases them once delivered', async () => {
    const [id] = await enqueue(t.db, box, [smsEntry(1, 'ACDEFHJK')]);
    const before = await t.db.selectFrom('outbox_messages').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(JSON.stringify(before)).not.toContain('ACDEFHJK');
    const delivered: RenderedMessage[] = [];
    const worker = workerWith(t.db, { sms: { deliver: async (m) => void delivered.push(m) } });
    expect(await worker.runOnce()).toBe(1);
    expect(delivered[0]?.text).toContain('ACDEFHJK');
    expect(delivered[0]?.id).toBe(id);
    const after = await t.db.selectFrom('outbox_messages').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(after.state).toBe('sent');
    expect(after.secret_ciphertext).toBeNull();
    const events = await auditOf(t.db, { event: 'outbox.sent' }).selectAll().execute();
    expect(events.some((e) => (e.details as { messageId: string }).messageId === id)).toBe(true);
  });

  it('retries with backoff and keeps a log of attempts, then abandons and erases the secret', async () => {
    const [flaky, dead] = await enqueue(t.db, box, [smsEntry(2), smsEntry(3)]);
    let calls = 0;
    const adapter: ChannelAdapter = {
      deliver: async (m) => {
        if (m.id === dead) throw new Error('gateway down');
        if (m.id === flaky && ++calls < 3) throw new Error('temporary');
      },
    };
    const worker = workerWith(t.db, { sms: adapter });
    for (let i = 0; i < 5; i++) await worker.runOnce();
    const rows = await t.db.selectFrom('outbox_messages').selectAll().where('id', 'in', [flaky!, dead!]).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(flaky!)).toMatchObject({ state: 'sent', send_count: 3, secret_ciphertext: null });
    expect(byId.get(dead!)).toMatchObject({ state: 'abandoned', send_count: 3, secret_ciphertext: null, last_error: 'gateway down' });
    const attempts = await t.db
      .selectFrom('outbox_attempts')
      .select(['message_id', 'outcome'])
      .where('message_id', 'in', [flaky!, dead!])
      .orderBy('id')
      .execute();
    expect(attempts.filter((a) => a.message_id === flaky).map((a) => a.outcome)).toEqual(['failed', 'failed', 'sent']);
    expect(attempts.filter((a) => a.message_id === dead).map((a) => a.outcome)).toEqual(['failed', 'failed', 'abandoned']);
    expect(await auditOf(t.db, { event: 'outbox.abandoned' }).select('id').execute()).toHaveLength(1);
  });

  it('waits for the backoff before retrying', async () => {
    const [id] = await enqueue(t.db, box, [smsEntry(4)]);
    const worker = workerWith(
      t.db,
      {
        sms: {
          deliver: async () => {
            throw new Error('no');
          },
        },
      },
      { retryBaseSeconds: 60 },
    );
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    const row = await t.db.selectFrom('outbox_messages').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row.state).toBe('queued');
    expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 30_000);
  });

  it('never gives one message to two workers at once', async () => {
    await t.db.updateTable('outbox_messages').set({ state: 'sent' }).where('state', '!=', 'sent').execute();
    const ids = await enqueue(
      t.db,
      box,
      Array.from({ length: 120 }, (_, i) => smsEntry(i)),
    );
    const seen = new Map<string, number>();
    const adapter: ChannelAdapter = { deliver: async (m) => void seen.set(m.id, (seen.get(m.id) ?? 0) + 1) };
    const workers = [0, 1, 2].map(() => workerWith(t.db, { sms: adapter }, { batchSize: 7 }));
    for (let round = 0; round < 30; round++) await Promise.all(workers.map((w) => w.runOnce()));
    expect(ids.every((id) => seen.get(id) === 1)).toBe(true);
  });

  it('takes over a message whose worker died (expired lease), with the same id', async () => {
    const [id] = await enqueue(t.db, box, [smsEntry(5)]);
    await t.db
      .updateTable('outbox_messages')
      .set({ state: 'processing', lease_owner: 'dead-worker', lease_until: new Date(Date.now() - 1000), send_count: 1 })
      .where('id', '=', id!)
      .execute();
    const delivered: string[] = [];
    const worker = workerWith(t.db, { sms: { deliver: async (m) => void delivered.push(m.id) } });
    await worker.runOnce();
    expect(delivered).toContain(id);
    const row = await t.db.selectFrom('outbox_messages').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'sent', send_count: 2 });
  });

  it('delivers into the dev mailbox', async () => {
    const [id] = await enqueue(t.db, box, [smsEntry(6, 'MNPRTUWX')]);
    await workerWith(t.db, { sms: createDevMailboxChannel(t.db) }).runOnce();
    const row = await t.db.selectFrom('dev_mailbox').selectAll().where('message_id', '=', id!).executeTakeFirstOrThrow();
    expect(row.body).toContain('MNPRTUWX');
    expect(row.recipient).toBe('+393330000006');
  });
});

describe('channels on real servers', () => {
  const t = useFreshDatabase('pglite');

  it('sends email over SMTP with a Message-ID derived from the outbox id', async () => {
    const sink = await startSmtpSink();
    const smtp = createSmtpChannel({ url: sink.url, from: 'noreply@varco.test', messageIdDomain: 'varco.test' });
    try {
      const [id] = await enqueue(t.db, box, [
        {
          channel: 'email',
          template: 'pin.firstHalf',
          recipient: 'mario.rossi@example.org',
          locale: 'it',
          params: { nome: 'MARIO', cognome: 'ROSSI' },
          secret: 'ACDEFHJK',
          citizenId: null,
        },
      ]);
      await workerWith(t.db, { email: smtp }).runOnce();
      expect(sink.messages).toHaveLength(1);
      const mail = sink.messages[0]!;
      expect(mail.messageId).toBe(`<${id}@varco.test>`);
      expect(mail.subject).toBe('INPS – Prima parte del PIN');
      expect(mail.text).toContain('I primi 8 caratteri del PIN sono: ACDEFHJK');
      expect(mail.text).toContain('Gentile MARIO ROSSI');
      expect((mail.to as { text: string }).text).toBe('mario.rossi@example.org');
    } finally {
      await smtp.close?.();
      await sink.close();
    }
  });

  it('sends SMS to the HTTP gateway with the idempotency key, and retries on a 5xx', async () => {
    const received: { key: string | undefined; body: { id: string; to: string; text: string }; auth: string | undefined }[] = [];
    let failNext = true;
    const server = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        if (failNext) {
          failNext = false;
          res.statusCode = 503;
          return res.end();
        }
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(data), auth: req.headers.authorization });
        res.statusCode = 202;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const sms = createSmsHttpChannel({ url: `http://127.0.0.1:${port}/sms`, token: 'tok' });
      const [id] = await enqueue(t.db, box, [smsEntry(7, 'HJKMNPRT')]);
      const worker = workerWith(t.db, { sms });
      await worker.runOnce();
      await worker.runOnce();
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ key: id, auth: 'Bearer tok', body: { id, to: '+393330000007' } });
      expect(received[0]?.body.text).toContain('HJKMNPRT');
    } finally {
      server.close();
    }
  });
});
