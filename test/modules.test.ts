import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerMigrations } from '../src/db/migrate.js';
import { catalogOf, type MessageKey, registerMessages, translator } from '../src/i18n/index.js';
import { MODULES } from '../src/server/modules.js';
import { defineModule } from '../src/ui/module.js';

const SRC = path.resolve(import.meta.dirname, '..', 'src');

describe('the module contract (docs/architecture.md)', () => {
  it('every flow folder with routes is a module, and the module list holds each once', () => {
    const flows = readdirSync(path.join(SRC, 'flows'), { withFileTypes: true }).filter(
      (d) => d.isDirectory() && existsSync(path.join(SRC, 'flows', d.name, 'routes.ts')),
    );
    for (const d of flows) expect(existsSync(path.join(SRC, 'flows', d.name, 'module.ts')), d.name).toBe(true);
    const names = MODULES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of flows) expect(names, d.name).toContain(d.name);
  });

  it('a module comes after the modules it depends on', () => {
    MODULES.forEach((m, i) => {
      for (const dep of m.dependencies ?? [])
        expect(
          MODULES.slice(0, i).map((x) => x.name),
          `${m.name} needs ${dep}`,
        ).toContain(dep);
    });
  });

  it('Fastify refuses a module registered without a module it depends on', async () => {
    const app = Fastify({ logger: false });
    const lonely = defineModule({ name: 'needs-oidc', dependencies: ['oidc'], routes: () => undefined });
    await expect(app.register(lonely.plugin, { deps: Object.create(null) }).ready()).rejects.toThrow(/oidc/);
  });

  it("every module's texts are registered, and a key defined twice or missing in a language is refused", () => {
    for (const m of MODULES) for (const key of Object.keys(m.messages?.it ?? {})) expect(catalogOf('de')[key], key).toBeTypeOf('string');
    expect(() => registerMessages({ it: { 'layout.skip': 'x' }, de: { 'layout.skip': 'x' }, en: { 'layout.skip': 'x' } })).toThrow(
      /defined twice: layout.skip/,
    );
    expect(() => registerMessages({ it: { 'nuovo.a': 'x', 'nuovo.b': 'y' }, de: { 'nuovo.a': 'x' }, en: { 'nuovo.a': 'x', 'nuovo.b': 'y' } })).toThrow(
      /de differ/,
    );
    expect(catalogOf('it')['nuovo.a']).toBeUndefined();
  });

  it('a text no module registered is an error, not a silent key on the page', () => {
    expect(() => translator('it')('nessuno.registrato' as MessageKey)).toThrow(/no text for "nessuno.registrato"/);
  });

  it("a module's migration may not take a platform migration's name", () => {
    expect(() => registerMigrations('intruso', { '20261124_0001_foundation': { up: async () => undefined } })).toThrow(/already defined by the platform/);
  });
});
