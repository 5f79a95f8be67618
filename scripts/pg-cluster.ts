import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 (initdb + pg_ctl), for the tests and the benchmarks.
 * As root the server runs as the `postgres` user, which initdb requires.
 */
export interface PgCluster {
  url: string;
  /** The same server through its Unix socket (for processes on this machine). */
  socketUrl: string;
  /** `pg_ctl restart -m fast`: every connection is ended, as a failover or an upgrade does. */
  restart(): void;
  /** The server stopped (`-m fast`), its data kept: `up()` starts it again. */
  down(): void;
  up(): void;
  stop(): void;
}

export function findPgBin(): string {
  const dirs = [process.env.VARCO_TEST_PG_BIN, '/usr/lib/postgresql/15/bin', '/usr/local/bin', '/usr/bin'].filter((d): d is string => !!d);
  const dir = dirs.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl')));
  if (!dir) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: `npm test` installs them (apt-get install postgresql-15)');
  return dir;
}

export async function startPgCluster(opts: { settings?: string[] } = {}): Promise<PgCluster> {
  const bin = findPgBin();
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
  const settings = ['-c listen_addresses=127.0.0.1', `-k ${dir}`, '-c max_connections=200', ...(opts.settings ?? [])];
  const options = ['-l', path.join(dir, 'server.log'), '-o', `-p ${port} ${settings.join(' ')}`];
  run('pg_ctl', ['-D', data, ...options, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketUrl: `postgres://postgres@localhost:${port}/postgres?host=${encodeURIComponent(dir)}`,
    restart() {
      run('pg_ctl', ['-D', data, ...options, '-m', 'fast', '-w', 'restart']);
    },
    down() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    up() {
      run('pg_ctl', ['-D', data, ...options, '-w', 'start']);
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
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
