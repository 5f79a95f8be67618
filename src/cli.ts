import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { audit } from './audit/events.js';
import type { Config } from './config/config.js';
import { EmbeddedDatabaseBusy } from './db/data-dir.js';
import type { OperatorRole } from './db/schema.js';
import type { CsvProgress, Rejected } from './domain/csv.js';
import type { KeyUse } from './oidc/keys.js';
import type { Runtime } from './server/runtime.js';

// Issue 16: every command loads what it uses when it runs (`import()`), so `varco --help` loads
// neither the server, nor the database, nor the hasher or the OpenID Provider. The modules above
// are light: Node's own, types, and the audit functions (plain data).

const KEY_NAMES: Record<KeyUse, string> = {
  op: 'ID token signing key',
  rp: 'relying-party signing key',
  federation: 'federation key (entity configuration)',
  'rp-enc': 'relying-party encryption key (userinfo)',
};

const USAGE = `Usage: varco <command>
  serve                      start the portal (and the outbox worker unless VARCO_WORKER_IN_PROCESS=false)
  worker                     deliver the outbox (SMS, email, PEC; letters in mailbox mode)
  migrate                    apply database migrations
  keys rotate --use USE      a new key for USE: op (ID tokens), rp (Varco's requests to SPID/CIE), federation (its
                             entity configuration), rp-enc (userinfo encrypted to Varco); the old one stays published
                             for a day; restart the portal processes afterwards
  letters                    gather queued postal letters into a print batch (PDF + CSV manifest)
  letters --confirm BATCH    the printer's receipt: erase the batch PDF holding the PINs
  letters --purge            erase unconfirmed batches older than VARCO_LETTER_RETENTION_DAYS
  operator add USER --role R --name "N"   create a back-office operator (roles: contact-center, sede, supervisore); prints the password and the TOTP secret once
  client add ID --name "N" --scope S [--scope S…] [--jwks FILE.json] [--redirect-uri URL…] [--post-logout-uri URL…] [--min-level ordinario|dispositivo]
                             register a client in the one registry: API scope certificati:write (machine client),
                             or openid profile email phone with redirect URIs (relying party of the OpenID Provider);
                             without --jwks prints its secret once
  import documento CF FILE.pdf --anno YYYY   deposit a Certificazione Unica for a citizen (download needs PIN dispositivo)
  import tessere FILE.csv    load the tessera sanitaria registry used by the revoca (codice_fiscale;numero;scadenza)
  import residenze FILE.csv  load the residence registry (ANPR/AIRE) the PIN letters go to (codice_fiscale;tipo;indirizzo;comune;cap;provincia;paese;citta;codice_postale;valido_dal;valido_al)
  import iban FILE.csv       load the IBAN holder registry used by the COVID-19 indemnity (iban;codice_fiscale, one line per holder)
  domande esiti FILE.csv     record outcomes of COVID-19 applications (protocollo;esito;motivo, esito accolta|respinta)
  audit seal                 seal the audit events not sealed yet (the worker does it every few seconds)
  audit verify               recompute the audit hash chain (keyed seals with VARCO_AUDIT_SEAL_KEY) and compare every exported head with it`;

