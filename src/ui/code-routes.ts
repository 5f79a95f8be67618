import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { AuditContext } from '../audit/events.js';
import type { FieldErrors } from './forms.js';
import type { PageContext } from './layout.js';
import { citizenHandler } from './route.js';
import { pickFields } from './validators.js';

/** What a code page shows: where the code went, and what was wrong with the last one typed. */
export interface CodePageState {
  to: string;
  invalid?: boolean;
  errors: FieldErrors;
}

type Guard = { preHandler: preHandlerAsyncHookHandler | preHandlerAsyncHookHandler[] };

/**
 * The page where a citizen types the code sent to a new contact (`path`), and its post: without a
 * code still pending the page goes back to `back`; a missing or wrong code shows the page again
 * (422); the right one goes on to `done`.
 */
export function codeVerifyRoutes(
  app: FastifyInstance,
  o: {
    path: string;
    /** The guards of the page and of its post (the post may add a rate limit). */
    guards: { get: Guard; post: Guard };
    /** The address the pending code went to, if one is pending. */
    pendingTo: (citizenId: string) => Promise<string | undefined>;
    page: (ctx: PageContext, state: CodePageState) => string;
    confirm: (citizenId: string, code: string, ctx: AuditContext & { cf: string }) => Promise<boolean>;
    back: string;
    done: string;
  },
): void {
  app.get(
    o.path,
    o.guards.get,
    citizenHandler(async (req, reply, { session }) => {
      const to = await o.pendingTo(session.citizenId);
      if (to === undefined) return reply.redirect(o.back, 303);
      return reply.type('text/html').send(o.page(req.ctx, { to, errors: {} }));
    }),
  );

  app.post(
    o.path,
    o.guards.post,
    citizenHandler(async (req, reply, { session, audit: ctx }) => {
      const { t } = req.ctx;
      const raw = pickFields(req.body, ['codice']);
      const to = (await o.pendingTo(session.citizenId)) ?? '';
      if (!raw.codice)
        return reply
          .code(422)
          .type('text/html')
          .send(o.page(req.ctx, { to, errors: { codice: t('error.required', { field: t('contacts.code') }) } }));
      if (!(await o.confirm(session.citizenId, raw.codice.slice(0, 16), ctx)))
        return reply
          .code(422)
          .type('text/html')
          .send(o.page(req.ctx, { to, invalid: true, errors: {} }));
      return reply.redirect(o.done, 303);
    }),
  );
}
