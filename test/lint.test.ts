import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The rules ESLint reports on a made-up source at `file` (linted with the project's configuration). */
async function rulesHit(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the linter and the formatter hold the structure (docs/architecture.md)', () => {
  it('a platform module importing a flow is refused', async () => {
    expect(
      await rulesHit('src/outbox/example.ts', "import { renderCertificatePdf } from '../flows/certificati/pdf.js';\nexport const r = renderCertificatePdf;\n"),
    ).toContain('no-restricted-imports');
    expect(await rulesHit('src/ui/example.ts', "import { x } from '../backoffice/routes.js';\nexport const y = x;\n")).toContain('no-restricted-imports');
    expect(await rulesHit('src/flows/revoca/example.ts', "import { x } from '../../server/app.js';\nexport const y = x;\n")).toContain('no-restricted-imports');
  });

  it('a flow importing the toolkit and another flow is allowed', async () => {
    expect(
      await rulesHit(
        'src/flows/revoca/example.ts',
        "import { html } from '../../ui/html.js';\nimport { x } from '../richiesta/service.js';\nexport const y = [html, x];\n",
      ),
    ).toEqual([]);
  });

  it('a non-null assertion on the session and a cast of request data are refused', async () => {
    const code = `import type { FastifyRequest } from 'fastify';
export function level(req: FastifyRequest): string {
  return req.session!.level;
}
export function id(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}
`;
    const hits = await rulesHit('src/flows/revoca/example.ts', code);
    expect(hits).toContain('@typescript-eslint/no-non-null-assertion');
    expect(hits).toContain('no-restricted-syntax');
  });

  it('an object literal asserted to a type is refused', async () => {
    expect(await rulesHit('src/flows/revoca/example.ts', 'interface A { a: string }\nexport const a = {} as A;\n')).toContain(
      '@typescript-eslint/consistent-type-assertions',
    );
  });

  it('Prettier refuses a source that is not formatted as the project formats it', async () => {
    const options = { ...(await prettier.resolveConfig(path.join(ROOT, 'src/x.ts'))), filepath: path.join(ROOT, 'src/x.ts') };
    expect(await prettier.check('export const a = {b:1,c:"x"}\n', options)).toBe(false);
    expect(await prettier.check(await prettier.format('export const a = {b:1,c:"x"}\n', options), options)).toBe(true);
  });
});