function log(msg: string, fields?: Record<string, unknown>): void {
  process.stderr.write(`${new Date().toISOString()} ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
}

/** Where `varco serve` records the address it listens on, for the commands run beside it (`client add`). */
const PORTAL_URL_FILE = 'portal-url';

/**
 * The portal's address as the running `varco serve` has it: VARCO_PUBLIC_URL when set; otherwise
 * the address serve recorded in the data folder (its PORT, which this command's environment may
 * not share), falling back to this process's own default.
 */
async function portalAddress(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.VARCO_PUBLIC_URL) return config.publicUrl;
  try {
    const recorded = (await readFile(path.join(config.dataDir, PORTAL_URL_FILE), 'utf8')).trim();
    if (/^https?:\/\/[^\s]+$/.test(recorded)) return recorded.replace(/\/$/, '');
  } catch {
    // Not recorded (serve never ran with this data folder): this process's default.
  }
  return config.publicUrl;
}

/** F11: everything Varco writes (database, key, letters, uploads, audit head) is its user's alone. */
const PRIVATE_UMASK = 0o077;

/** Serve records its address (the port it really listens on when VARCO_PUBLIC_URL is not set). */
async function recordPortalAddress(config: Config, address: ReturnType<import('node:net').Server['address']>): Promise<void> {
  const port = address && typeof address === 'object' ? address.port : config.port;
  const url = process.env.VARCO_PUBLIC_URL ? config.publicUrl : `http://localhost:${port}`;
  try {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(config.dataDir, PORTAL_URL_FILE), `${url}\n`, { mode: 0o600 });
  } catch (error) {
    log('could not record the portal address', { error: (error as Error).message });
  }
}

/**
 * A command's database, hasher and secret box, the modules' texts and migrations installed first
 * (the worker renders, migrate migrates): loaded when a command needs them, never for `--help`.
 */
async function openRuntime(config: Config, opts?: Parameters<typeof import('./server/runtime.js').openRuntime>[1]): Promise<Runtime> {
  const [{ installModules }, runtime] = await Promise.all([import('./server/modules.js'), import('./server/runtime.js')]);
  installModules();
  return runtime.openRuntime(config, opts);
}

