// The worker thread's entry: it loads the TypeScript thread through tsx, as bin/varco.js does for
// the CLI, however the main thread was started (npm start, bin/varco.js, the tests).
import { register } from 'tsx/esm/api';

register();
await import('./sanitize-thread.ts');
