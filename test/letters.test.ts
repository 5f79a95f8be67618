import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.js';
import { confirmBatch, createBatch, purgeExpiredBatches } from '../src/letters/batch.js';
import { enqueue, type PostalAddress } from '../src/outbox/outbox.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { ENGINES, freshDatabase } from './support/db.js';
import { pdfPages } from './support/pdf.js';
import { auditOf } from './support/rows.js';

const box = createSecretBox(randomBytes(32));

function letter(i: number, provincia: string | null, secret: string) {
  const address: PostalAddress = { name: `ANNA ROSSI${i}`, lines: ['Via Roma 1', `39100 BOLZANO (${provincia ?? 'EE'})`], provincia, country: null };
  return {
    channel: 'letter' as const,
    template: 'pin.secondHalf' as const,
    recipient: address,
    locale: 'it',
    params: { nome: 'ANNA', cognome: `ROSSI${i}` },
    secret,
    citizenId: null,
  };
}

describe.each(ENGINES)('print batches of postal letters on %s', (engine) => {
  let db: Db;
  let dir: string;
  const deps = () => ({ db, box, render: { istituto: 'INPS' }, lettersDir: dir, retentionDays: 14 });
  beforeAll(async () => {
    ({ db } = await freshDatabase(engine));
    dir = mkdtempSync(path.join(tmpdir(), 'varco-letters-'));
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('gathers queued letters into one PDF and a manifest, then erases the secrets from the database', async () => {
    const ids = await enqueue(db, box, [letter(1, 'PI', 'ACDEFHJK'), letter(2, 'BZ', 'MNPRTUWX'), letter(3, null, 'XY234679')]);
    const progress: number[] = [];
    const batch = await createBatch({ ...deps(), progress: (done) => progress.push(done) });
    expect(batch).toMatchObject({ count: 3 });
    expect(progress).toEqual([1, 2, 3]);
    const pages = await pdfPages(readFileSync(batch!.pdf));
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain('ACDE FHJK');
    expect(pages[0]).toContain('ANNA ROSSI1');
    expect(pages[0]).not.toContain('Sehr geehrte');
    expect(pages[1]).toContain('MNPR TUWX');
    expect(pages[1]).toContain('Sehr geehrte/r ANNA ROSSI2');
    const manifest = readFileSync(batch!.manifest, 'utf8');
    expect(manifest.split('\n')[0]).toBe('page;reference;recipient;address;country');
    expect(manifest).toContain(ids[1]);
    expect(manifest).not.toMatch(/ACDEFHJK|MNPRTUWX|XY234679/);
    const rows = await db.selectFrom('outbox_messages').selectAll().where('id', 'in', ids).execute();
    expect(rows.every((r) => r.state === 'sent' && r.secret_ciphertext === null && r.batch_id === batch!.batchId)).toBe(true);
    expect(await createBatch(deps())).toBeUndefined();

    expect(await confirmBatch(deps(), batch!.batchId, 'operator:test')).toBe('confirmed');
    expect(existsSync(batch!.pdf)).toBe(false);
    expect(existsSync(batch!.manifest)).toBe(true);
    expect(await confirmBatch(deps(), batch!.batchId, 'operator:test')).toBe('already');
    expect(await confirmBatch(deps(), 'nope', 'operator:test')).toBe('unknown');
    const events = await auditOf(db, { event: 'letters.%' }).select(['event', 'details']).execute();
    expect(events.map((e) => e.event)).toEqual(['letters.batch_created', 'letters.batch_confirmed', 'letters.batch_erased']);
  });

  it('erases an unconfirmed batch after the retention period', async () => {
    await enqueue(db, box, [letter(4, 'PI', 'ACDEFHJK')]);
    const batch = await createBatch(deps());
    expect(await purgeExpiredBatches(deps())).toEqual([]);
    expect(existsSync(batch!.pdf)).toBe(true);
    const later = new Date(Date.now() + 15 * 86_400_000);
    expect(await purgeExpiredBatches(deps(), later)).toEqual([batch!.batchId]);
    expect(existsSync(batch!.pdf)).toBe(false);
    const erased = await auditOf(db, { event: 'letters.batch_erased' }).select('details').execute();
    expect(erased.map((e) => (e.details as { reason: string }).reason)).toContain('retention');
  });
});