async function main(argv: string[]): Promise<number> {
  process.umask(PRIVATE_UMASK);
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const { loadConfig } = await import('./config/config.js');
  const config = loadConfig();
  warnAboutFormerDataDir(config);
  switch (command) {
    case 'migrate': {
      const rt = await openRuntime(config, { migrate: false });
      const { migrateToLatest } = await import('./db/migrate.js');
      const applied = await migrateToLatest(rt.db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      await rt.db.destroy();
      return 0;
    }
    case 'serve': {
      const [{ buildApp }, { workerFor }, { startCnsListener }] = await Promise.all([
        import('./server/app.js'),
        import('./server/runtime.js'),
        import('./cns/cns.js'),
      ]);
      const rt = await openRuntime(config, { log });
      if (config.demoData) {
        const { demoBanner, seedDemoData } = await import('./dev/demo.js');
        // Issue 13 §3: plain lines on stdout, once, before the JSON log of the server.
        const report = await seedDemoData({ db: rt.db, hasher: rt.hasher, box: rt.box, config });
        process.stdout.write(demoBanner(report, config.publicUrl));
      }
      const app = await buildApp({ config, db: rt.db, hasher: rt.hasher, box: rt.box, ibanHolders: rt.ibanHolders });
      const worker = config.worker.inProcess ? workerFor(rt, log) : undefined;
      worker?.start();
      // The handlers first: a stop asked as soon as the portal answers still closes it cleanly.
      const listeners: { cns?: Awaited<ReturnType<typeof startCnsListener>> } = {};
      const stop = async () => {
        listeners.cns?.close();
        await app.close();
        await worker?.stop();
        await rt.db.destroy();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await app.listen({ port: config.port, host: config.host });
      const cns = await startCnsListener(app, config, config.host, log);
      listeners.cns = cns;
      const shown = config.publicUrl;
      await recordPortalAddress(config, app.server.address());
      console.log(`Varco (${config.mode}) – portal: ${shown}/`);
      if (cns && config.cns.tls) console.log(`CNS login (TLS client certificates): port ${config.cns.tls.port}`);
      if (config.devMailbox) console.log(`Dev mailbox: ${shown}/dev/mailbox`);
      return -1;
    }
    case 'worker': {
      const { workerFor } = await import('./server/runtime.js');
      const rt = await openRuntime(config, { log });
      const worker = workerFor(rt, log);
      worker.start();
      log('worker started', { id: worker.id });
      const stop = async () => {
        await worker.stop();
        await rt.db.destroy();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'letters': {
      const { values } = parseArgs({ args: rest, options: { confirm: { type: 'string' }, purge: { type: 'boolean' } } });
      const { confirmBatch, createBatch, purgeExpiredBatches } = await import('./letters/batch.js');
      const rt = await openRuntime(config);
      const deps = {
        db: rt.db,
        box: rt.box,
        render: rt.render,
        lettersDir: config.lettersDir,
        retentionDays: config.letterRetentionDays,
        progress: progressBar('letters'),
      };
      try {
        if (values.confirm) {
          const r = await confirmBatch(deps, values.confirm, 'operator:cli');
          console.log(
            r === 'confirmed'
              ? `Batch ${values.confirm} confirmed; its PDF was erased.`
              : r === 'already'
                ? `Batch ${values.confirm} was already confirmed.`
                : `No batch ${values.confirm}.`,
          );
          return r === 'unknown' ? 1 : 0;
        }
        const purged = await purgeExpiredBatches(deps);
        if (purged.length) console.log(`Erased expired batches: ${purged.join(', ')}`);
        if (values.purge) return 0;
        const batch = await createBatch(deps);
        process.stderr.write('\n');
        console.log(batch ? `Batch ${batch.batchId}: ${batch.count} letters\n  ${batch.pdf}\n  ${batch.manifest}` : 'No letters waiting.');
        return 0;
      } finally {
        await rt.db.destroy();
      }
    }
    case 'operator': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { role: { type: 'string' }, name: { type: 'string' } } });
      const [sub, username] = positionals;
      const role = values.role as OperatorRole | undefined;
      const [{ OPERATOR_ROLES, createOperator }, { otpauthUri }] = await Promise.all([
        import('./backoffice/operatori/service.js'),
        import('./security/totp.js'),
      ]);
      if (sub !== 'add' || !username || !/^[a-z0-9._-]{3,64}$/i.test(username) || !role || !OPERATOR_ROLES.includes(role)) {
        console.error(USAGE);
        return 2;
      }
      const rt = await openRuntime(config);
      try {
        const created = await createOperator(rt.db, rt.hasher, rt.box, { username, displayName: values.name ?? username, role });
        console.log(
          `Operator ${username} (${role}) created.\n  password: ${created.password}\n  TOTP secret: ${created.totpSecret}\n  ${otpauthUri(created.totpSecret, username, `${config.istituto.name} Varco`)}\nGive both to the operator through a separate, secure channel; they are not shown again.`,
        );
        return 0;
      } finally {
        await rt.db.destroy();
      }
    }
    case 'client': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          name: { type: 'string' },
          scope: { type: 'string', multiple: true },
          jwks: { type: 'string' },
          'redirect-uri': { type: 'string', multiple: true },
          'post-logout-uri': { type: 'string', multiple: true },
          'min-level': { type: 'string' },
        },
      });
      const [sub, id] = positionals;
      if (sub !== 'add' || !id || !values.scope?.length) {
        console.error(USAGE);
        return 2;
      }
      const jwks = values.jwks ? (JSON.parse(await readFile(values.jwks, 'utf8')) as { keys: JWK[] }) : undefined;
      const { addClient } = await import('./clients/clients.js');
      const rt = await openRuntime(config);
      try {
        const scopes = values.scope.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
        const portal = await portalAddress(config);
        const created = await addClient(rt.db, rt.box, {
          id,
          name: values.name ?? id,
          scopes,
          jwks,
          redirectUris: values['redirect-uri'],
          postLogoutRedirectUris: values['post-logout-uri'],
          minLevel: values['min-level'] as 'ordinario' | 'dispositivo' | undefined,
        });
        await audit.clientAdded(
          rt.db,
          { actor: 'system:cli', ip: null, channel: 'cli', userAgent: null },
          { clientId: id, scopes, auth: jwks ? 'jwt' : 'secret' },
        );
        console.log(
          created.secret
            ? `Client ${id} registered.\n  secret: ${created.secret}\nUse HTTP Basic authentication (client id and secret; client_secret_basic at ${portal}/oidc/token). The secret is not shown again.`
            : `Client ${id} registered with ${jwks?.keys.length ?? 0} public key(s): authenticate with signed JWTs (private_key_jwt).`,
        );
        if (values['redirect-uri']?.length)
          console.log(`OpenID Provider: issuer ${portal}/oidc (discovery at ${portal}/oidc/.well-known/openid-configuration).`);
        return 0;
      } catch (error) {
        console.error((error as Error).message);
        return 2;
      } finally {
        await rt.db.destroy();
      }
    }
    case 'import': {
      if (rest[0] === 'documento') {
        const { values, positionals } = parseArgs({ args: rest.slice(1), allowPositionals: true, options: { anno: { type: 'string' } } });
        const [cf, file] = positionals;
        const year = Number(values.anno);
        if (!cf || !file || !Number.isInteger(year) || year < 2000 || year > 2100) {
          console.error(USAGE);
          return 2;
        }
        const { depositDocument } = await import('./flows/documenti/routes.js');
        const rt = await openRuntime(config);
        try {
          const id = await depositDocument(rt.db, config.filesDir, cf.toUpperCase(), year, await readFile(file), config.uploads);
          console.log(`Certificazione Unica ${year} deposited for ${cf.toUpperCase()} (${id}).`);
          return 0;
        } finally {
          await rt.db.destroy();
        }
      }
      if (rest[0] === 'iban' && rest[1])
        return importRegistry(config, 'iban', rest[1], (await import('./adapters/iban-holders.js')).importIbanHolders, 'IBAN holders');
      if (rest[0] === 'residenze' && rest[1])
        return importRegistry(config, 'residenze', rest[1], (await import('./adapters/residence.js')).importResidenze, 'residences');
      if (rest[0] !== 'tessere' || !rest[1]) {
        console.error(USAGE);
        return 2;
      }
      return importRegistry(config, 'tessere', rest[1], (await import('./flows/revoca/tessere.js')).importTessere, 'tessere sanitarie');
    }
    case 'domande': {
      if (rest[0] !== 'esiti' || !rest[1]) {
        console.error(USAGE);
        return 2;
      }
      const { importOutcomes } = await import('./flows/indennita/service.js');
      const rt = await openRuntime(config);
      try {
        const report = await importOutcomes({ db: rt.db, box: rt.box, now: () => new Date() }, rest[1], path.basename(rest[1]), csvProgressBar('esiti'));
        process.stderr.write('\n');
        printReport(`Recorded ${report.recorded} outcomes; rejected ${report.rejected.length} rows.`, report.rejected);
        return report.rejected.length ? 1 : 0;
      } finally {
        await rt.db.destroy();
      }
    }
    case 'keys': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { use: { type: 'string' } } });
      const use = values.use;
      const { KEY_USES, RETIRED_KEY_PUBLISHED_HOURS, rotateSigningKey } = await import('./oidc/keys.js');
      const keyUse = KEY_USES.find((u) => u === use);
      if (positionals[0] !== 'rotate' || !keyUse) {
        console.error(USAGE);
        return 2;
      }
      const rt = await openRuntime(config);
      try {
        const rotated = await rotateSigningKey(rt.db, rt.box, keyUse);
        await audit.signingKeyRotated(
          rt.db,
          { actor: 'system:cli', ip: null, channel: 'cli', userAgent: null },
          { use: keyUse, kid: rotated.kid, retired: rotated.retired ?? null },
        );
        console.log(
          `New ${KEY_NAMES[keyUse]} ${rotated.kid}${rotated.retired ? `; ${rotated.retired} retired (published for ${RETIRED_KEY_PUBLISHED_HOURS} hours more)` : ''}.\nRestart the portal processes: they read their keys at start.`,
        );
        return 0;
      } finally {
        await rt.db.destroy();
      }
    }
    case 'audit': {
      const { AuditChainError, fileHeadSink, sealPending, verifyChain } = await import('./audit/chain.js');
      const rt = await openRuntime(config);
      const sink = fileHeadSink(config.auditHeadFile);
      try {
        if (rest[0] === 'seal') {
          try {
            console.log(`Sealed ${await sealPending(rt.db, sink, { key: config.auditSealKey })} audit events.`);
            return 0;
          } catch (error) {
            if (!(error instanceof AuditChainError)) throw error;
            console.error(error.message);
            return 1;
          }
        }
        if (rest[0] === 'verify') {
          const report = await verifyChain(rt.db, sink, { key: config.auditSealKey, unkeyedUntil: config.auditUnkeyedUntilSeal });
          console.log(`${report.sealed} sealed audit events, ${report.unsealed} not sealed yet: ${report.ok ? 'the chain is intact' : 'THE CHAIN IS BROKEN'}`);
          console.log(
            `  ${report.exportedHeads} exported heads checked; ${report.keyedFrom === null ? 'no keyed seal' : `keyed from seal ${report.keyedFrom}`}`,
          );
          for (const p of report.problems) console.log(`  - ${p}`);
          return report.ok ? 0 : 1;
        }
        console.error(USAGE);
        return 2;
      } finally {
        await rt.db.destroy();
      }
    }
    default:
      console.error(`Unknown command: ${command}\n${USAGE}`);
      return 2;
  }
}

