import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Level } from '../db/schema.js';
import type { MessageKey } from '../i18n/index.js';

/**
 * R19: what the catalog knows of a service or an information page. Texts are message keys
 * `svc.<id>.title|summary|who|how` in every catalog; `level` is what the service needs (R18),
 * 'public' for what anyone may use without logging in.
 */
export interface ServiceDefinition {
  id: string;
  kind: 'servizio' | 'pagina';
  level: Level | 'public';
  /** Where "Accedi al servizio" leads. */
  entry: string;
  /** Extra words a citizen may type (in any language), e.g. old names of the service. */
  keywords?: string[];
  /** R6: opened on purpose to PIN semplificato; the scheda explains what the first 8 characters allow. */
  opensToSemplificato?: boolean;
}

export const titleKey = (s: ServiceDefinition) => `svc.${s.id}.title` as MessageKey;
export const summaryKey = (s: ServiceDefinition) => `svc.${s.id}.summary` as MessageKey;
export const whoKey = (s: ServiceDefinition) => `svc.${s.id}.who` as MessageKey;
export const howKey = (s: ServiceDefinition) => `svc.${s.id}.how` as MessageKey;

/** What a flow's `catalog.ts` exports, checked when it is read (a typo in a level is an error at start, not a page). */
const catalogModule = z.object({
  services: z
    .array(
      z.object({
        id: z.string(),
        kind: z.enum(['servizio', 'pagina']),
        level: z.enum(['semplificato', 'ordinario', 'dispositivo', 'public']),
        entry: z.string(),
        keywords: z.array(z.string()).optional(),
        opensToSemplificato: z.boolean().optional(),
      }) satisfies z.ZodType<ServiceDefinition>,
    )
    .optional(),
});

let catalog: ServiceDefinition[] | undefined;

/**
 * Each service module registers itself: every `catalog.ts` in a flow's folder exports
 * `services`, found here by reading the folders — adding a service touches no shared list.
 */
export async function loadCatalog(): Promise<ServiceDefinition[]> {
  if (catalog) return catalog;
  const flows = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'flows');
  const found: ServiceDefinition[] = [];
  for (const dir of readdirSync(flows, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const file = readdirSync(path.join(flows, dir)).find((f) => /^catalog\.(ts|js)$/.test(f));
    if (!file) continue;
    const mod = catalogModule.parse(await import(path.join(flows, dir, file)));
    found.push(...(mod.services ?? []));
  }
  catalog = found;
  return catalog;
}
