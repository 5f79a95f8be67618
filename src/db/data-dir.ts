import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * The data folder (VARCO_DATA_DIR) holds the embedded database, the secret key of development,
 * letters, uploaded files and the audit head: readable by Varco's own user only (F11), and its
 * PGlite folder opened by one process at a time.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and its parents) private, and takes group and other rights away if it exists. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Takes group and other rights from every file and folder under `dir` (a PGlite folder created
 * world-readable before F11). Symbolic links are left alone.
 */
export function tightenTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const { mode } = lstatSync(p);
    if ((mode & 0o077) !== 0) chmodSync(p, mode & 0o700);
    if (entry.isDirectory()) tightenTree(p);
  }
}

/** The process that holds the embedded database, as written in its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the process started. */
  startedAt: string;
  /** The kernel's start time of the process (/proc/<pid>/stat), so a reused pid is not taken for the holder. */
  procStart: string | undefined;
  command: string;
}

export class EmbeddedDatabaseBusy extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.host === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
    super(
      `The embedded database in ${dir} is in use by ${where} (${holder.command}, started ${holder.startedAt}).\n` +
        'Only one process opens it: stop the portal, or use PostgreSQL (DATABASE_URL) to run commands beside it.',
    );
  }
}

export interface DataDirLock {
  release(): void;
}

const LOCK_FILE = 'pglite.lock';
/** A lock file still empty after this long was left by a process that died while writing it. */
const EMPTY_LOCK_STALE_MS = 5_000;
/** The take-over guard is held for a few system calls; one older than this was left by a crash. */
const GUARD_STALE_MS = 10_000;

/**
 * Makes this process the one owner of the embedded database in `dataDir`: a lock file created
 * with O_EXCL holding pid, host and start time. A lock whose process is gone (killed, crashed)
 * is taken over; a live holder makes this throw EmbeddedDatabaseBusy, before anything is written.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    procStart: procStartOf(process.pid),
    command: [path.basename(process.argv[1] ?? 'node'), ...process.argv.slice(2)].join(' '),
  };
  const mine = JSON.stringify(me);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createExclusive(file, mine)) return held(file, mine);
    const raw = readOrUndefined(file);
    if (raw === undefined) continue; // released in between
    const holder = parseHolder(raw);
    if (!holder) {
      if (ageMs(file) < EMPTY_LOCK_STALE_MS) {
        await sleep(50);
        continue;
      }
    } else if (isAlive(holder)) {
      throw new EmbeddedDatabaseBusy(dataDir, holder);
    }
    if (!removeStale(file, raw)) await sleep(50);
  }
  const holder = parseHolder(readOrUndefined(file) ?? '');
  if (holder) throw new EmbeddedDatabaseBusy(dataDir, holder);
  throw new Error(`Could not take the lock ${file}`);
}

function held(file: string, mine: string): DataDirLock {
  const release = () => {
    process.removeListener('exit', release);
    if (readOrUndefined(file) === mine) unlinkQuiet(file);
  };
  process.once('exit', release);
  return { release };
}

function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock, unless another process replaced it meanwhile: removals go one at a time
 * behind a guard file (O_EXCL too), and the lock is removed only if it still holds what was
 * judged stale.
 */
function removeStale(file: string, staleContent: string): boolean {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, String(process.pid))) {
    if (ageMs(guard) > GUARD_STALE_MS) unlinkQuiet(guard);
    return false;
  }
  try {
    if (readOrUndefined(file) === staleContent) unlinkQuiet(file);
  } finally {
    unlinkQuiet(guard);
  }
  return true;
}

function isAlive(holder: LockHolder): boolean {
  // Another machine's processes cannot be checked from here (a shared folder): assume alive.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = procStartOf(holder.pid);
  return !(holder.procStart && now && now !== holder.procStart);
}

/** Field 22 of /proc/<pid>/stat (start time since boot, in clock ticks); undefined off Linux. */
function procStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const h = JSON.parse(raw) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
