import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ZodType, ZodTypeDef } from 'zod';
import type { Database } from '../db/schema.js';
import type { Flow, FlowStore } from '../sessions/flow-store.js';
import type { AppDeps } from './deps.js';

/**
 * A self-service flow kept as a row between requests (STYLE: a flow is a row): its kind, the
 * cookie that names it, its states with the page of each, and the schema of its data. The data
 * comes back from JSON and is validated with that schema on every load; a row that does not
 * match (an older shape, a tampered row) counts as no flow at all.
 */
export interface PersistedFlowDefinition<S extends string, D> {
  kind: string;
  cookie: string;
  /** The cookie's path: the flow's pages. */
  cookiePath: string;
  states: readonly S[];
  data: ZodType<D, ZodTypeDef, unknown>;
  /** Where a flow in a state is shown, for a request that arrives at another step. */
  pageOf?: Partial<Record<S, string>>;
}

export type FlowLoad<S extends string, D> =
  | { status: 'ok'; flow: Flow<S, D> }
  | { status: 'missing' }
  | { status: 'expired' }
  /** The flow exists but is at another step: its page, when the definition names one. */
  | { status: 'elsewhere'; state: S; page: string | undefined };

export interface PersistedFlow<S extends string, D> {
  readonly definition: PersistedFlowDefinition<S, D>;
  /** Starts a flow and gives the browser its cookie. */
  start(reply: FastifyReply, state: S, data: D): Promise<Flow<S, D>>;
  /** The flow of this request in one of `allowed`, validated. */
  load(req: FastifyRequest, allowed?: readonly S[]): Promise<FlowLoad<S, D>>;
  /**
   * The same, answering for the handler when there is none: `onMissing` for a missing or
   * expired flow (a redirect, or a page), a redirect to its page when it is at another step.
   */
  loadOr(
    req: FastifyRequest,
    reply: FastifyReply,
    allowed: readonly S[],
    onMissing: (why: 'missing' | 'expired') => Promise<unknown>,
  ): Promise<Flow<S, D> | undefined>;
  /** Stores the flow; with `within`, in that transaction. */
  save(flow: Flow<S, D>, within?: Kysely<Database>): Promise<void>;
  /** Moves the flow on unless another request moved it first (then false). */
  advance(flow: Flow<S, D>, to: S): Promise<boolean>;
  /** Forgets the flow in this browser. */
  clear(reply: FastifyReply): void;
}

export function definePersistedFlow<S extends string, D>(
  deps: Pick<AppDeps, 'flows' | 'cookieOptions'>,
  definition: PersistedFlowDefinition<S, D>,
): PersistedFlow<S, D> {
  const store: FlowStore = deps.flows;
  const isState = (value: string): value is S => (definition.states as readonly string[]).includes(value);
  const self: PersistedFlow<S, D> = {
    definition,
    async start(reply, state, data) {
      const { id, flow } = await store.create(definition.kind, state, data);
      reply.setCookie(definition.cookie, id, deps.cookieOptions({ path: definition.cookiePath }));
      return flow;
    },
    async load(req, allowed) {
      const loaded = await store.load(definition.kind, req.cookies[definition.cookie]);
      if (loaded.status !== 'ok') return loaded;
      const { state } = loaded.flow;
      const data = definition.data.safeParse(loaded.flow.data);
      if (!isState(state) || !data.success) {
        req.log.warn({ kind: definition.kind }, 'flow row does not match its definition');
        return { status: 'missing' };
      }
      if (allowed && !allowed.includes(state)) return { status: 'elsewhere', state, page: definition.pageOf?.[state] };
      return { status: 'ok', flow: { ...loaded.flow, state, data: data.data } };
    },
    async loadOr(req, reply, allowed, onMissing) {
      const loaded = await self.load(req, allowed);
      if (loaded.status === 'ok') return loaded.flow;
      if (loaded.status === 'elsewhere') {
        if (loaded.page) await reply.redirect(`${loaded.page}?avviso=passo`, 303);
        else await onMissing('missing');
        return undefined;
      }
      await onMissing(loaded.status);
      return undefined;
    },
    save: (flow, within) => store.save(flow, within),
    advance: (flow, to) => store.advance(flow, to),
    clear(reply) {
      reply.clearCookie(definition.cookie, { path: definition.cookiePath });
    },
  };
  return self;
}
