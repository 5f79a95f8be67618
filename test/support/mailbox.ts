import type { Page } from 'playwright-core';
import { z } from 'zod';

const MailboxEntries = z.array(
  z.object({
    channel: z.string(),
    recipient: z.string(),
    subject: z.string().nullable(),
    text: z.string(),
    attachments: z.array(z.object({ url: z.string() })),
  }),
);

/** A message of the dev mailbox (GET /dev/mailbox.json), as the worker delivered it. */
export type MailboxEntry = z.infer<typeof MailboxEntries>[number];

/**
 * Reads the dev mailbox every 100 ms (100 times at the most) until `found` makes something of its
 * messages (anything but undefined), and returns that; throws `missing` when it never does.
 */
export async function fromMailbox<T>(page: Page, baseUrl: string, found: (all: MailboxEntry[]) => T | undefined, missing: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const all = MailboxEntries.parse(await (await page.request.get(`${baseUrl}/dev/mailbox.json`)).json());
    const result = found(all);
    if (result !== undefined) return result;
    await page.waitForTimeout(100);
  }
  throw new Error(missing);
}
