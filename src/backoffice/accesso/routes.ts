import type { FastifyInstance } from 'fastify';
import { formatRome } from '../../domain/rome-time.js';
import { reviewQueue } from '../../flows/conversione/service.js';
import { auditContextOf } from '../../ui/audit-context.js';
import type { AppDeps } from '../../ui/deps.js';
import type { FieldErrors } from '../../ui/forms.js';
import { queryValue } from '../../ui/route.js';
import { controlCharErrors, pickFields } from '../../ui/validators.js';
import { OPERATOR_COOKIE, REVIEWERS, operatorHandler, requireOperator } from './guard.js';
import { authenticateOperator, createOperatorSession, logoutOperator } from './service.js';
import { homePage, loginPage } from './views.js';

/** The operators' login (password + TOTP), logout, and the back office's home with the review queue. */
export function backofficeAccessoRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/backoffice/accedi', async (req, reply) => reply.type('text/html').send(loginPage(req.ctx, {})));

  app.post('/backoffice/accedi', { preHandler: deps.rateLimitHook('backoffice') }, async (req, reply) => {
    const { t } = req.ctx;
    const raw = pickFields(req.body, ['username', 'password', 'totp']);
    const errors: FieldErrors = {};
    for (const [f, label] of [
      ['username', t('bo.username')],
      ['password', t('bo.password')],
      ['totp', t('bo.totp')],
    ] as const)
      if (!raw[f]) errors[f] = t('error.required', { field: label });
    controlCharErrors(t, raw, { username: t('bo.username'), password: t('bo.password'), totp: t('bo.totp') }, errors);
    const { username, password, totp } = raw;
    if (!username || !password || !totp || Object.keys(errors).length) return reply.code(422).type('text/html').send(loginPage(req.ctx, { username, errors }));
    const result = await authenticateOperator(
      { db: deps.db, hasher: deps.hasher, box: deps.box, dummyHash: deps.dummyHash, now: deps.now },
      { username, password, totp },
      auditContextOf(req, 'anonymous', 'backoffice'),
    );
    if (!result.ok) {
      const error = result.reason === 'blocked' ? t('bo.login.blocked', { until: formatRome(result.until) }) : t('bo.login.invalid');
      return reply
        .code(result.reason === 'blocked' ? 423 : 401)
        .type('text/html')
        .send(loginPage(req.ctx, { username, error }));
    }
    const id = await createOperatorSession(deps.db, result.operator.id, req.ip, deps.now());
    reply.setCookie(OPERATOR_COOKIE, id, deps.cookieOptions({ path: '/backoffice', sameSite: 'strict' }));
    return reply.redirect('/backoffice', 303);
  });

  app.post(
    '/backoffice/esci',
    { preHandler: requireOperator(deps) },
    operatorHandler(async (_req, reply, { operator, audit }) => {
      await logoutOperator(deps.db, operator, deps.now(), audit);
      reply.clearCookie(OPERATOR_COOKIE, { path: '/backoffice' });
      return reply.redirect('/backoffice/accedi', 303);
    }),
  );

  app.get(
    '/backoffice',
    { preHandler: requireOperator(deps) },
    operatorHandler(async (req, reply, { operator }) => {
      const queue = REVIEWERS.includes(operator.role) ? await reviewQueue(deps.db) : undefined;
      const approvata = queryValue(req, 'approvata');
      const respinta = queryValue(req, 'respinta');
      const notice =
        approvata !== undefined
          ? req.ctx.t('bo.request.approved', { number: approvata.slice(0, 20) })
          : respinta !== undefined
            ? req.ctx.t('bo.request.rejected', { number: respinta.slice(0, 20) })
            : undefined;
      return reply.type('text/html').send(homePage(req.ctx, operator, { queue, notice }));
    }),
  );
}
