import http from 'node:http';
import { computeCf } from '../src/domain/codice-fiscale/index.js';

/** Helpers shared by the benches: progress bar, a bounded pool, percentiles, a cookie-keeping client, citizens. Also processes.ts, databases.ts, report.ts. */
export function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>, label: string): Promise<number> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
        done++;
        if (done % 20 === 0 || done === items.length) progress(label, done, items.length);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** One answer, read whole. */
export interface Answer {
  status: number;
  location: string | null;
  setCookies: string[];
  body: string;
  cacheControl: string | null;
}

/**
 * The load generator's HTTP: node:http over kept-alive connections, the cheapest client Node
 * has — it shares the two cores with what it measures, so every millisecond it spends is taken
 * from the server. It speaks as the TLS proxy in front of the portal does (F10): the public
 * address is https://…, the listener on the loopback is plain HTTP, and every request says
 * `X-Forwarded-Proto: https` from an address in VARCO_TRUSTED_PROXIES.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function request(base: string, method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const viaProxy = { 'x-forwarded-proto': 'https', ...headers };
    const h =
      body === undefined ? viaProxy : { ...viaProxy, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request(base + url, { method, agent, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location ?? null,
          setCookies: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
          cacheControl: (res.headers['cache-control'] as string | undefined) ?? null,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A citizen's browser: keeps cookies and the last page's CSRF token, behind a trusted proxy (X-Forwarded-For). */
export class Browser {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private readonly base: string,
    private readonly ip: string,
  ) {}
  private async send(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Answer> {
    const res = await request(
      this.base,
      method,
      url,
      { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': this.ip },
      form ? new URLSearchParams({ ...form, _csrf: this.csrf }).toString() : undefined,
    );
    for (const c of res.setCookies) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      this.cookies.set(k!, v!);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }
  get = (url: string) => this.send('GET', url);
  /** Posts a form, expects a 303 to `expect`, and follows it like a browser unless told not to. */
  async post(url: string, form: Record<string, string>, expect: string, follow = true): Promise<void> {
    const res = await this.send('POST', url, form);
    if (res.status !== 303 || res.location !== expect) throw new Error(`${url}: ${res.status} ${res.location}`);
    if (follow) await this.get(res.location);
  }
}

/** Distinct, coherent citizens: names × birth dates × comuni of birth. */
export function citizens(n: number) {
  const surnames = ['ROSSI', 'FERRARI', 'ESPOSITO', 'BIANCHI', 'ROMANO', 'COLOMBO', 'RICCI', 'MARINO', 'GRECO', 'BRUNO', 'GALLO', 'CONTI'];
  const names = [
    ['MARIO', 'M'],
    ['GIULIA', 'F'],
    ['LUCA', 'M'],
    ['FRANCESCA', 'F'],
    ['MARCO', 'M'],
    ['CHIARA', 'F'],
  ] as const;
  const births = [
    ['PI', 'G702'],
    ['MI', 'F205'],
    ['RM', 'H501'],
    ['NA', 'F839'],
    ['TO', 'L219'],
  ] as const;
  return Array.from({ length: n }, (_, i) => {
    const cognome = surnames[i % surnames.length]!;
    const [nome, sesso] = names[Math.floor(i / surnames.length) % names.length]!;
    const [prov, belfiore] = births[i % births.length]!;
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    const year = 1940 + (Math.floor(i / 336) % 60);
    const cf = computeCf({ cognome, nome, dataNascita: new Date(Date.UTC(year, month - 1, day)), sesso, belfioreNascita: belfiore });
    return {
      cf,
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      form: {
        cognome,
        nome,
        sesso,
        dataNascita: `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`,
        provinciaNascita: prov,
        comuneNascita: belfiore,
        indirizzo: 'Via Roma',
        numeroCivico: String(1 + (i % 200)),
        provinciaResidenza: 'PI',
        comuneResidenza: 'G702',
        cap: '56125',
        cellulare: `+39333${String(1_000_000 + i).slice(-7)}`,
        email: `citizen${i}@example.org`,
        telefonoPreferenziale: 'cellulare',
        orarioPreferenziale: 'any',
        azione: 'avanti',
      },
    };
  });
}

/** The production defaults unless VARCO_ARGON2_* say otherwise (the server reads the same variables). */
export const ARGON2 = {
  memoryCost: Number(process.env.VARCO_ARGON2_MEMORY_KIB ?? 19_456),
  timeCost: Number(process.env.VARCO_ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.VARCO_ARGON2_PARALLELISM ?? 1),
  algorithm: 2 as const,
};
