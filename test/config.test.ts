import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { productionEnv } from './support/config.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'varco-config-'));
const KEY = 'a'.repeat(64);
const SEAL_KEY = 'b'.repeat(64);
const PRODUCTION = { ...productionEnv(KEY, SEAL_KEY), DATABASE_URL: 'postgres://varco@db/varco' };

describe('configuration', () => {
  it('development: safe defaults, a generated key kept in the data folder, dev mailbox, demo data', () => {
    const dir = dataDir();
    const a = loadConfig({ VARCO_DATA_DIR: dir });
    const b = loadConfig({ VARCO_DATA_DIR: dir });
    expect(a).toMatchObject({ mode: 'development', port: 3000, devMailbox: true, demoData: true, letterDelivery: 'mailbox', istituto: { name: 'INPS' } });
    expect(a.secretKey).toHaveLength(32);
    expect(a.secretKey.equals(b.secretKey)).toBe(true);
    expect(a.auditSealKey).toHaveLength(32);
    expect(a.auditSealKey.equals(b.auditSealKey)).toBe(true);
    expect(a.auditSealKey.equals(a.secretKey)).toBe(false);
    expect(a.argon2).toEqual({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
  });

  it('demo data only on a loopback HOST: its credentials are public (outside review)', () => {
    expect(loadConfig({ VARCO_DATA_DIR: dataDir() }).demoData).toBe(true);
    expect(loadConfig({ VARCO_DATA_DIR: dataDir(), HOST: '::1' }).demoData).toBe(true);
    expect(loadConfig({ VARCO_DATA_DIR: dataDir(), HOST: '0.0.0.0' }).demoData).toBe(false);
    expect(() => loadConfig({ VARCO_DATA_DIR: dataDir(), HOST: '0.0.0.0', VARCO_DEMO_DATA: 'true' })).toThrow(/VARCO_DEMO_DATA=true needs a loopback HOST/);
  });

  it('production refuses to start without its secrets', () => {
    expect(() => loadConfig({ VARCO_MODE: 'production', VARCO_DATA_DIR: dataDir() })).toThrow(
      /VARCO_SECRET_KEY, VARCO_PUBLIC_URL, SMTP_URL, SMS_GATEWAY_URL, VARCO_AUDIT_SEAL_KEY/,
    );
  });

  it('the audit seal key (F15) is its own key: 64 hex, never the secret key', () => {
    const { VARCO_AUDIT_SEAL_KEY: _sealKey, ...prod } = { ...PRODUCTION, VARCO_DATA_DIR: dataDir() };
    expect(() => loadConfig(prod)).toThrow(/Production mode needs: VARCO_AUDIT_SEAL_KEY/);
    expect(() => loadConfig({ ...prod, VARCO_AUDIT_SEAL_KEY: KEY.toUpperCase() })).toThrow(/VARCO_AUDIT_SEAL_KEY must differ from VARCO_SECRET_KEY/);
    expect(() => loadConfig({ ...prod, VARCO_AUDIT_SEAL_KEY: 'abc' })).toThrow(/VARCO_AUDIT_SEAL_KEY: must be 64 hex/);
    const c = loadConfig({ ...prod, VARCO_AUDIT_SEAL_KEY: SEAL_KEY, VARCO_AUDIT_UNKEYED_UNTIL_SEAL: '1200' });
    expect(c.auditSealKey.toString('hex')).toBe(SEAL_KEY);
    expect(c.auditUnkeyedUntilSeal).toBe(1200);
  });

  it('production has no dev mailbox, no demo data, letters in batches', () => {
    const c = loadConfig({ ...PRODUCTION, VARCO_DATA_DIR: dataDir() });
    expect(c).toMatchObject({ devMailbox: false, demoData: false, letterDelivery: 'batch', worker: { inProcess: false } });
    expect(() => loadConfig({ ...productionEnv(KEY, SEAL_KEY), VARCO_DEMO_DATA: 'true' })).toThrow(ConfigError);
  });

  it('F10: production refuses a public address browsers would reach over plain HTTP, naming the variable; no flag allows it', () => {
    for (const url of ['http://pin.example.it', 'http://127.0.0.1:3000']) {
      expect(() => loadConfig({ ...PRODUCTION, VARCO_PUBLIC_URL: url, VARCO_DATA_DIR: dataDir() })).toThrow(
        /VARCO_PUBLIC_URL must start with https:\/\/ in production mode/,
      );
      expect(() =>
        loadConfig({ ...PRODUCTION, VARCO_PUBLIC_URL: url, VARCO_TRUSTED_PROXIES: '127.0.0.1', VARCO_ALLOW_EMBEDDED_DB: 'true', VARCO_DATA_DIR: dataDir() }),
      ).toThrow(ConfigError);
    }
    // Development keeps http://localhost for `npm start`.
    expect(loadConfig({ VARCO_PUBLIC_URL: 'http://localhost:3000', VARCO_DATA_DIR: dataDir() }).publicUrl).toBe('http://localhost:3000');
  });

  it('F11: data in ./data/local by default; production refuses the embedded database unless VARCO_ALLOW_EMBEDDED_DB=true', () => {
    const cwd = process.cwd();
    process.chdir(dataDir());
    try {
      expect(loadConfig({ VARCO_SECRET_KEY: KEY }).dataDir).toBe(path.resolve('data', 'local'));
    } finally {
      process.chdir(cwd);
    }
    const { DATABASE_URL: _, ...embedded } = PRODUCTION;
    expect(() => loadConfig({ ...embedded, VARCO_DATA_DIR: dataDir() })).toThrow(
      /Production mode uses PostgreSQL: set DATABASE_URL \(or VARCO_ALLOW_EMBEDDED_DB=true/,
    );
    expect(loadConfig({ ...embedded, VARCO_ALLOW_EMBEDDED_DB: 'true', VARCO_DATA_DIR: dataDir() }).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ ...embedded, VARCO_ALLOW_EMBEDDED_DB: 'yes', VARCO_DATA_DIR: dataDir() })).toThrow(/VARCO_ALLOW_EMBEDDED_DB/);
  });

  it('F11: the generated development key is readable by its owner only, in a private folder', () => {
    const dir = path.join(dataDir(), 'new', 'local');
    loadConfig({ VARCO_DATA_DIR: dir });
    expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o077).toBe(0);
  });

  it('issue 12 F1: the residence registry is typed only in development (its default there); production uses the table and refuses typed', () => {
    expect(loadConfig({ VARCO_DATA_DIR: dataDir() }).residenceRegistry).toBe('typed');
    expect(loadConfig({ VARCO_DATA_DIR: dataDir(), VARCO_RESIDENCE_REGISTRY: 'table' }).residenceRegistry).toBe('table');
    const prod = { ...PRODUCTION, VARCO_DATA_DIR: dataDir() };
    expect(loadConfig(prod).residenceRegistry).toBe('table');
    expect(() => loadConfig({ ...prod, VARCO_RESIDENCE_REGISTRY: 'typed' })).toThrow(/VARCO_RESIDENCE_REGISTRY=typed is for development only/);
    expect(() => loadConfig({ VARCO_DATA_DIR: dataDir(), VARCO_RESIDENCE_REGISTRY: 'anagrafe' })).toThrow(/VARCO_RESIDENCE_REGISTRY/);
  });

  it('issue 12 F13: the R1 thresholds default to 20 per IP per hour and 600 per minute', () => {
    expect(loadConfig({ VARCO_DATA_DIR: dataDir() }).r1Oracle).toEqual({ perIpHour: 20, globalPerMinute: 600 });
  });

  it('names each bad variable', () => {
    const load = () => loadConfig({ PORT: 'abc', VARCO_SECRET_KEY: 'short', VARCO_ARGON2_MEMORY_KIB: '1024', VARCO_DATA_DIR: dataDir() });
    expect(load).toThrow(ConfigError);
    for (const line of [/^ {2}PORT: /m, /^ {2}VARCO_SECRET_KEY: must be 64 hex/m, /^ {2}VARCO_ARGON2_MEMORY_KIB: .*19456/m]) expect(load).toThrow(line);
  });
});
