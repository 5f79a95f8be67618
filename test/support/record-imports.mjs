// `node --import ./test/support/record-imports.mjs …` (test/build.test.ts): every module URL the
// process resolves through Node's ES module loader is appended, one a line, to $VARCO_RECORD_IMPORTS.
import { register } from 'node:module';

const file = process.env.VARCO_RECORD_IMPORTS;
if (!file) throw new Error('record-imports.mjs: set VARCO_RECORD_IMPORTS to the file to write');
const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(file)}, resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
