import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../ui/deps.js';
import { html } from '../ui/html.js';
import { paramValue, sendTitledPage } from '../ui/route.js';

/** Development only: every delivered SMS, email, PEC and letter, readable in the browser. */
export function devMailboxRoutes(app: FastifyInstance, deps: AppDeps): void {
  const list = () => deps.db.selectFrom('dev_mailbox').selectAll().orderBy('id', 'desc').limit(500).execute();

  app.get('/dev/mailbox.json', async () => {
    const rows = await list();
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      channel: r.channel,
      recipient: r.recipient,
      subject: r.subject,
      text: r.body,
      deliveredAt: r.delivered_at,
      attachments: r.attachments.map((a, i) => ({ filename: a.filename, contentType: a.contentType, url: `/dev/mailbox/${r.id}/attachments/${i}` })),
    }));
  });

  app.get('/dev/mailbox/:id/attachments/:n', async (req, reply) => {
    const id = paramValue(req, 'id');
    const n = paramValue(req, 'n');
    if (!/^\d{1,12}$/.test(id) || !/^\d{1,3}$/.test(n)) return reply.callNotFound();
    const row = await deps.db.selectFrom('dev_mailbox').selectAll().where('id', '=', Number(id)).executeTakeFirst();
    const att = row?.attachments[Number(n)];
    if (!att) return reply.callNotFound();
    return reply
      .type(att.contentType)
      .header('content-disposition', `inline; filename="${att.filename.replace(/[^\w.-]/g, '_')}"`)
      .send(Buffer.from(att.base64, 'base64'));
  });

  app.get('/dev/mailbox', async (req, reply) => {
    const { t } = req.ctx;
    const rows = await list();
    return sendTitledPage(
      reply,
      req.ctx,
      { title: t('mailbox.title') },
      html`<p>${t('mailbox.lead')}</p>
${rows.length === 0 ? html`<p>${t('mailbox.empty')}</p>` : ''}
${rows.map(
  (r) => html`<article class="card card-bg mb-3 mailbox-message" data-channel="${r.channel}"><div class="card-body">
  <h2 class="h5 card-title">${r.channel.toUpperCase()} · ${r.subject ?? ''}</h2>
  <dl class="row mb-2">
    <dt class="col-sm-3">${t('mailbox.recipient')}</dt><dd class="col-sm-9 pre-line">${r.recipient}</dd>
    <dt class="col-sm-3">${t('mailbox.when')}</dt><dd class="col-sm-9">${new Date(r.delivered_at).toISOString()}</dd>
  </dl>
  <pre class="mailbox-text">${r.body}</pre>
  ${r.attachments.map((a, i) => html`<p><a href="/dev/mailbox/${r.id}/attachments/${i}">${t('mailbox.attachment')}: ${a.filename}</a></p>`)}
</div></article>`,
)}`,
    );
  });
}
