import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/events.js';
import { authenticateClient } from '../../clients/clients.js';
import { normalizeCf, parseCf } from '../../domain/codice-fiscale/index.js';
import { romeDate } from '../../domain/rome-time.js';
import { type FieldProblem, sendProblem } from '../../ui/api.js';
import { auditContextOf } from '../../ui/audit-context.js';
import type { AppDeps } from '../../ui/deps.js';
import { MissingGuardError } from '../../ui/route.js';
import { type CertificateInput, receiveCertificate } from './service.js';

const name = { type: 'string', minLength: 1, maxLength: 60, pattern: '^[^\\u0000-\\u001f\\u007f]+$' } as const;
const date = { type: 'string', format: 'date', pattern: '^(19|20)\\d\\d-' } as const;

/** The published schema of a certificate: Fastify validates bodies with it, /api/openapi.json shows it. */
export const certificateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['protocollo', 'codiceFiscale', 'tipo', 'dataRilascio', 'inizioPrognosi', 'finePrognosi', 'medico'],
  properties: {
    protocollo: {
      type: 'string',
      pattern: '^[0-9]{6,20}$',
      description: 'Numero di protocollo univoco del certificato (PUC): repeating it makes the call idempotent.',
    },
    codiceFiscale: { type: 'string', pattern: '^[A-Za-z0-9]{16}$', description: 'Codice fiscale of the worker (check character verified).' },
    tipo: { type: 'string', enum: ['inizio', 'continuazione', 'ricaduta'] },
    dataRilascio: { ...date, description: 'Date of issue (not in the future).' },
    inizioPrognosi: { ...date, description: 'First day of the prognosis.' },
    finePrognosi: { ...date, description: 'Last day of the prognosis (not before the first).' },
    medico: { type: 'object', additionalProperties: false, required: ['nome', 'cognome'], properties: { nome: name, cognome: name } },
  },
} as const;

const problemSchema = {
  type: 'object',
  required: ['title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

export function openApiDocument(publicUrl: string, istituto: string) {
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
  return {
    openapi: '3.1.0',
    info: {
      title: `${istituto} – Varco API`,
      version: '1.0.0',
      description: 'Machine-to-machine API of the Varco portal. Messages in problem details follow Accept-Language (it, de, en).',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        clientSecret: { type: 'http', scheme: 'basic', description: 'client id and secret from `varco client add`' },
        signedJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'JWT signed with a key registered for the client: iss = sub = client id, aud = this endpoint URL or the portal URL, exp ≤ 5 minutes ahead, jti used once',
        },
      },
      schemas: { Certificato: certificateSchema, Problem: problemSchema },
    },
    paths: {
      '/api/v1/certificati-malattia': {
        post: {
          summary: 'Deposits a sickness certificate (R20); the worker is notified by SMS and/or PEC as they chose.',
          security: [{ clientSecret: [] }, { signedJwt: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Certificato' } } } },
          responses: {
            '201': {
              description: 'Stored; notices queued in the same transaction.',
              content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, protocollo: { type: 'string' } } } } },
            },
            '200': { description: 'Already stored with the same content: nothing new is sent.' },
            '400': problem('A field is missing or malformed; `errors` names each field.'),
            '401': problem('Missing or invalid client credentials.'),
            '403': problem('The client may not deposit certificates.'),
            '409': problem('The protocol number is already used by a different certificate.'),
          },
        },
      },
    },
  };
}

/** R20: `POST /api/v1/certificati-malattia` and the OpenAPI document describing it (registered in the /api scope). */
export function certificatiApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const endpoint = `${deps.config.publicUrl}/api/v1/certificati-malattia`;
  const document = openApiDocument(deps.config.publicUrl, deps.config.istituto.name);
  const svc = { db: deps.db, box: deps.box, now: deps.now };

  app.get('/openapi.json', async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send(document));

  // The body is the published schema's (Fastify validates it before the handler runs).
  app.post<{ Body: CertificateInput }>(
    '/v1/certificati-malattia',
    {
      schema: { body: certificateSchema },
      // Credentials are checked before the body is even read: an unauthenticated caller learns nothing of the schema.
      onRequest: [
        deps.rateLimitHook('api'),
        async (req, reply) => {
          if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return sendProblem(req, reply, 415);
          const auth = await authenticateClient(
            { ...svc, accessToken: deps.accessTokens, audiences: [endpoint, deps.config.publicUrl] },
            req.headers.authorization,
            'certificati:write',
          );
          if (!auth.ok) {
            await audit.clientRefused(deps.db, auditContextOf(req, 'client:unknown', 'api'), { reason: auth.reason });
            if (auth.reason !== 'forbidden') reply.header('www-authenticate', 'Basic realm="varco", Bearer realm="varco"');
            return sendProblem(req, reply, auth.reason === 'forbidden' ? 403 : 401);
          }
          req.apiClient = auth.client;
        },
      ],
    },
    async (req, reply) => {
      const body = req.body;
      const { t } = req.ctx;
      const problems: FieldProblem[] = [];
      const cf = normalizeCf(body.codiceFiscale);
      const parsed = parseCf(cf);
      if (!parsed.ok) problems.push({ field: 'codiceFiscale', message: t(`error.cf.${parsed.error}`) });
      // A certificate issued today in Rome is not "in the future" at 00:30.
      const today = romeDate(deps.now());
      if (body.dataRilascio > today) problems.push({ field: 'dataRilascio', message: t('api.field.future') });
      if (body.finePrognosi < body.inizioPrognosi) problems.push({ field: 'finePrognosi', message: t('api.field.beforeStart') });
      if (problems.length) return sendProblem(req, reply, 400, problems);
      const client = req.apiClient;
      if (!client) throw new MissingGuardError('API client', req.url);
      const result = await receiveCertificate(svc, client.id, { ...body, codiceFiscale: cf }, auditContextOf(req, `client:${client.id}`, 'api'));
      if (result.status === 'conflict') return sendProblem(req, reply, 409, [{ field: 'protocollo', message: t('api.field.protocolConflict') }]);
      return reply.code(result.status === 'created' ? 201 : 200).send({ id: result.id, protocollo: body.protocollo });
    },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    apiClient?: import('../../clients/clients.js').RegisteredClient;
  }
}
