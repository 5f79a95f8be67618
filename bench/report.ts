/** What the benches measure and print: timings, CPU and RSS of processes, the machine, result tables. */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { percentile, pool } from './support.js';

/** CPU seconds (user + system) used so far by a process, or by every process with that command name. */
export function cpuSeconds(match: { pid?: number; comm?: string }): number {
  const tick = 100;
  const pids = match.pid ? [String(match.pid)] : readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = /\((.*)\)/.exec(stat)?.[1];
      if (match.comm && comm !== match.comm) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

export function rssPeakKib(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Prints the bench's title and the machine it runs on; the machine's CPUs. */
export function printMachine(bench: string): os.CpuInfo[] {
  const cpus = os.cpus();
  console.log(`# bench:${bench} — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  return cpus;
}

/** Prints the head of a Markdown table of results, after a blank line. */
export function printTableHead(columns: string[]): void {
  console.log('');
  console.log(`| ${columns.join(' | ')} |`);
  console.log(`|${'---|'.repeat(columns.length)}`);
}

/** Prints a row of a Markdown table of results. */
export function printRow(cells: (string | number)[]): void {
  console.log(`| ${cells.join(' | ')} |`);
}

/** A timed pool's runs: wall-clock seconds, how many calls, and each call's latency (ms). */
export class Timings {
  seconds = 0;
  count = 0;
  private readonly latencies: number[] = [];

  /** Runs `fn` over `items` in a pool of `concurrency` (see `pool`), timing each call; adds to the totals. */
  async run<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>, label: string): Promise<this> {
    this.seconds += await pool(
      items,
      concurrency,
      async (item, i) => {
        const started = performance.now();
        await fn(item, i);
        this.latencies.push(performance.now() - started);
      },
      label,
    );
    this.count += items.length;
    return this;
  }

  /** Calls per second. */
  get rate(): number {
    return this.count / this.seconds;
  }

  /** The p-th percentile of the latencies, in ms. */
  percentile(p: number): number {
    this.latencies.sort((a, b) => a - b);
    return percentile(this.latencies, p);
  }

  /** "p50 / p99 ms", rounded to the millisecond. */
  get p50p99(): string {
    return `${this.percentile(50).toFixed(0)} / ${this.percentile(99).toFixed(0)} ms`;
  }
}

/** CPU seconds used so far by the portal processes, the worker processes, every PostgreSQL process and this load generator. */
export interface CpuSample {
  portal: number;
  worker: number;
  postgres: number;
  client: number;
}

export function cpuSample(pids: { portal: number[]; worker?: number[] }): CpuSample {
  const sum = (list: number[]) => list.reduce((a, pid) => a + cpuSeconds({ pid }), 0);
  const own = process.cpuUsage();
  return { portal: sum(pids.portal), worker: sum(pids.worker ?? []), postgres: cpuSeconds({ comm: 'postgres' }), client: (own.user + own.system) / 1e6 };
}

/** The CPU milliseconds per request between two samples. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample {
  const per = (k: keyof CpuSample) => ((after[k] - before[k]) * 1000) / requests;
  return { portal: per('portal'), worker: per('worker'), postgres: per('postgres'), client: per('client') };
}

/** The peak RSS of each process, "N MiB + M MiB". */
export function rssMiB(pids: (number | undefined)[]): string {
  return pids.map((pid) => `${(rssPeakKib(pid) / 1024).toFixed(0)} MiB`).join(' + ');
}
