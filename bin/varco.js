#!/usr/bin/env node
// Runs the compiled CLI, dist/cli.js, with plain node: no TypeScript loader at runtime. dist/ is
// built by `npm ci` (prepare) and `npm run build`; `npm start` rebuilds it when a source changed.
import { existsSync } from 'node:fs';
import { staleness } from '../scripts/build.mjs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('varco: dist/ is not built: run `npm run build` (npm ci does it).');
  process.exit(1);
}
const stale = staleness();
if (stale) console.error(`varco: note: ${stale}: this runs the previous build (\`npm run build\` updates it).`);
await import(cli.href);
