import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MessageKey } from '../i18n/index.js';
import type { AppDeps } from './deps.js';

/** One field at fault: a JSON pointer-like path ('medico.nome') and what to fix, in the caller's language. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * API errors as RFC 9457 problem details, titles and messages in the language of the
 * caller's Accept-Language (Italian by default).
 */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, status: number, errors: FieldProblem[] = [], detail?: string): FastifyReply {
  const t = req.ctx.t;
  const key = `api.status.${[400, 401, 403, 404, 409, 413, 415, 429].includes(status) ? status : status >= 500 ? 500 : 400}` as MessageKey;
  return reply
    .code(status)
    .type('application/problem+json')
    .header('cache-control', 'no-store')
    .send({ type: 'about:blank', title: t(key), status, ...(detail ? { detail } : {}), ...(errors.length ? { errors } : {}) });
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Turns the schema validator's findings into one message per field. */
export function validationProblems(req: FastifyRequest, error: FastifyError): FieldProblem[] {
  const t = req.ctx.t;
  const list = (error.validation ?? []) as unknown as AjvError[];
  return list.map((e) => {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    switch (e.keyword) {
      case 'required':
        return { field: join(base, String(e.params.missingProperty)), message: t('api.field.required') };
      case 'additionalProperties':
        return { field: join(base, String(e.params.additionalProperty)), message: t('api.field.unknown') };
      case 'enum':
        return { field: base, message: t('api.field.enum', { values: (e.params.allowedValues as unknown[]).join(', ') }) };
      case 'type':
        return { field: base, message: t('api.field.type', { type: String(e.params.type) }) };
      case 'minLength':
      case 'maxLength':
        return { field: base, message: t('api.field.length', { limit: String(e.params.limit) }) };
      default:
        return { field: base, message: t('api.field.format') };
    }
  });
}

const join = (base: string, name: string) => (base ? `${base}.${name}` : name);

/**
 * The machine API under /api: its own error and not-found handlers answer problem details
 * (validation findings field by field, 429 from the rate limit, malformed JSON) instead of pages.
 */
export function apiScope(api: FastifyInstance, deps: AppDeps, ...routes: ((api: FastifyInstance, deps: AppDeps) => void)[]): void {
  api.setNotFoundHandler((req, reply) => sendProblem(req, reply, 404));
  api.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: error.code, status }, 'request refused');
    if (error.validation) return sendProblem(req, reply, 400, validationProblems(req, error));
    const malformed = error.code === 'FST_ERR_CTP_INVALID_JSON' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
    return sendProblem(req, reply, status, [], malformed ? req.ctx.t('api.field.json') : undefined);
  });
  for (const register of routes) register(api, deps);
}
