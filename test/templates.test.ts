import { describe, expect, it } from 'vitest';
import { processingMessage } from './support/outbox.js';
import { renderMessage } from '../src/outbox/render.js';
import { mail, registerTemplates, templateFor } from '../src/outbox/templates.js';
import { templates as accesso } from '../src/flows/accesso/templates.js';
import { templates as certificati } from '../src/flows/certificati/templates.js';
import { templates as conversione } from '../src/flows/conversione/templates.js';
import { templates as indennita } from '../src/flows/indennita/templates.js';
import { templates as recapiti } from '../src/flows/recapiti/templates.js';
import { templates as revoca } from '../src/flows/revoca/templates.js';
import { templates as richiesta } from '../src/flows/richiesta/templates.js';
import { templates as ripristino } from '../src/flows/ripristino/templates.js';
import type { TemplateKey } from '../src/outbox/outbox.js';
import type { TemplateRenderer } from '../src/outbox/templates.js';
import { installModules, MODULES } from '../src/server/modules.js';

// Every key a module declares in OutboxTemplates has a renderer: a key declared and not rendered does not compile.
const everyKey = { ...accesso, ...certificati, ...conversione, ...indennita, ...recapiti, ...revoca, ...richiesta, ...ripristino } satisfies Record<
  TemplateKey,
  TemplateRenderer
>;

const message = (template: string) =>
  processingMessage({
    id: '00000000-0000-4000-8000-000000000002',
    channel: 'email',
    template,
    locale: 'it',
    recipient: 'x@example.org',
    params: { nome: 'ANNA', cognome: 'ROSSI' },
  });

describe('outbox templates: a registry the modules fill', () => {
  it('every module registered its templates once (installModules is idempotent)', () => {
    installModules();
    installModules();
    for (const key of Object.keys(everyKey)) expect(templateFor(key), key).toBeTypeOf('function');
    expect(MODULES.flatMap((m) => Object.keys(m.templates ?? {})).sort()).toEqual(Object.keys(everyKey).sort());
    expect(templateFor('revoca.link')).toBeTypeOf('function');
    expect(templateFor('pin.secondHalf')).toBeTypeOf('function');
  });

  it('a key registered twice is refused, and nothing of that call is registered', () => {
    expect(() => registerTemplates({ 'revoca.link': ({ message: m }) => mail(m, 's', 't') })).toThrow('template revoca.link registered twice');
  });

  it('an unknown template is an error, as before', async () => {
    await expect(renderMessage(message('nope.unknown'), undefined, { istituto: 'INPS' })).rejects.toThrow('unknown template nope.unknown');
  });

  it('renders with the registered template', async () => {
    const rendered = await renderMessage(message('revoca.completed'), undefined, { istituto: 'INPS' });
    expect(rendered).toMatchObject({ id: '00000000-0000-4000-8000-000000000002', channel: 'email', recipient: 'x@example.org' });
    expect(rendered.text).toContain('ANNA ROSSI');
  });
});