/** An import's summary, then its refused rows (the first 100) with their line numbers. */
function printReport(summary: string, rejected: Rejected): void {
  console.log(summary);
  for (const r of rejected.slice(0, 100)) console.log(`  line ${r.line}: ${r.reason}`);
  if (rejected.length > 100) console.log(`  … and ${rejected.length - 100} more`);
}

/** `varco import tessere|iban|residenze FILE.csv`: loads a registry with a progress bar, audits the import, reports refused rows. */
async function importRegistry(
  config: Config,
  registry: 'tessere' | 'iban' | 'residenze',
  file: string,
  load: (db: Runtime['db'], file: string, progress: (p: CsvProgress) => void) => Promise<{ imported: number; rejected: Rejected }>,
  noun: string,
): Promise<number> {
  const rt = await openRuntime(config);
  try {
    const report = await load(rt.db, file, csvProgressBar(registry));
    process.stderr.write('\n');
    await audit.registryImported(
      rt.db,
      { actor: 'system:cli', channel: 'cli' },
      { registry, file: path.basename(file), imported: report.imported, rejected: report.rejected.length },
    );
    printReport(`Imported ${report.imported} ${noun}; rejected ${report.rejected.length} rows.`, report.rejected);
    return 0;
  } finally {
    await rt.db.destroy();
  }
}

