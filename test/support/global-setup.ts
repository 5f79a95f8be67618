import type { TestProject } from 'vitest/node';
import { buildIfStale } from '../../scripts/build.mjs';
import { startPgCluster } from '../../scripts/pg-cluster.js';

/**
 * Builds dist/ if a source changed since the last build (the tests spawn `varco` as production
 * runs it, compiled: bin/varco.js), once before the suite. Then starts a throwaway PostgreSQL
 * cluster on 127.0.0.1 for the whole run (real PostgreSQL, not a mock); every test file makes its
 * own database in it. Stopped and deleted at the end.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  buildIfStale();
  const cluster = await startPgCluster({ settings: ['-c fsync=off'] });
  process.env.VARCO_TEST_PG_URL = cluster.url;
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
