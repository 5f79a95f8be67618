import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { audit } from '../../audit/events.js';
import type { Database } from '../../db/schema.js';
import { requireSession } from '../../ui/guard.js';
import type { AppDeps } from '../../ui/deps.js';
import { html } from '../../ui/html.js';
import { page } from '../../ui/layout.js';
import { citizenHandler, paramValue } from '../../ui/route.js';
import { readStoredFile, sendStoredFile, storedFileRoute, storeFile } from '../conversione/files.js';
import { type SanitizeLimits, sanitizeUpload } from '../conversione/sanitize.js';

/** `varco import documento CF FILE.pdf --anno YYYY`: deposits a Certificazione Unica for a citizen, rewritten like an upload (F14). */
export async function depositDocument(
  db: Kysely<Database>,
  filesDir: string,
  codiceFiscale: string,
  year: number,
  pdf: Buffer,
  limits: SanitizeLimits,
): Promise<string> {
  const citizen = await db.selectFrom('citizens').select('id').where('codice_fiscale', '=', codiceFiscale).executeTakeFirst();
  if (!citizen) throw new Error(`no citizen ${codiceFiscale}`);
  const clean = await sanitizeUpload(pdf, limits);
  if (!clean.ok || clean.file.contentType !== 'application/pdf') throw new Error(`not a readable PDF (${clean.ok ? clean.file.contentType : clean.reason})`);
  const fileId = await storeFile(db, filesDir, citizen.id, 'cu', clean.file);
  const id = randomUUID();
  await db.insertInto('citizen_documents').values({ id, citizen_id: citizen.id, kind: 'cu', year, file_id: fileId }).execute();
  return id;
}

/** R18: downloading a document the seeds name as dispositive (the CU) needs a dispositivo session. */
export function documentiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const guard = { preHandler: requireSession(deps, { level: 'dispositivo' }) };

  app.get(
    '/documenti',
    guard,
    citizenHandler(async (req, reply, { session }) => {
      const { t } = req.ctx;
      const docs = await deps.db
        .selectFrom('citizen_documents')
        .select(['id', 'kind', 'year'])
        .where('citizen_id', '=', session.citizenId)
        .orderBy('year', 'desc')
        .execute();
      return reply.type('text/html').send(
        page(
          req.ctx,
          { title: t('doc.list.title'), breadcrumb: [{ label: t('board.title'), href: '/bacheca' }, { label: t('doc.list.title') }] },
          html`
<h1>${t('doc.list.title')}</h1>
<p>${t('doc.list.lead')}</p>
${
  docs.length
    ? html`<ul class="list-unstyled" id="documents">${docs.map((d) => html`<li class="mb-2">${t(`doc.kind.${d.kind}`, { year: d.year })} — <a href="/documenti/${d.id}.pdf">${t('doc.download')}<span class="visually-hidden">: ${t(`doc.kind.${d.kind}`, { year: d.year })}</span></a></li>`)}</ul>`
    : html`<p>${t('doc.list.none')}</p>`
}`,
        ),
      );
    }),
  );

  app.get(
    '/documenti/:file',
    { ...guard, ...storedFileRoute },
    citizenHandler(async (req, reply, { session, citizen, audit: who }) => {
      const id = paramValue(req, 'file').replace(/\.pdf$/, '');
      if (!/^[0-9a-f-]{36}$/.test(id)) return reply.callNotFound();
      // Only the owner's documents exist for this session: another citizen's id is "not found".
      const doc = await deps.db
        .selectFrom('citizen_documents')
        .select(['file_id', 'kind', 'year'])
        .where('id', '=', id)
        .where('citizen_id', '=', session.citizenId)
        .executeTakeFirst();
      const file = doc ? await readStoredFile(deps.db, deps.config.filesDir, doc.file_id) : undefined;
      if (!doc || !file) return reply.callNotFound();
      await audit.documentDownloaded(deps.db, who, citizen.codiceFiscale, { documentId: id, kind: doc.kind, year: doc.year });
      return sendStoredFile(reply, file, `${doc.kind.toUpperCase()}-${doc.year}`);
    }),
  );
}