/** A text progress bar on stderr: long work shows progress. */
function progressBar(label: string): (done: number, total: number) => void {
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
}

/** Before issue 12 the default data folder was ./data: say where an existing database went. */
function warnAboutFormerDataDir(config: Config): void {
  const former = path.resolve('data', 'pglite');
  if (process.env.VARCO_DATA_DIR || config.databaseUrl || !existsSync(former) || existsSync(path.join(config.dataDir, 'pglite'))) return;
  log(
    `note: the default VARCO_DATA_DIR is now ./data/local; an embedded database from before is in ${former}: move ./data/pglite, ./data/secret.key and the rest of ./data (except geo) into ./data/local to keep it, or set VARCO_DATA_DIR=./data`,
  );
}

/** A CSV import's progress: the share of the file read, and the rows read so far. */
function csvProgressBar(label: string): (p: CsvProgress) => void {
  const bar = progressBar(label);
  return (p) => {
    if (p.totalBytes) bar(p.bytes, p.totalBytes);
    process.stderr.write(` bytes, ${p.rows} rows`);
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  async (err: unknown) => {
    // A configuration error happens after the configuration's module was loaded: importing it is free.
    const { ConfigError } = await import('./config/config.js');
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    if (err instanceof EmbeddedDatabaseBusy) {
      console.error(err.message);
      process.exit(75);
    }
    console.error(err);
    process.exit(1);
  },
);
