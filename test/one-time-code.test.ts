import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { confirmNotice, updateNotice, MAX_NOTICE_CODE_FAILURES } from '../src/flows/certificati/service.js';
import { confirmContactChange, MAX_CONTACT_CODE_FAILURES, requestContactChange } from '../src/flows/recapiti/service.js';
import { confirmRipristino, MAX_CODE_FAILURES } from '../src/flows/ripristino/service.js';
import { createPinHasher } from '../src/security/hasher.js';
import { recordWrongCode } from '../src/security/one-time-code.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { ENGINES, useFreshDatabase } from './support/db.js';
import { givenCitizenWithPin } from './support/pins.js';
import { secretSentTo } from './support/rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const box = createSecretBox(Buffer.alloc(32, 7));
const now = new Date('2026-06-01T10:00:00Z');
const ATTACK = 20;

/** F12: wrong codes sent together, as a script would, against a code that allows 5. */
describe.each(ENGINES)('one-time codes under concurrent wrong attempts (F12) on %s', (engine) => {
  const t = useFreshDatabase(engine);
  const ctx = (cf: string) => ({ actor: `citizen:${cf}`, ip: '198.51.100.7', cf });

  const secretSent = (template: string, recipient: string) => secretSentTo(t.db, box, template, recipient);

  it('counts at most max wrong codes, in one statement; the code is burnt and stays burnt', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const id = randomUUID();
    await t.db
      .insertInto('contact_changes')
      .values({ id, citizen_id: c.citizenId, kind: 'email', new_value: 'x@example.org', code_hmac: 'h', expires_at: new Date(now.getTime() + 60_000) })
      .execute();
    const counts = await Promise.all(Array.from({ length: ATTACK }, () => recordWrongCode(t.db, 'contact_changes', id, 5, now)));
    expect(counts.filter((n) => n !== undefined).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(counts.filter((n) => n === undefined)).toHaveLength(ATTACK - 5);
    const row = await t.db.selectFrom('contact_changes').select(['failed_attempts', 'used_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(5);
    expect(row.used_at).not.toBeNull();
  });

  it('contact verification (recapiti): 20 wrong codes at once, then the right one is refused', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const deps = { db: t.db, box, now: () => now, publicUrl: 'http://localhost', notMeLinkDays: 30 };
    const to = `nuovo.${c.citizenId}@example.org`;
    const id = await requestContactChange(deps, c.citizenId, 'email', to, ctx(c.codiceFiscale));
    const code = await secretSent('contact.code', to);
    const results = await Promise.all(Array.from({ length: ATTACK }, () => confirmContactChange(deps, c.citizenId, 'AAAAAAAA', ctx(c.codiceFiscale))));
    expect(results.every((r) => !r.ok)).toBe(true);
    const row = await t.db.selectFrom('contact_changes').select(['failed_attempts', 'used_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(MAX_CONTACT_CODE_FAILURES);
    expect(row.used_at).not.toBeNull();
    expect(await confirmContactChange(deps, c.citizenId, code, ctx(c.codiceFiscale))).toEqual({ ok: false });
    expect((await t.db.selectFrom('citizens').select('email').where('id', '=', c.citizenId).executeTakeFirstOrThrow()).email).toBe(
      'giuseppe.verdi@example.org',
    );
  });

  it('certificate notices (certificati): 20 wrong codes at once, then the right one is refused', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const deps = { db: t.db, box, now: () => now };
    const to = `avvisi.${c.citizenId}@pec.example.it`;
    expect(await updateNotice(deps, c.citizenId, 'pec', to, true, ctx(c.codiceFiscale))).toEqual({ status: 'verify' });
    const code = await secretSent('certificato.code', to);
    const results = await Promise.all(Array.from({ length: ATTACK }, () => confirmNotice(deps, c.citizenId, 'pec', 'AAAAAAAA', ctx(c.codiceFiscale))));
    expect(results.every((r) => r === false)).toBe(true);
    const row = await t.db
      .selectFrom('certificate_notice_changes')
      .select(['failed_attempts', 'used_at'])
      .where('citizen_id', '=', c.citizenId)
      .executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(MAX_NOTICE_CODE_FAILURES);
    expect(row.used_at).not.toBeNull();
    expect(await confirmNotice(deps, c.citizenId, 'pec', code, ctx(c.codiceFiscale))).toBe(false);
    expect(await t.db.selectFrom('certificate_notices').select('address').where('citizen_id', '=', c.citizenId).execute()).toEqual([]);
  });

  it('codice di ripristino: 20 wrong codes at once, then the right one is refused', async () => {
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
    const deps = {
      db: t.db,
      box,
      hasher,
      now: () => now,
      codeTtlMinutes: 60,
      publicUrl: 'http://localhost',
      contactSecurity: { coolOffDays: 14, notMeLinkDays: 30, previousNoticeDays: 90 },
    };
    const code = 'K7X9M3P4';
    const id = randomUUID();
    await t.db
      .insertInto('ripristino_codes')
      .values({
        id,
        citizen_id: c.citizenId,
        code_hmac: box.fingerprint(`ripristino:${code}`),
        contacts: JSON.stringify({ first: { channel: 'sms', to: '+393331234567' }, second: { channel: 'email', to: 'giuseppe.verdi@example.org' } }),
        expires_at: new Date(now.getTime() + 3_600_000),
      })
      .execute();
    const actx = { actor: 'anonymous', ip: '198.51.100.7' };
    const results = await Promise.all(
      Array.from({ length: ATTACK }, () => confirmRipristino(deps, { codiceFiscale: c.codiceFiscale, code: 'AAAAAAAA' }, actx)),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    const row = await t.db.selectFrom('ripristino_codes').select(['failed_attempts', 'used_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(MAX_CODE_FAILURES);
    expect(row.used_at).not.toBeNull();
    expect(await confirmRipristino(deps, { codiceFiscale: c.codiceFiscale, code }, actx)).toEqual({ ok: false });
  });
});
