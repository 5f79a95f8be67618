import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { DEMO_CITIZENS, DEMO_OPERATORS, DemoDataRefused, demoBanner, seedDemoData } from '../src/dev/demo.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { totpCode } from '../src/security/totp.js';
import { type TestApp, Client, buildTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { spawnServe } from './support/serve.js';
import { productionEnv } from './support/config.js';
import { auditOf } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const KEY = '11'.repeat(32);
const SEAL_KEY = '22'.repeat(32);

/** The values as the terminal shows them: the test reads them back from the banner, not from the constants. */
function printed(banner: string) {
  const citizens = [...banner.matchAll(/^ {2}([A-Z0-9]{16}) {2}PIN ([A-Z0-9]{8}) {2}PIN (ordinario|dispositivo)/gm)].map((m) => ({
    cf: m[1]!,
    pin: m[2]!,
    level: m[3]!,
  }));
  const operators = [...banner.matchAll(/^ {2}(demo\.\S+)\s+(\S+)\s+password (\S+)\s+TOTP secret ([A-Z2-7]+)/gm)].map((m) => ({
    username: m[1]!,
    role: m[2]!,
    password: m[3]!,
    secret: m[4]!,
  }));
  return { citizens, operators };
}

async function citizenLogin(t: TestApp, cf: string, pin: string) {
  const client = new Client(t.app);
  await client.get('/accedi');
  const res = await client.post('/accedi', { codiceFiscale: cf, pin });
  return { client, res };
}

describe.each(ENGINES)('Demo data (issue 13 §3) on %s', (engine) => {
  let t: TestApp;
  const seed = () => seedDemoData({ db: t.db, hasher, box: createSecretBox(t.config.secretKey), config: t.config });
  beforeAll(async () => {
    t = await buildTestApp(engine, {}, { hasher });
  });
  afterAll(async () => {
    await t.close();
  });

  it('development seeds a citizen with a PIN ordinario, one with a PIN dispositivo and an operator per role; the printed values log in', async () => {
    expect(t.config).toMatchObject({ mode: 'development', demoData: true });
    const report = await seed();
    expect(report.citizens.map((c) => c.status)).toEqual(['created', 'created']);
    expect(report.operators.map((o) => o.status)).toEqual(['created', 'created', 'created']);
    const banner = demoBanner(report, t.config.publicUrl);
    const shown = printed(banner);
    expect(shown.citizens.map((c) => c.level).sort()).toEqual(['dispositivo', 'ordinario']);
    expect(shown.operators.map((o) => o.role).sort()).toEqual(['contact-center', 'sede', 'supervisore']);

    // PINs are stored as argon2id hashes, never in clear.
    const creds = await t.db
      .selectFrom('credentials')
      .innerJoin('citizens', 'citizens.id', 'credentials.citizen_id')
      .select(['codice_fiscale', 'pin_hash', 'dispositivo', 'state'])
      .execute();
    for (const c of shown.citizens) {
      const row = creds.find((r) => r.codice_fiscale === c.cf)!;
      expect(row.pin_hash).toMatch(/^\$argon2id\$/);
      expect(row.pin_hash).not.toContain(c.pin);
      expect(row).toMatchObject({ state: 'active', dispositivo: c.level === 'dispositivo' });
    }

    for (const c of shown.citizens) {
      const { client, res } = await citizenLogin(t, c.cf, c.pin);
      expect(res.statusCode, c.cf).toBe(303);
      expect(res.headers.location).toBe('/bacheca');
      expect((await client.get('/bacheca')).statusCode).toBe(200);
      const session = await t.db
        .selectFrom('sessions')
        .innerJoin('citizens', 'citizens.id', 'sessions.citizen_id')
        .select('sessions.level')
        .where('codice_fiscale', '=', c.cf)
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow();
      expect(session.level).toBe(c.level);
    }

    for (const o of shown.operators) {
      const client = new Client(t.app);
      await client.get('/backoffice/accedi');
      const res = await client.post('/backoffice/accedi', { username: o.username, password: o.password, totp: totpCode(o.secret, new Date()) });
      expect(res.headers.location, o.username).toBe('/backoffice');
      expect((await client.get('/backoffice')).statusCode).toBe(200);
    }

    // Audited, with no secret in the records.
    const events = await auditOf(t.db, { event: 'demo.seeded' }).select(['actor', 'subject_cf', 'details']).execute();
    expect(events).toHaveLength(DEMO_CITIZENS.length + DEMO_OPERATORS.length);
    expect(events.every((e) => e.actor === 'system:demo')).toBe(true);
    const all = JSON.stringify(events);
    for (const v of [...DEMO_CITIZENS.map((c) => c.pin), ...DEMO_OPERATORS.flatMap((o) => [o.password, o.totpSecret])]) expect(all).not.toContain(v);
  });

  it('a second start creates and changes nothing; a PIN the citizen changed is kept and the banner says so', async () => {
    const count = async () => ({
      citizens: (await t.db.selectFrom('citizens').select('id').execute()).length,
      credentials: await t.db.selectFrom('credentials').select(['id', 'pin_hash']).orderBy('id').execute(),
      operators: await t.db.selectFrom('operators').select(['id', 'password_hash', 'totp_secret_sealed']).orderBy('id').execute(),
      audit: (await auditOf(t.db, { event: 'demo.seeded' }).select('id').execute()).length,
    });
    const before = await count();
    const again = await seed();
    expect([...again.citizens, ...again.operators].every((r) => r.status === 'unchanged')).toBe(true);
    expect(await count()).toEqual(before);
    expect(demoBanner(again, t.config.publicUrl)).not.toMatch(/created now|CHANGED|DISABLED|NO LIVE PIN/);

    const mario = DEMO_CITIZENS.find((c) => !c.dispositivo)!;
    const { client } = await citizenLogin(t, mario.codiceFiscale, mario.pin);
    await client.get('/accedi/cambio-pin');
    const changed = await client.post('/accedi/cambio-pin', { current: mario.pin, pin: 'H7RW4KNT', confirm: 'H7RW4KNT' });
    expect(changed.statusCode, changed.body.slice(0, 300)).toBe(303);
    const third = await seed();
    expect(third.citizens.find((c) => c.codiceFiscale === mario.codiceFiscale)!.status).toBe('pin_changed');
    expect(demoBanner(third, t.config.publicUrl)).toContain('PIN CHANGED since it was seeded');
    expect((await citizenLogin(t, mario.codiceFiscale, 'H7RW4KNT')).res.headers.location).toBe('/bacheca');
    expect((await citizenLogin(t, mario.codiceFiscale, mario.pin)).res.statusCode).toBe(401);
  });
});

describe.each(ENGINES)('Demo data seeded by an earlier version on %s', (engine) => {
  it('the demo citizen whose random PIN nobody knew gets the documented PIN once, audited as a reset; later starts leave it', async () => {
    const t = await buildTestApp(engine, {}, { hasher });
    try {
      const mario = DEMO_CITIZENS.find((c) => !c.dispositivo)!;
      // As the earlier seeding wrote it: an active credential with a random PIN, no demo.seeded record.
      const citizenId = randomUUID();
      await t.db
        .insertInto('citizens')
        .values({
          id: citizenId,
          codice_fiscale: mario.codiceFiscale,
          cognome: mario.cognome,
          nome: mario.nome,
          data_nascita: mario.dataNascita,
          sesso: mario.sesso,
          luogo_nascita: mario.luogoNascita,
          residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: '1', provincia: 'PI', comune: 'A562', cap: '56017' }),
          telefono_abitazione: null,
          cellulare: mario.cellulare,
          email: mario.email,
          pec: null,
          telefono_preferenziale: 'cellulare',
          orario_preferenziale: 'any',
          locale: 'it',
        })
        .execute();
      await t.db
        .insertInto('credentials')
        .values({ id: randomUUID(), citizen_id: citizenId, state: 'active', pin_hash: await hasher.hash(randomUUID()), dispositivo: false, channel: 'sede' })
        .execute();
      const seed = () => seedDemoData({ db: t.db, hasher, box: createSecretBox(t.config.secretKey), config: t.config });
      const first = await seed();
      expect(first.citizens.find((c) => c.codiceFiscale === mario.codiceFiscale)!.status).toBe('reset');
      expect((await citizenLogin(t, mario.codiceFiscale, mario.pin)).res.headers.location).toBe('/bacheca');
      const resets = await auditOf(t.db, { event: 'demo.seeded', cf: mario.codiceFiscale }).select('details').execute();
      expect(resets.map((r) => r.details)).toEqual([expect.objectContaining({ kind: 'citizen', level: 'ordinario', reset: true })]);
      expect((await seed()).citizens.find((c) => c.codiceFiscale === mario.codiceFiscale)!.status).toBe('unchanged');
    } finally {
      await t.close();
    }
  });
});

