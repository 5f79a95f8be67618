import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'varco-config-'));
const KEY = 'a'.repeat(64);
const SEAL_KEY = 'b'.repeat(64);

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

  it('production refuses to start without its secrets', () => {
    expect(() => loadConfig({ VARCO_MODE: 'production', VARCO_DATA_DIR: dataDir() })).toThrow(/VARCO_SECRET_KEY, VARCO_PUBLIC_URL, SMTP_URL, SMS_GATEWAY_URL, VARCO_AUDIT_SEAL_KEY/);
  });

  it('the audit seal key (F15) is its own key: 64 hex, never the secret key', () => {
    const prod = { VARCO_MODE: 'production', VARCO_SECRET_KEY: KEY, VARCO_PUBLIC_URL: 'https://pin.example.it', SMTP_URL: 'smtp://mail:25', SMS_GATEWAY_URL: 'https://sms.example.it/send', VARCO_DATA_DIR: dataDir() };
    expect(() => loadConfig(prod)).toThrow(/Production mode needs: VARCO_AUDIT_SEAL_KEY/);
    expect(() => loadConfig({ ...prod, VARCO_AUDIT_SEAL_KEY: KEY.toUpperCase() })).toThrow(/VARCO_AUDIT_SEAL_KEY must differ from VARCO_SECRET_KEY/);
    expect(() => loadConfig({ ...prod, VARCO_AUDIT_SEAL_KEY: 'abc' })).toThrow(/VARCO_AUDIT_SEAL_KEY: must be 64 hex/);
    const c = loadConfig({ ...prod, VARCO_AUDIT_SEAL_KEY: SEAL_KEY, VARCO_AUDIT_UNKEYED_UNTIL_SEAL: '1200' });
    expect(c.auditSealKey.toString('hex')).toBe(SEAL_KEY);
    expect(c.auditUnkeyedUntilSeal).toBe(1200);
  });

  it('production has no dev mailbox, no demo data, letters in batches', () => {
    const c = loadConfig({ VARCO_MODE: 'production', VARCO_SECRET_KEY: KEY, VARCO_PUBLIC_URL: 'https://pin.example.it', SMTP_URL: 'smtp://mail:25', SMS_GATEWAY_URL: 'https://sms.example.it/send', VARCO_AUDIT_SEAL_KEY: SEAL_KEY, VARCO_DATA_DIR: dataDir() });
    expect(c).toMatchObject({ devMailbox: false, demoData: false, letterDelivery: 'batch', worker: { inProcess: false } });
    expect(() => loadConfig({ VARCO_MODE: 'production', VARCO_SECRET_KEY: KEY, VARCO_PUBLIC_URL: 'https://x.it', SMTP_URL: 'smtp://m', SMS_GATEWAY_URL: 'https://s.it', VARCO_AUDIT_SEAL_KEY: SEAL_KEY, VARCO_DEMO_DATA: 'true' })).toThrow(ConfigError);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc', VARCO_SECRET_KEY: 'short', VARCO_ARGON2_MEMORY_KIB: '1024', VARCO_DATA_DIR: dataDir() })).toThrow(/PORT[\s\S]*VARCO_SECRET_KEY[\s\S]*VARCO_ARGON2_MEMORY_KIB/);
  });
});
