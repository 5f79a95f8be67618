// The worker thread's entry when Varco runs from its TypeScript sources (the tests, through vitest):
// it loads the TypeScript thread through tsx. The compiled build (dist/) starts sanitize-thread.js.
import { register } from 'tsx/esm/api';

register();
await import('./sanitize-thread.ts');
