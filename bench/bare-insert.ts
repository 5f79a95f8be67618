/**
 * The reference of bench:clickday: a bare Fastify route that only inserts one row (no session,
 * no CSRF, no validation, no audit) and answers 303, on the same PostgreSQL. Started by the
 * bench, never by the portal.
 */
import Fastify from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false });
await app.register(fastifyFormbody);
app.post<{ Body: Record<string, string> }>('/domanda', async (req, reply) => {
  const body = req.body;
  const { rows } = await pool.query<{ id: string }>('insert into bare_applications (citizen, payload) values ($1, $2) returning id', [
    body.citizen ?? '',
    JSON.stringify(body),
  ]);
  return reply.redirect(`/domande/${rows[0]!.id}`, 303);
});
app.get('/healthz', async () => 'ok');
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
