import { templates as accesso } from '../flows/accesso/templates.js';
import { templates as certificati } from '../flows/certificati/templates.js';
import { templates as conversione } from '../flows/conversione/templates.js';
import { templates as indennita } from '../flows/indennita/templates.js';
import { templates as recapiti } from '../flows/recapiti/templates.js';
import { templates as revoca } from '../flows/revoca/templates.js';
import { templates as richiesta } from '../flows/richiesta/templates.js';
import { templates as ripristino } from '../flows/ripristino/templates.js';
import type { TemplateKey } from '../outbox/outbox.js';
import { registerTemplates, type TemplateRenderer, type Templates } from '../outbox/templates.js';

/** The outbox templates of every module, one set per module. */
const MODULES: Templates[] = [accesso, certificati, conversione, indennita, recapiti, revoca, richiesta, ripristino];

// Every key a module declares in OutboxTemplates has a renderer here: a key declared and not registered does not compile.
const _everyKey = { ...accesso, ...certificati, ...conversione, ...indennita, ...recapiti, ...revoca, ...richiesta, ...ripristino } satisfies Record<TemplateKey, TemplateRenderer>;

let installed = false;

/** Registers every module's outbox templates, once (the portal, the worker and the tests call it). */
export function installTemplates(): void {
  if (installed) return;
  for (const templates of MODULES) registerTemplates(templates);
  installed = true;
}
