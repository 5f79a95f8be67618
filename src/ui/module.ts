import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Migration } from 'kysely';
import type { ModuleMessages } from '../i18n/index.js';
import type { Templates } from '../outbox/templates.js';
import type { AppDeps } from './deps.js';

/**
 * What a flow (or the back office, the OpenID Provider, SPID/CIE…) brings to the portal, all from
 * its own folder (docs/architecture.md, "The module contract"). The composition root
 * (src/server/modules.ts) lists the modules; nothing else names them.
 */
export interface ModuleDefinition {
  /** Unique, and the name of its Fastify plugin. */
  name: string;
  /** Modules whose routes or services this one needs registered first (checked by Fastify at start). */
  dependencies?: readonly string[];
  /** Its texts in it, de, en (messages.ts). */
  messages?: ModuleMessages;
  /** The outbox messages it sends: a renderer per template key (templates.ts). */
  templates?: Templates;
  /** Migrations it owns, by name (`YYYYMMDD_NNNN_what`): run after the platform's, in name order. */
  migrations?: Readonly<Record<string, Migration>>;
  /** The audit events it records (the names of src/audit/events.ts). */
  auditEvents?: readonly string[];
  /** Its routes. */
  routes?: ModuleRoutes;
}

export interface VarcoModule extends Readonly<Omit<ModuleDefinition, 'routes'>> {
  /**
   * The registration: a Fastify plugin named after the module with its declared dependencies. It
   * is not encapsulated (fastify-plugin), so the portal's hooks (page context, CSRF, headers) and
   * its error pages apply to the module's routes as to every other.
   */
  readonly plugin: FastifyPluginAsync<{ deps: AppDeps }>;
}

/** A module's routes function. */
export type ModuleRoutes = (app: FastifyInstance, deps: AppDeps) => void | Promise<void>;

/**
 * The routes of a module, loaded when the portal starts (`lazyRoutes(() => import('./routes.js'), 'revocaRoutes')`):
 * the worker, the CLI and the tests that only need a module's texts do not load its pages.
 */
export function lazyRoutes<K extends string>(load: () => Promise<{ [P in K]: ModuleRoutes }>, name: K): ModuleRoutes {
  return async (app, deps) => {
    const loaded = await load();
    await loaded[name](app, deps);
  };
}

export function defineModule(definition: ModuleDefinition): VarcoModule {
  const { routes, ...rest } = definition;
  const register: FastifyPluginAsync<{ deps: AppDeps }> = async (app, opts) => {
    if (routes) await routes(app, opts.deps);
  };
  const plugin = fp(register, { name: definition.name, dependencies: [...(definition.dependencies ?? [])], fastify: '5.x' });
  return { ...rest, plugin };
}
