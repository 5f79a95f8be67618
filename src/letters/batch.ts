import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { audit } from '../audit/events.js';
import type { Database } from '../db/schema.js';
import { letterContent, type RenderDeps } from '../outbox/render.js';
import type { SecretBox } from '../security/secret-box.js';
import { renderLettersPdf } from './pdf.js';

export interface LetterBatchDeps {
  db: Kysely<Database>;
  box: SecretBox;
  render: RenderDeps;
  lettersDir: string;
  retentionDays: number;
  progress?: (done: number, total: number) => void;
}

export interface BatchResult {
  batchId: string;
  count: number;
  pdf: string;
  manifest: string;
}

const PDF_NAME = 'lettere.pdf';
const MANIFEST_NAME = 'manifest.csv';

/**
 * Gathers the queued postal letters into one print batch: a PDF (one page per letter, PIN halves
 * in clear) and a CSV manifest without secrets. The letters are then marked sent and their
 * secrets erased from the database; the PDF stays until the printer's receipt
 * (`confirmBatch`) or the retention period, then it is erased and the erasure audited.
 * A crash after the files are written but before the commit leaves the letters queued: the next
 * batch prints them again under the same reference (the outbox id), which the printer dedupes.
 */
export async function createBatch(deps: LetterBatchDeps, limit = 10_000): Promise<BatchResult | undefined> {
  const messages = await deps.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('channel', '=', 'letter')
    .where('state', '=', 'queued')
    .orderBy('created_at')
    .limit(limit)
    .execute();
  if (messages.length === 0) return undefined;
  const batchId = `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
  const folder = path.join(deps.lettersDir, batchId);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const letters = messages.map((m) => letterContent(m, m.secret_ciphertext ? deps.box.open(m.secret_ciphertext, m.id) : '', deps.render));
  const pdf = await renderLettersPdf(letters, (done) => deps.progress?.(done, letters.length));
  const pdfPath = path.join(folder, PDF_NAME);
  const manifestPath = path.join(folder, MANIFEST_NAME);
  await writeFile(pdfPath, pdf, { mode: 0o600 });
  const csv = ['page;reference;recipient;address;country'];
  letters.forEach((l, i) =>
    csv.push(
      [String(i + 1), l.reference, l.recipient[0] ?? '', l.recipient.slice(1).join(' / '), l.sections.map((s) => s.lang).join('+')].map(csvCell).join(';'),
    ),
  );
  await writeFile(manifestPath, `${csv.join('\n')}\n`, { mode: 0o600 });

  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('letter_batches').values({ id: batchId, letter_count: messages.length, folder }).execute();
    await trx
      .updateTable('outbox_messages')
      .set({ state: 'sent', secret_ciphertext: null, sent_at: new Date(), batch_id: batchId, send_count: 1 })
      .where(
        'id',
        'in',
        messages.map((m) => m.id),
      )
      .where('state', '=', 'queued')
      .execute();
    await audit.lettersBatchCreated(trx, { batchId, count: messages.length });
  });
  return { batchId, count: messages.length, pdf: pdfPath, manifest: manifestPath };
}

/** The printer's receipt: the PDF holding the PINs is erased at once. */
export async function confirmBatch(deps: LetterBatchDeps, batchId: string, actor: string): Promise<'confirmed' | 'unknown' | 'already'> {
  const batch = await deps.db.selectFrom('letter_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch) return 'unknown';
  if (batch.confirmed_at) return 'already';
  await erasePdf(batch.folder);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('letter_batches').set({ confirmed_at: new Date(), erased_at: new Date() }).where('id', '=', batchId).execute();
    await audit.lettersBatchConfirmed(trx, actor, { batchId });
    await audit.lettersBatchErased(trx, { batchId, reason: 'confirmed' });
  });
  return 'confirmed';
}

/** Erases the PDFs of batches older than the retention period that no receipt confirmed. */
export async function purgeExpiredBatches(deps: LetterBatchDeps, now = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - deps.retentionDays * 86_400_000);
  const old = await deps.db.selectFrom('letter_batches').selectAll().where('erased_at', 'is', null).where('created_at', '<', cutoff).execute();
  for (const batch of old) {
    await erasePdf(batch.folder);
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('letter_batches').set({ erased_at: new Date() }).where('id', '=', batch.id).execute();
      await audit.lettersBatchErased(trx, { batchId: batch.id, reason: 'retention' });
    });
  }
  return old.map((b) => b.id);
}

/** Overwrites the PDF with zeros before unlinking it (best effort on journaling file systems). */
async function erasePdf(folder: string): Promise<void> {
  const file = path.join(folder, PDF_NAME);
  const info = await stat(file).catch(() => undefined);
  if (!info) return;
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.alloc(info.size), 0, info.size, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rm(file);
}

function csvCell(value: string): string {
  return /[;"\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
