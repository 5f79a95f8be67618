import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { buildApp } from '../src/server/app.js';
import { freshDatabase } from './support/db.js';

/**
 * F10: in production the public address is https:// (what browsers see) and the portal listens
 * in plain HTTP behind the TLS proxy, which says `X-Forwarded-Proto: https`. The portal believes
 * forwarded headers only from VARCO_TRUSTED_PROXIES; its cookies are Secure and HSTS is sent
 * whatever a request claims, because both follow the public address.
 */
describe('production behind a TLS proxy (F10)', () => {
  it('Secure cookies and HSTS; X-Forwarded-Proto and -For believed only from the trusted proxy', async () => {
    const { db } = await freshDatabase('pglite');
    const config = loadConfig({
      VARCO_MODE: 'production',
      VARCO_SECRET_KEY: randomBytes(32).toString('hex'),
      VARCO_PUBLIC_URL: 'https://pin.example.it',
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms',
      VARCO_TRUSTED_PROXIES: '127.0.0.1',
      VARCO_AUDIT_SEAL_KEY: randomBytes(32).toString('hex'),
      VARCO_ALLOW_EMBEDDED_DB: 'true',
      VARCO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'varco-proxy-')),
      VARCO_RATE_LIMIT_REQUESTS: '10000',
      LOG_LEVEL: 'silent',
    });
    const app = await buildApp({ config, db, hasher: createPinHasher(config.argon2), box: createSecretBox(config.secretKey), logger: false });
    app.get('/test/seen-as', async (req) => ({ protocol: req.protocol, ip: req.ip }));
    await app.ready();
    try {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
      const viaProxy = await app.inject({ url: '/test/seen-as', remoteAddress: '127.0.0.1', headers });
      expect(viaProxy.json()).toEqual({ protocol: 'https', ip: '203.0.113.9' });
      const direct = await app.inject({ url: '/test/seen-as', remoteAddress: '198.51.100.7', headers });
      expect(direct.json()).toEqual({ protocol: 'http', ip: '198.51.100.7' });

      for (const remoteAddress of ['127.0.0.1', '198.51.100.7']) {
        const page = await app.inject({ url: '/pin/richiesta', remoteAddress, headers });
        expect(page.statusCode).toBe(200);
        expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        const cookies = [page.headers['set-cookie'] ?? []].flat();
        expect(cookies.length).toBeGreaterThan(0);
        for (const c of cookies) expect(c).toMatch(/;\s*Secure/i);
      }
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
