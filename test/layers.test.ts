import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, LAYERS, layerOf, readSources } from './support/layers.js';

const SRC = path.resolve(import.meta.dirname, '..', 'src');

describe('layers (docs/architecture.md)', () => {
  it('no file of src/ imports a higher layer, and every file belongs to one', () => {
    const { violations, unlayered } = checkLayers(readSources(SRC));
    expect(unlayered).toEqual([]);
    expect(violations.map((v) => `${v.file} (${v.fromLayer}) imports ${v.imports} (${v.toLayer})`)).toEqual([]);
  });

  it('the check fails on an import from a lower layer to a higher one', () => {
    const files = new Map([
      ['outbox/render.ts', "import { renderCertificatePdf } from '../flows/certificati/pdf.js';\n"],
      ['ui/forms.ts', "import type { X } from '../backoffice/views.js';\nimport './x.js';\n"],
      ['domain/iban.ts', "const m = await import('../db/database.js');\n"],
      ['sessions/store.ts', "export { a } from '../server/app.js';\n"],
      ['flows/revoca/routes.ts', "import { html } from '../../ui/html.js';\nimport { x } from '../richiesta/service.js';\n"],
      ['stray.ts', ''],
    ]);
    const { violations, unlayered } = checkLayers(files);
    expect(violations.map((v) => [v.file, v.imports])).toEqual([
      ['outbox/render.ts', 'flows/certificati/pdf.ts'],
      ['ui/forms.ts', 'backoffice/views.ts'],
      ['domain/iban.ts', 'db/database.ts'],
      ['sessions/store.ts', 'server/app.ts'],
    ]);
    expect(unlayered).toEqual(['stray.ts']);
  });

  it('names the layers lowest first', () => {
    expect(LAYERS.map((l) => l.name)).toEqual(['domain', 'platform', 'ui', 'features', 'backoffice', 'server']);
    expect(layerOf('cli.ts')).toBe(5);
    expect(layerOf('config/config.ts')).toBe(1);
  });
});
