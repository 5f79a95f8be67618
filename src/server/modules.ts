import { backoffice } from '../backoffice/module.js';
import { catalog } from '../catalog/module.js';
import { cns } from '../cns/module.js';
import { registerMigrations } from '../db/migrate.js';
import { dev } from '../dev/module.js';
import { federation } from '../federation/module.js';
import { accesso } from '../flows/accesso/module.js';
import { certificati } from '../flows/certificati/module.js';
import { conversione } from '../flows/conversione/module.js';
import { documenti } from '../flows/documenti/module.js';
import { home } from '../flows/home/module.js';
import { indennita } from '../flows/indennita/module.js';
import { nonSonoStatoIo } from '../flows/non-sono-stato-io/module.js';
import { profilo } from '../flows/profilo/module.js';
import { recapiti } from '../flows/recapiti/module.js';
import { revoca } from '../flows/revoca/module.js';
import { richiesta } from '../flows/richiesta/module.js';
import { ripristino } from '../flows/ripristino/module.js';
import { registerMessages } from '../i18n/index.js';
import { registerTemplates } from '../outbox/templates.js';
import { cambioPin } from '../flows/cambio-pin/module.js';
import { oidc } from '../oidc/module.js';
import type { VarcoModule } from '../ui/module.js';

/**
 * The portal's modules, in the order they are registered (a module after those it depends on).
 * Adding a flow adds one line here (docs/architecture.md).
 */
export const MODULES: readonly VarcoModule[] = [
  oidc,
  federation,
  cns,
  home,
  richiesta,
  accesso,
  cambioPin,
  profilo,
  ripristino,
  revoca,
  recapiti,
  nonSonoStatoIo,
  conversione,
  documenti,
  certificati,
  indennita,
  backoffice,
  catalog,
  dev,
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
