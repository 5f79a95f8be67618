import { backofficeModule } from '../backoffice/module.js';
import { catalogModule } from '../catalog/module.js';
import { cnsModule } from '../cns/module.js';
import { registerMigrations } from '../db/migrate.js';
import { devModule } from '../dev/module.js';
import { federationModule } from '../federation/module.js';
import { accessoModule } from '../flows/accesso/module.js';
import { certificatiModule } from '../flows/certificati/module.js';
import { conversioneModule } from '../flows/conversione/module.js';
import { documentiModule } from '../flows/documenti/module.js';
import { homeModule } from '../flows/home/module.js';
import { indennitaModule } from '../flows/indennita/module.js';
import { nonSonoStatoIoModule } from '../flows/non-sono-stato-io/module.js';
import { profiloModule } from '../flows/profilo/module.js';
import { recapitiModule } from '../flows/recapiti/module.js';
import { revocaModule } from '../flows/revoca/module.js';
import { richiestaModule } from '../flows/richiesta/module.js';
import { ripristinoModule } from '../flows/ripristino/module.js';
import { registerMessages } from '../i18n/index.js';
import { registerTemplates } from '../outbox/templates.js';
import { cambioPinModule } from '../flows/cambio-pin/module.js';
import { oidcModule } from '../oidc/module.js';
import type { VarcoModule } from '../ui/module.js';

/**
 * The portal's modules, in the order they are registered (a module after those it depends on).
 * Adding a flow adds one line here (docs/architecture.md).
 */
export const MODULES: readonly VarcoModule[] = [
  oidcModule,
  federationModule,
  cnsModule,
  homeModule,
  richiestaModule,
  accessoModule,
  cambioPinModule,
  profiloModule,
  ripristinoModule,
  revocaModule,
  recapitiModule,
  nonSonoStatoIoModule,
  conversioneModule,
  documentiModule,
  certificatiModule,
  indennitaModule,
  backofficeModule,
  catalogModule,
  devModule,
];

/**
 * What every process needs of the modules before it serves, sends or migrates: their texts and
 * their outbox templates and their migrations. Idempotent (the portal, the worker, the CLI and the tests all call it).
 */
export function installModules(modules: readonly VarcoModule[] = MODULES): void {
  for (const m of modules) {
    if (installed.has(m)) continue;
    if (m.messages) registerMessages(m.messages);
    if (m.templates) registerTemplates(m.templates);
    if (m.migrations) registerMigrations(m.name, m.migrations);
    installed.add(m);
  }
}

const installed = new WeakSet<VarcoModule>();