describe('Demo data outside development', () => {
  it('production refuses VARCO_DEMO_DATA, and the seeding refuses a production configuration', async () => {
    const production = { ...productionEnv(KEY, SEAL_KEY), VARCO_ALLOW_EMBEDDED_DB: 'true' };
    expect(() => loadConfig({ ...production, VARCO_DEMO_DATA: 'true' })).toThrow(ConfigError);
    const config = loadConfig(production);
    expect(config.demoData).toBe(false);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'varco-demo-'));
    const db = await openDatabase({ databaseUrl: undefined, dataDir });
    try {
      const box = createSecretBox(config.secretKey);
      await expect(seedDemoData({ db, hasher, box, config })).rejects.toThrow(DemoDataRefused);
      await expect(seedDemoData({ db, hasher, box, config: { mode: 'production', demoData: true } })).rejects.toThrow(DemoDataRefused);
      await expect(seedDemoData({ db, hasher, box, config: { mode: 'development', demoData: false } })).rejects.toThrow(DemoDataRefused);
    } finally {
      await db.destroy();
    }
  });
});

describe('npm start (varco serve) in development', () => {
  it('prints the demo values as plain lines before the JSON log, and a restart prints them again without creating anything', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'varco-demo-serve-'));
    const env = { VARCO_MODE: 'development', VARCO_DATA_DIR: dataDir, LOG_LEVEL: 'info', VARCO_WORKER_IN_PROCESS: 'false' };
    const outputs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const served = await spawnServe(env);
      await fetch(`${served.baseUrl}/healthz`);
      outputs.push(served.output());
      expect(await served.close()).toBe(0);
    }
    for (const out of outputs) {
      const lines = out.split('\n');
      const bannerAt = lines.findIndex((l) => l.includes('Demo data (development only'));
      const firstJson = lines.findIndex((l) => l.startsWith('{'));
      expect(bannerAt).toBeGreaterThanOrEqual(0);
      expect(firstJson).toBeGreaterThan(bannerAt);
      const shown = printed(out);
      expect(shown.citizens).toHaveLength(2);
      expect(shown.operators).toHaveLength(3);
      expect(out.match(/Demo data \(development only/g)).toHaveLength(1);
    }
    expect(outputs[0]).toContain('created now');
    expect(outputs[1]).not.toContain('created now');
    expect(outputs[1]).not.toContain('CHANGED');
  }, 240_000);
});
