import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { omocodiaFamily, omocodiaVariant, parseCf } from '../src/domain/codice-fiscale/index.js';
import { hasLivePin } from '../src/flows/richiesta/service.js';
import { letterQuotaReached, reserveSmsCode } from '../src/outbox/quotas.js';
import { unleasedRow } from './support/outbox.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { createPinHasher } from '../src/security/hasher.js';
import { type TestApp, Client, buildTestApp } from './support/app.js';
import { type FormCitizen, italianCitizen } from './support/citizens.js';
import { ENGINES } from './support/db.js';
import { givenCitizenWithPin, givenResidence } from './support/pins.js';
import { auditOf } from './support/rows.js';

/**
 * docs/security.md, found by an outside test: an omocodic variant of a codice fiscale holding a PIN
 * is a distinct code, and R1 (one PIN per CF) asked about the exact code only.
 */
const hasher = createPinHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });

/** A variant with letters where the Agenzia never puts them alone (the 7th numeric position only): parseCf accepts it. */
function oddVariant(cf: string): string {
  const family = omocodiaFamily(cf);
  return family[1 << 6]!;
}

async function firstStep(t: TestApp, cf: string) {
  const client = new Client(t.app);
  await client.get('/pin/richiesta');
  return { client, res: await client.post('/pin/richiesta', { codiceFiscale: cf, residenza: 'IT' }) };
}

describe('the omocodia family of a codice fiscale', () => {
  it('holds the base code and its 127 variants, each valid and mapped back to the base', () => {
    const c = italianCitizen().codiceFiscale;
    const family = omocodiaFamily(c);
    expect(new Set(family).size).toBe(128);
    expect(family[0]).toBe(c);
    for (const level of [1, 3, 7]) expect(family).toContain(omocodiaVariant(c, level));
    for (const v of family) {
      const p = parseCf(v);
      expect(p.ok && p.value.canonical, v).toBe(c);
    }
    // From any member, the same family.
    expect(omocodiaFamily(omocodiaVariant(c, 2)).sort()).toEqual([...family].sort());
  });
});

describe.each(ENGINES)('R1 and omocodic variants on %s', (engine) => {
  for (const mode of ['typed', 'table'] as const) {
    describe(`residence registry ${mode}`, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await buildTestApp(engine, { VARCO_RESIDENCE_REGISTRY: mode }, { hasher });
      });
      afterAll(async () => {
        await t.close();
      });

      it('a variant of a CF holding a PIN is refused at the first step, as the CF itself (R1)', async () => {
        const holder = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
        for (const cf of [
          holder.codiceFiscale,
          omocodiaVariant(holder.codiceFiscale, 1),
          omocodiaVariant(holder.codiceFiscale, 7),
          oddVariant(holder.codiceFiscale),
        ]) {
          const { res } = await firstStep(t, cf);
          expect(res.statusCode, cf).toBe(409);
          expect(res.body).toContain('ha già un PIN assegnato');
        }
        const refused = await auditOf(t.db, { event: 'pin.request_refused' }).select(['subject_cf', 'details']).execute();
        expect(
          refused.filter(
            (r) => (r.details as { reason: string }).reason === 'already_assigned' && omocodiaFamily(holder.codiceFiscale).includes(r.subject_cf!),
          ),
        ).toHaveLength(4);
        // And the other way round: a PIN held under a variant stops the base code.
        const underVariant = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
        const variant = omocodiaVariant(underVariant.codiceFiscale, 2);
        await t.db.updateTable('citizens').set({ codice_fiscale: variant }).where('id', '=', underVariant.citizenId).execute();
        expect((await firstStep(t, underVariant.codiceFiscale)).res.statusCode).toBe(409);
      });

      it('R1 in the service: family for requests nobody identified, exact where the identity was proven (a sede, a SPID/CIE/CNS session)', async () => {
        const holder = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
        const variant = omocodiaVariant(holder.codiceFiscale, 1);
        expect(await hasLivePin(t.db, variant)).toBe(true);
        expect(await hasLivePin(t.db, variant, 'family')).toBe(true);
        expect(await hasLivePin(t.db, variant, 'exact')).toBe(false);
        expect(await hasLivePin(t.db, holder.codiceFiscale, 'exact')).toBe(true);
      });

      it('the per-CF quotas count a CF and its variants together: SMS codes per day, letters per window (issue 12 F6)', async () => {
        const base = italianCitizen().codiceFiscale;
        const quotas = { ...t.config.messageQuotas, smsPerCfDay: 2, smsPerNumberDay: 100, smsCooldownSeconds: 0 };
        const deps = { db: t.db, box: createSecretBox(t.config.secretKey), now: () => new Date(), quotas };
        const send = (cf: string, n: number) =>
          reserveSmsCode(deps, { cf, number: `+39347123${String(n).padStart(4, '0')}`, flow: 'richiesta' }, { actor: 'anonymous' });
        expect(await send(base, 1)).toEqual({ ok: true });
        expect(await send(omocodiaVariant(base, 1), 2)).toEqual({ ok: true });
        expect(await send(omocodiaVariant(base, 7), 3)).toEqual({ ok: false, limit: 'sms_cf_day' });
        expect(await send(oddVariant(base), 4)).toEqual({ ok: false, limit: 'sms_cf_day' });

        const holder = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4' });
        const letters = { ...t.config.messageQuotas, lettersPerCf: 2 };
        const letterDeps = { db: t.db, now: () => new Date(), quotas: letters };
        const variant = omocodiaVariant(holder.codiceFiscale, 3);
        expect(await letterQuotaReached(letterDeps, variant, { actor: 'anonymous' })).toBe(false);
        for (let i = 0; i < 2; i++) {
          await t.db
            .insertInto('outbox_messages')
            .values({
              id: randomUUID(),
              channel: 'letter',
              template: 'pin_second_half',
              recipient: 'Via Roma 1',
              locale: 'it',
              params: '{}',
              ...unleasedRow(),
              citizen_id: holder.citizenId,
              state: 'sent',
              sent_at: new Date(),
            })
            .execute();
        }
        expect(await letterQuotaReached(letterDeps, variant, { actor: 'anonymous' })).toBe(true);
        expect(await letterQuotaReached(letterDeps, holder.codiceFiscale, { actor: 'anonymous' })).toBe(true);
      });

      if (mode === 'table') {
        it('production table mode: a fabricated variant has no residence in the registry, so the request is refused and no PIN is made', async () => {
          const c: FormCitizen = italianCitizen();
          await givenResidence(t.db, c.codiceFiscale);
          const variant = omocodiaVariant(c.codiceFiscale, 1);
          const { client, res } = await firstStep(t, variant);
          expect(res.statusCode).toBe(303);
          await client.follow(res);
          const step2 = await client.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' });
          expect(step2.statusCode, /id="error-summary"[\s\S]*?<\/div>/.exec(step2.body)?.[0]).toBe(303);
          await client.follow(step2);
          const confirm = await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
          if (confirm.statusCode === 303) await client.follow(confirm);
          expect(await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', variant).execute()).toEqual([]);
          const refused = await auditOf(t.db, { event: 'pin.request_refused', cf: variant }).select('details').execute();
          expect(refused.map((r) => (r.details as { reason: string }).reason)).toEqual(['no_residence']);
        });
      }
    });
  }
});
