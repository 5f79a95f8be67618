import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the whole run (real PostgreSQL, not a
 * mock); every test file makes its own database in it. Stopped and deleted at the end.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const bin = process.env.VARCO_TEST_PG_BIN ?? findPgBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'varco-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = path.join(bin, cmd);
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' }) : spawnSync(full, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=200 -c fsync=off`, '-w', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  process.env.VARCO_TEST_PG_URL = url;
  project.provide('pgUrl', url);
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function findPgBin(): string {
  for (const d of ['/usr/lib/postgresql/15/bin', '/usr/local/bin', '/usr/bin']) {
    const r = spawnSync('test', ['-x', path.join(d, 'initdb')]);
    if (r.status === 0) return d;
  }
  throw new Error('PostgreSQL binaries not found: run `npm test`, which installs them');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
