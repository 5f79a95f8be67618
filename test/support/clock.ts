import type { PinHasher } from '../../src/security/hasher.js';
import { type TestApp, useTestApp } from './app.js';
import type { Engine } from './db.js';

/** What the app under test takes for the current time; a test moves it by setting `now`. */
export interface TestClock {
  now: Date;
}

/** useTestApp (with `env` and `hasher`) whose clock stands at `start` until the test moves it. */
export function useTestAppAt(engine: Engine, start: string, env: Record<string, string>, hasher: PinHasher): { t: TestApp; clock: TestClock } {
  const clock = { now: new Date(start) };
  return { t: useTestApp(engine, env, { now: () => clock.now, hasher }), clock };
}
