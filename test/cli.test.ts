import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { enqueue } from '../src/outbox/outbox.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { createPgDatabase } from './support/db.js';
import { spawnServe } from './support/serve.js';
import { auditOf } from './support/rows.js';

const run = promisify(execFile);

/** A fresh PostgreSQL database, a secret key, a data folder, and the `varco` command bound to them. */
async function cliOnFreshDatabase() {
  const url = await createPgDatabase();
  const key = randomBytes(32);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'varco-cli-'));
  const env = { ...process.env, DATABASE_URL: url, VARCO_SECRET_KEY: key.toString('hex'), VARCO_DATA_DIR: dataDir, VARCO_MODE: 'development' };
  const varco = (...args: string[]) => run(process.execPath, ['bin/varco.js', ...args], { env });
  return { url, key, dataDir, varco };
}

/** The `varco` command line, as an operator runs it, against a PostgreSQL database. */
// Each command is a fresh Node process (seconds each on a loaded machine): a generous budget, never a speed assertion.
describe('varco CLI', { timeout: 600_000 }, () => {
  it('migrate, letters (batch, confirm), audit seal and verify', async () => {
    const { url, key, dataDir, varco } = await cliOnFreshDatabase();

    expect((await varco('migrate')).stdout).toContain('Applied: 20261124_0001_foundation');
    expect((await varco('migrate')).stdout).toContain('Database is up to date.');

    const db = await openDatabase({ databaseUrl: url, dataDir });
    await migrateToLatest(db);
    await enqueue(db, createSecretBox(key), [
      {
        channel: 'letter',
        template: 'pin.secondHalf',
        recipient: { name: 'ANNA ROSSI', lines: ['Via Roma 1', '56125 PISA (PI)'], provincia: 'PI', country: null },
        locale: 'it',
        params: { nome: 'ANNA', cognome: 'ROSSI' },
        secret: 'ACDEFHJK',
        citizenId: null,
      },
    ]);
    const letters = await varco('letters');
    const batchId = /Batch (\S+): 1 letters/.exec(letters.stdout)?.[1];
    expect(batchId).toBeDefined();
    expect(letters.stderr).toContain('letters [##############################] 1/1');
    const pdf = path.join(dataDir, 'letters', batchId!, 'lettere.pdf');
    expect(existsSync(pdf)).toBe(true);
    expect((await varco('letters', '--confirm', batchId!)).stdout).toContain('confirmed; its PDF was erased');
    expect(existsSync(pdf)).toBe(false);

    expect((await varco('audit', 'seal')).stdout).toMatch(/Sealed \d+ audit events/);
    expect((await varco('audit', 'verify')).stdout).toContain('the chain is intact');
    await db.destroy();
  });

  it('issue 13: client add prints the token URL on the port the running portal listens on, not its own default', async () => {
    const { url, key, dataDir, varco } = await cliOnFreshDatabase();
    await varco('migrate');
    // The portal runs on its own PORT without VARCO_PUBLIC_URL; the command beside it has no PORT.
    const served = await spawnServe({
      DATABASE_URL: url,
      VARCO_SECRET_KEY: key.toString('hex'),
      VARCO_DATA_DIR: dataDir,
      VARCO_MODE: 'development',
      VARCO_PUBLIC_URL: '',
      VARCO_WORKER_IN_PROCESS: 'false',
    });
    try {
      const port = new URL(served.baseUrl).port;
      expect(port).not.toBe('3000');
      for (let i = 0; i < 100 && !served.output().includes('portal:'); i++) await new Promise((r) => setTimeout(r, 100));
      const added = await varco('client', 'add', 'ts.porta', '--name', 'Porta', '--scope', 'certificati:write');
      expect(added.stdout).toContain(`client_secret_basic at http://localhost:${port}/oidc/token`);
      const rp = await varco('client', 'add', 'comune.porta', '--scope', 'openid', '--redirect-uri', 'https://porta.example.it/cb');
      expect(rp.stdout).toContain(`issuer http://localhost:${port}/oidc (discovery at http://localhost:${port}/oidc/.well-known/openid-configuration)`);
      // The token endpoint really is there.
      const token = await fetch(`http://127.0.0.1:${port}/oidc/token`, { method: 'POST' });
      expect(token.status).not.toBe(404);
    } finally {
      await served.close();
    }
    // VARCO_PUBLIC_URL, when set, is the address printed.
    const pub = await run(process.execPath, ['bin/varco.js', 'client', 'add', 'ts.pubblico', '--scope', 'certificati:write'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        VARCO_SECRET_KEY: key.toString('hex'),
        VARCO_DATA_DIR: dataDir,
        VARCO_MODE: 'development',
        VARCO_PUBLIC_URL: 'https://varco.example.it/',
      },
    });
    expect(pub.stdout).toContain('client_secret_basic at https://varco.example.it/oidc/token');
  });

  it('client add, import iban and domande esiti (issue 6)', async () => {
    const { url, key, dataDir, varco } = await cliOnFreshDatabase();
    await varco('migrate');

    const added = await varco('client', 'add', 'ts.toscana', '--name', 'Sistema TS Toscana', '--scope', 'certificati:write');
    const secret = /secret: (\S+)/.exec(added.stdout)?.[1];
    expect(secret).toMatch(/^[\w-]{43}$/);
    await expect(varco('client', 'add', 'ts.toscana', '--name', 'again', '--scope', 'certificati:write')).rejects.toThrow();
    await expect(varco('client', 'add', 'x', '--scope', 'certificati:write')).rejects.toThrow(/client id/);
    await expect(varco('client', 'add', 'ts.altro', '--scope', 'tutto')).rejects.toThrow(/scopes/);
    const db = await openDatabase({ databaseUrl: url, dataDir });
    const client = await db.selectFrom('clients').selectAll().where('id', '=', 'ts.toscana').executeTakeFirstOrThrow();
    expect(client.secret_fingerprint).toBe(createSecretBox(key).fingerprint(`client:ts.toscana:${secret}`));
    expect(client.secret_fingerprint).not.toContain(secret!);
    expect(await auditOf(db, { event: 'client.added' }).select('event').execute()).toHaveLength(1);

    // A relying party of the OpenID Provider, in the same registry (issue 7).
    const rp = await varco(
      'client',
      'add',
      'comune.prenota',
      '--name',
      'Prenotazioni',
      '--scope',
      'openid profile email',
      '--redirect-uri',
      'https://prenota.example.it/cb',
      '--post-logout-uri',
      'https://prenota.example.it/',
      '--min-level',
      'dispositivo',
    );
    expect(rp.stdout).toContain('client_secret_basic');
    expect(rp.stdout).toContain('/oidc/.well-known/openid-configuration');
    const rpRow = await db.selectFrom('clients').selectAll().where('id', '=', 'comune.prenota').executeTakeFirstOrThrow();
    expect(rpRow).toMatchObject({
      scopes: ['openid', 'profile', 'email'],
      redirect_uris: ['https://prenota.example.it/cb'],
      post_logout_redirect_uris: ['https://prenota.example.it/'],
      min_level: 'dispositivo',
    });
    expect(rpRow.secret_sealed).not.toContain(/secret: (\S+)/.exec(rp.stdout)![1]!);
    await expect(varco('client', 'add', 'comune.http', '--scope', 'openid', '--redirect-uri', 'http://prenota.example.it/cb')).rejects.toThrow(/https only/);
    await expect(varco('client', 'add', 'comune.noopenid', '--scope', 'profile', '--redirect-uri', 'https://prenota.example.it/cb')).rejects.toThrow(/openid/);
    await expect(
      varco('client', 'add', 'comune.level', '--scope', 'openid', '--redirect-uri', 'https://prenota.example.it/cb', '--min-level', 'semplificato'),
    ).rejects.toThrow(/min level/);
    const first = await varco('keys', 'rotate', '--use', 'op');
    expect(first.stdout).toMatch(/New ID token signing key [\w-]{36}\./);
    const second = await varco('keys', 'rotate', '--use', 'op');
    expect(second.stdout).toContain(`${/key ([\w-]{36})/.exec(first.stdout)![1]} retired`);
    await expect(varco('keys', 'rotate', '--use', 'tutte')).rejects.toThrow();
    expect(await db.selectFrom('signing_keys').select('kid').where('use', '=', 'op').where('retired_at', 'is', null).execute()).toHaveLength(1);
    expect(await auditOf(db, { event: 'keys.rotated' }).select('id').execute()).toHaveLength(2);

    const ibans = path.join(dataDir, 'iban.csv');
    writeFileSync(ibans, 'iban;codice_fiscale\nIT60 X054 2811 1010 0000 0123 456;RSSMRA85T10A562S\nIT61X0542811101000000123456;RSSMRA85T10A562S\n');
    const imported = await varco('import', 'iban', ibans);
    expect(imported.stdout).toContain('Imported 1 IBAN holders; rejected 1 rows.');
    expect(imported.stdout).toContain('line 3: IBAN non valido (checksum)');
    expect(imported.stderr).toContain('iban');
    expect((await auditOf(db, { event: 'registry.imported' }).select('details').executeTakeFirstOrThrow()).details).toMatchObject({
      registry: 'iban',
      file: 'iban.csv',
      imported: 1,
      rejected: 1,
    });

    const esiti = path.join(dataDir, 'esiti.csv');
    writeFileSync(esiti, 'protocollo;esito;motivo\nCOV19-2020-00000001;accolta;\n');
    const outcome = await varco('domande', 'esiti', esiti).then(
      () => 'ok',
      (e: { stdout: string; code: number }) => `${e.code} ${e.stdout}`,
    );
    expect(outcome).toContain('1 Recorded 0 outcomes; rejected 1 rows.');
    expect(outcome).toContain('line 2: protocollo sconosciuto: COV19-2020-00000001');
    await db.destroy();
  });

  it('refuses production without its secrets, naming them', async () => {
    const r = await run(process.execPath, ['bin/varco.js', 'serve'], { env: { ...process.env, VARCO_MODE: 'production' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(r).toMatchObject({ code: 78 });
    expect((r as { stderr: string }).stderr).toContain('Production mode needs: VARCO_SECRET_KEY');
  });

  it('F10: production refuses an http:// public address, naming the variable', async () => {
    const env = {
      ...process.env,
      VARCO_MODE: 'production',
      VARCO_SECRET_KEY: 'a'.repeat(64),
      VARCO_PUBLIC_URL: 'http://pin.example.it',
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms',
      DATABASE_URL: 'postgres://127.0.0.1:9/varco',
      VARCO_TRUSTED_PROXIES: '127.0.0.1',
      VARCO_AUDIT_SEAL_KEY: 'b'.repeat(64),
    };
    const r = await run(process.execPath, ['bin/varco.js', 'serve'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 78 });
    expect((r as { stderr: string }).stderr).toContain('VARCO_PUBLIC_URL must start with https://');
  });
});
