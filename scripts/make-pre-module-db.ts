/**
 * Builds test/fixtures/pre-module-db.tar.br: a PGlite data folder (PGlite's `dumpDataDir()`, a
 * tar compressed with Brotli: 1.5 MB, where gzip's small window leaves 4.4 MB) of a database made by Varco as it was before issue 14 restructured the code into
 * modules — migrated with the migrations of commit a7e2ea0 and holding a few representative
 * rows: a citizen, a credential with a real argon2id PIN hash, a queued outbox message with a
 * sealed secret, and two audit events with their keyed seals. test/pre-module-db.test.ts loads
 * it, migrates it with today's migration list and checks nothing was lost (issue 14 part 1: "a
 * test migrates a copy of a database created before the move").
 *
 *   npx tsx scripts/make-pre-module-db.ts
 *
 * It needs git (the old code is read from the commit with `git archive`, into a temporary folder
 * inside the repository so its `kysely` import resolves, removed at the end). Run it again only
 * if the fixture must change; the values the test checks are the constants of PRE_MODULE below.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { hash } from '@node-rs/argon2';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database } from '../src/db/schema.js';
import { PRE_MODULE } from '../test/fixtures/pre-module-db.js';

const COMMIT = 'a7e2ea0';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'test/fixtures/pre-module-db.tar.br');
const oldFiles = ['src/db/migrate.ts', 'src/db/migrations', 'src/db/schema.ts', 'src/audit/chain.ts', 'src/security/secret-box.ts'];

const tmp = path.join(root, `.pre-module-${process.pid}`);
mkdirSync(tmp);
try {
  const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', COMMIT, ...oldFiles], { maxBuffer: 64 << 20 });
  execFileSync('tar', ['-x', '-C', tmp], { input: tar });
  // The code of the commit, typed as today's (the test fails if they ever part).
  const { migrateToLatest }: typeof import('../src/db/migrate.js') = await import(pathToFileURL(path.join(tmp, 'src/db/migrate.ts')).href);
  const { sealPending }: typeof import('../src/audit/chain.js') = await import(pathToFileURL(path.join(tmp, 'src/audit/chain.ts')).href);
  const { createSecretBox }: typeof import('../src/security/secret-box.js') = await import(pathToFileURL(path.join(tmp, 'src/security/secret-box.ts')).href);

  const client = await PGlite.create({ parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) } });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  const applied = await migrateToLatest(db);
  console.log(`${applied.length} migrations of ${COMMIT} applied`);

  const p = PRE_MODULE;
  const box = createSecretBox(Buffer.from(p.secretKeyHex, 'hex'));
  const pinHash = await hash(p.pin, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  // Plain inserts, as the services of the commit wrote these rows (frozen like a migration).
  await sql`
    insert into citizens (id, codice_fiscale, cognome, nome, data_nascita, sesso, luogo_nascita, residenza, cellulare, email,
                          telefono_preferenziale, orario_preferenziale, locale, contacts_verified_at)
    values (${p.citizen.id}, ${p.citizen.codiceFiscale}, 'ROSSI', 'MARIO', ${p.citizen.dataNascita}, 'M', 'H501',
            ${JSON.stringify(p.citizen.residenza)}::jsonb, ${p.citizen.cellulare}, ${p.citizen.email},
            'cellulare', '09-13', 'it', '2026-11-30T10:00:00Z')`.execute(db);
  await sql`
    insert into credentials (id, citizen_id, state, pin_hash, dispositivo, channel, changed_at)
    values (${p.credential.id}, ${p.citizen.id}, 'active', ${pinHash}, false, 'web', '2026-11-30T10:05:00Z')`.execute(db);
  await sql`
    insert into outbox_messages (id, channel, template, recipient, locale, params, secret_ciphertext, citizen_id, state)
    values (${p.message.id}, 'sms', 'pin.firstHalf', ${p.citizen.cellulare}, 'it', ${JSON.stringify(p.message.params)}::jsonb,
            ${box.seal(p.message.secret, p.message.id)}, ${p.citizen.id}, 'queued')`.execute(db);
  for (const event of p.auditEvents) {
    await sql`
      insert into audit_events (occurred_at, event, actor, subject_cf, channel, ip, details)
      values (${event.occurredAt}, ${event.event}, ${`citizen:${p.citizen.codiceFiscale}`}, ${p.citizen.codiceFiscale}, 'web', '127.0.0.1',
              ${JSON.stringify(event.details)}::jsonb)`.execute(db);
  }
  const heads: unknown[] = [];
  const sealed = await sealPending(
    db,
    {
      async append(head) {
        heads.push(head);
      },
      async latest() {
        return undefined;
      },
      async *history() {},
    },
    { key: Buffer.from(p.auditSealKeyHex, 'hex') },
  );
  console.log(`${sealed} audit events sealed, heads ${JSON.stringify(heads)}`);

  const dump = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
  await db.destroy();
  if (!client.closed) await client.close();
  // The three databases of the folder (template0, template1, postgres) are alike: a 16 MiB window finds it (about a minute).
  const compressed = brotliCompressSync(dump, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: dump.length },
  });
  writeFileSync(out, compressed);
  console.log(`wrote ${path.relative(root, out)} (${Math.round(compressed.length / 1024)} KiB; ${Math.round(dump.length / 1024)} KiB uncompressed)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
