import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createOperator } from '../src/backoffice/operatori/service.js';
import { createOperatorSession } from '../src/backoffice/accesso/service.js';
import type { OperatorRole } from '../src/db/schema.js';
import type { MessageQuotas } from '../src/config/config.js';
import { processRipristinoRequests } from '../src/flows/ripristino/service.js';
import { createDevMailboxChannel } from '../src/outbox/channels/dev-mailbox.js';
import { enqueue } from '../src/outbox/outbox.js';
import { reserveSmsCode } from '../src/outbox/quotas.js';
import { createWorker } from '../src/outbox/worker.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { Client, type TestApp, useTestApp } from './support/app.js';
import { type FormCitizen, italianCitizen } from './support/citizens.js';
import { ENGINES } from './support/db.js';
import { loginOperator } from './support/operators.js';
import { givenCitizenWithPin, loggedInCitizen } from './support/pins.js';
import { auditOf, outboxOf } from './support/rows.js';

/**
 * Issue 12 F6 (SMS pumping): before, any E.164 number (premium ranges such as +882) received
 * codes from every form, limited only per IP. Each test below reproduces one way of it.
 */
const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });

/** The shipped defaults (test/support/app.ts relaxes them for the other test files). */
const DEFAULTS = {
  VARCO_SMS_PER_CF_DAY: '6',
  VARCO_SMS_PER_NUMBER_DAY: '6',
  VARCO_SMS_COOLDOWN_SECONDS: '60',
  VARCO_LETTERS_PER_CF: '2',
  VARCO_LETTER_WINDOW_DAYS: '30',
};
const REFUSED_COUNTRY = 'Gli SMS si inviano solo a numeri +39: indica email o PEC';
const TOO_MANY = 'Troppi SMS inviati oggi';
const PREMIUM = '+882 1234 56789';

/** A back-office page seen by an operator of that role, signed in at the app's clock (TOTP is F4's test). */
async function operatorGet(t: TestApp, now: Date, role: OperatorRole, username: string, url: string) {
  const op = await createOperator(t.db, hasher, createSecretBox(t.config.secretKey), { username, displayName: username, role });
  const session = await createOperatorSession(t.db, op.id, null, now);
  return t.app.inject({ method: 'GET', url, headers: { cookie: `varco_operator=${session}` } });
}

async function startRequest(client: Client, c: FormCitizen) {
  await client.get('/pin/richiesta');
  return client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: c.residenza });
}

/** Step 1 to CONFERMA; the answer of CONFERMA. */
async function requestUpToConfirm(client: Client, c: FormCitizen) {
  const step1 = await startRequest(client, c);
  expect(step1.headers.location, step1.body.slice(0, 300)).toBe('/pin/richiesta/dati');
  await client.follow(step1);
  const step2 = await client.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' });
  expect(step2.statusCode, /id="error-summary"[\s\S]*?<\/div>/.exec(step2.body)?.[0]).toBe(303);
  await client.follow(step2);
  return client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
}

describe.each(ENGINES)('SMS pumping (issue 12 F6) on %s', (engine) => {
  // The app's clock starts at the real time (the outbox rows' created_at is the database's).
  let now = new Date();
  const later = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  const t = useTestApp(engine, DEFAULTS, { now: () => now, hasher });

  const hits = (limit: string, cf?: string) => {
    let q = auditOf(t.db, { event: 'quota.exceeded' })
      .select(['subject_cf', 'details', 'actor'])
      .where(sql<string>`details->>'limit'`, '=', limit);
    if (cf) q = q.where('subject_cf', '=', cf);
    return q.execute();
  };
  const smsTo = (digits: string) =>
    t.db.selectFrom('outbox_messages').select(['template', 'recipient']).where('channel', '=', 'sms').where('recipient', 'like', `%${digits}`).execute();

  it('a +882 cellulare is refused at the field of every form that takes one (it, de, en); telefono abitazione is not an SMS target', async () => {
    // Request form (web).
    const web = new Client(t.app);
    const c = italianCitizen();
    await startRequest(web, c);
    const refused = await web.post('/pin/richiesta/dati', { ...c.form, cellulare: PREMIUM, azione: 'avanti' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(REFUSED_COUNTRY);
    expect(refused.body).toMatch(/href="#f-cellulare"/);
    // The same request without a cellulare but with a foreign landline goes through.
    const landline = await web.post('/pin/richiesta/dati', {
      ...c.form,
      cellulare: '',
      telefonoAbitazione: '+41 44 123 45 67',
      telefonoPreferenziale: 'abitazione',
      azione: 'avanti',
    });
    expect(landline.statusCode).toBe(303);

    for (const [lang, text] of [
      ['de', 'SMS werden nur an Nummern +39 gesendet'],
      ['en', 'Text messages are sent only to +39 numbers'],
    ] as const) {
      const client = new Client(t.app, { 'accept-language': lang });
      const other = italianCitizen();
      await startRequest(client, other);
      const res = await client.post('/pin/richiesta/dati', { ...other.form, cellulare: PREMIUM, azione: 'avanti' });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(text);
    }

    // Profile contacts.
    const citizen = await loggedInCitizen(t, hasher);
    await citizen.client.get('/profilo/recapiti');
    const contact = await citizen.client.post('/profilo/recapiti', { tipo: 'cellulare', valore: PREMIUM });
    expect(contact.statusCode).toBe(422);
    expect(contact.body).toContain(REFUSED_COUNTRY);

    // Certificati di malattia: SMS notices.
    await citizen.client.get('/certificati-malattia/sms');
    const notice = await citizen.client.post('/certificati-malattia/sms', { indirizzo: PREMIUM, stato: 'attivo' });
    expect(notice.statusCode).toBe(422);
    expect(notice.body).toContain(REFUSED_COUNTRY);

    // Ripristino.
    const rip = new Client(t.app);
    await rip.get('/pin/ripristino');
    const ripRes = await rip.post('/pin/ripristino', { codiceFiscale: citizen.c.codiceFiscale, cellulare: PREMIUM, email: 'giuseppe.verdi@example.org' });
    expect(ripRes.statusCode).toBe(422);
    expect(ripRes.body).toContain(REFUSED_COUNTRY);

    // Back office: a contact-center operator's request for a caller.
    // The TOTP code of the app's clock, not the wall clock (a loaded machine takes longer than a step).
    const { client: op } = await loginOperator(t, 'contact-center', `cc.sms.${engine}`, undefined, now);
    const caller = italianCitizen();
    await op.get('/backoffice/richiesta');
    const bo1 = await op.post('/backoffice/richiesta', { codiceFiscale: caller.codiceFiscale, residenza: caller.residenza });
    await op.follow(bo1);
    const bo2 = await op.post('/backoffice/richiesta/dati', { ...caller.form, cellulare: PREMIUM, azione: 'avanti' });
    expect(bo2.statusCode).toBe(422);
    expect(bo2.body).toContain(REFUSED_COUNTRY);

    expect(await outboxOf(t.db, { recipient: '+882%' }).select('id').execute()).toEqual([]);
  });

  it('the 7th SMS code for one codice fiscale in a day is refused, audited, and shown to supervisori', async () => {
    const { c, client } = await loggedInCitizen(t, hasher);
    await client.get('/certificati-malattia/sms');
    for (let i = 1; i <= 6; i++) {
      later(61);
      const res = await client.post('/certificati-malattia/sms', { indirizzo: `340 000000${i}`, stato: 'attivo' });
      expect(res.headers.location, `SMS ${i}`).toBe('/certificati-malattia/sms/verifica');
      await client.get('/certificati-malattia/sms');
    }
    later(61);
    const seventh = await client.post('/certificati-malattia/sms', { indirizzo: '340 0000007', stato: 'attivo' });
    expect(seventh.statusCode).toBe(429);
    expect(seventh.body).toContain(TOO_MANY);
    expect(seventh.body).toContain('usa email o PEC');
    const codes = await outboxOf(t.db, { citizenId: c.citizenId, template: 'certificato.code' }).select('recipient').execute();
    expect(codes.map((m) => m.recipient).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `+39340000000${i}`));
    const [hit] = await hits('sms_cf_day', c.codiceFiscale);
    expect(hit).toMatchObject({ actor: `citizen:${c.codiceFiscale}`, details: { flow: 'certificati', number: '+39340•••007' } });

    expect((await operatorGet(t, now, 'supervisore', `sup.home.${engine}`, '/backoffice')).body).toContain('href="/backoffice/limiti"');
    const list = await operatorGet(t, now, 'supervisore', `sup.sms.${engine}`, '/backoffice/limiti');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('SMS per codice fiscale al giorno (6)');
    expect(list.body).toContain(c.codiceFiscale);
    expect(list.body).toContain('Nessun tetto giornaliero configurato');
    expect((await operatorGet(t, now, 'contact-center', `cc.limiti.${engine}`, '/backoffice/limiti')).statusCode).toBe(403);
  });

  it('a cooldown separates two SMS codes to one codice fiscale', async () => {
    later(3600);
    const { c, client } = await loggedInCitizen(t, hasher);
    await client.get('/profilo/recapiti');
    expect((await client.post('/profilo/recapiti', { tipo: 'cellulare', valore: '341 1000001', pin: 'K7X9M3P4' })).headers.location).toBe(
      '/profilo/recapiti/verifica',
    );
    later(30);
    await client.get('/profilo/recapiti');
    const soon = await client.post('/profilo/recapiti', { tipo: 'cellulare', valore: '341 1000002', pin: 'K7X9M3P4' });
    expect(soon.statusCode).toBe(429);
    expect(soon.body).toContain('attendi un minuto');
    expect(await hits('sms_cooldown', c.codiceFiscale)).toHaveLength(1);
    later(31);
    await client.get('/profilo/recapiti');
    expect((await client.post('/profilo/recapiti', { tipo: 'cellulare', valore: '341 1000002', pin: 'K7X9M3P4' })).headers.location).toBe(
      '/profilo/recapiti/verifica',
    );
  });

  it('one number gets at most 6 SMS codes a day across codici fiscali; the 7th request can still go by email/PEC', async () => {
    later(3600);
    const number = '347 7000070';
    const citizens = Array.from({ length: 7 }, () => italianCitizen());
    for (const c of citizens.slice(0, 6)) {
      later(61);
      const done = await requestUpToConfirm(new Client(t.app), { ...c, form: { ...c.form, cellulare: number } });
      expect(done.headers.location).toBe('/pin/richiesta/esito');
    }
    later(61);
    const seventh = citizens[6]!;
    const client = new Client(t.app);
    const refused = await requestUpToConfirm(client, { ...seventh, form: { ...seventh.form, cellulare: number } });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain(TOO_MANY);
    expect(refused.body).toMatch(/href="#f-cellulare"/);
    expect(await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', seventh.codiceFiscale).execute()).toEqual([]);
    expect(await smsTo('7000070')).toHaveLength(6);
    expect(await hits('sms_number_day', seventh.codiceFiscale)).toHaveLength(1);
    // Without the cellulare (a landline and the email) the request completes.
    const step2 = await client.post('/pin/richiesta/dati', {
      ...seventh.form,
      cellulare: '',
      telefonoAbitazione: '050 123456',
      telefonoPreferenziale: 'abitazione',
      azione: 'avanti',
    });
    expect(step2.headers.location).toBe('/pin/richiesta/riepilogo');
    await client.follow(step2);
    expect((await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' })).headers.location).toBe('/pin/richiesta/esito');
  });

  it('the counting is atomic: concurrent requests for one number pass the limit exactly', async () => {
    const quotas: MessageQuotas = { ...t.config.messageQuotas, smsCooldownSeconds: 0 };
    const deps = { db: t.db, box: createSecretBox(t.config.secretKey), now: () => now, quotas };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        reserveSmsCode(deps, { cf: `RSSMRA80A01H50${String(i).padStart(2, '0')}`, number: '+393489990001', flow: 'richiesta' }, { actor: 'anonymous' }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(6);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.limit === 'sms_number_day')).toBe(true);
  });

  it('a third PIN request within 30 days stops before CONFERMA with a page pointing to a sede', async () => {
    const c = italianCitizen();
    for (let i = 0; i < 2; i++) {
      later(3600);
      expect((await requestUpToConfirm(new Client(t.app), c)).headers.location).toBe('/pin/richiesta/esito');
      // Seed 001: the PIN is revoked, then a new request follows.
      await t.db
        .updateTable('credentials')
        .set({ state: 'revoked' })
        .where('citizen_id', '=', (await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow()).id)
        .execute();
    }
    const client = new Client(t.app);
    const third = await startRequest(client, c);
    expect(third.statusCode).toBe(429);
    expect(third.body).toContain('id="letter-quota"');
    expect(third.body).toContain('rivolgiti a una sede');
    expect(third.body).not.toContain('CONFERMA');
    const [hit] = await hits('letters_cf', c.codiceFiscale);
    expect(hit).toMatchObject({ details: { limit: 'letters_cf', flow: 'richiesta' } });
    const citizenId = (await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow()).id;
    expect(await t.db.selectFrom('credentials').select('id').where('citizen_id', '=', citizenId).where('state', '!=', 'revoked').execute()).toEqual([]);

    // A flow opened before the letters went out is stopped at CONFERMA too.
    await t.db
      .updateTable('outbox_messages')
      .set({ created_at: new Date(now.getTime() - 31 * 86_400_000) })
      .where('citizen_id', '=', citizenId)
      .where('channel', '=', 'letter')
      .execute();
    const racing = new Client(t.app);
    const opened = await startRequest(racing, c);
    expect(opened.headers.location).toBe('/pin/richiesta/dati');
    await racing.follow(opened);
    const step2 = await racing.post('/pin/richiesta/dati', { ...c.form, azione: 'avanti' });
    await racing.follow(step2);
    await t.db.updateTable('outbox_messages').set({ created_at: now }).where('citizen_id', '=', citizenId).where('channel', '=', 'letter').execute();
    const confirm = await racing.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
    expect(confirm.statusCode).toBe(429);
    expect(confirm.body).toContain('id="letter-quota"');
    expect(await t.db.selectFrom('credentials').select('id').where('citizen_id', '=', citizenId).where('state', '!=', 'revoked').execute()).toEqual([]);
  });

  it('ripristino uses email and PEC when the cellulare on record is not in the allow-list', async () => {
    later(3600);
    const c = await givenCitizenWithPin(t.db, hasher, { pin: 'K7X9M3P4', pec: 'giuseppe.verdi@pec.example.it' });
    await t.db.updateTable('citizens').set({ cellulare: '+41791234567' }).where('id', '=', c.citizenId).execute();
    const box = createSecretBox(t.config.secretKey);
    const client = new Client(t.app);
    await client.get('/pin/ripristino');
    const withPhone = await client.post('/pin/ripristino', {
      codiceFiscale: c.codiceFiscale,
      cellulare: '+41 79 123 45 67',
      email: 'giuseppe.verdi@example.org',
    });
    expect(withPhone.statusCode).toBe(422);
    expect(withPhone.body).toContain(REFUSED_COUNTRY);
    const accepted = await client.post('/pin/ripristino', {
      codiceFiscale: c.codiceFiscale,
      email: 'giuseppe.verdi@example.org',
      pec: 'giuseppe.verdi@pec.example.it',
    });
    expect(accepted.statusCode).toBe(200);
    await processRipristinoRequests({
      db: t.db,
      box,
      hasher,
      now: () => now,
      codeTtlMinutes: 60,
      publicUrl: t.config.publicUrl,
      quotas: t.config.messageQuotas,
      contactSecurity: t.config.contactSecurity,
    });
    const mail = await outboxOf(t.db, { citizenId: c.citizenId, template: 'ripristino.code' })
      .select(['id', 'channel', 'secret_ciphertext'])
      .executeTakeFirstOrThrow();
    expect(mail.channel).toBe('email');
    const code = box.open(mail.secret_ciphertext!, mail.id);
    const confirming = new Client(t.app);
    await confirming.get('/pin/ripristino/conferma');
    const done = await confirming.post('/pin/ripristino/conferma', { codiceFiscale: c.codiceFiscale, codice: code });
    expect(done.statusCode).toBe(200);
    const halves = await outboxOf(t.db, { citizenId: c.citizenId, template: ['pin.restoredFirst', 'pin.restoredSecond'] })
      .select(['template', 'channel', 'recipient'])
      .orderBy('template')
      .execute();
    expect(halves).toEqual([
      { template: 'pin.restoredFirst', channel: 'email', recipient: 'giuseppe.verdi@example.org' },
      { template: 'pin.restoredSecond', channel: 'pec', recipient: 'giuseppe.verdi@pec.example.it' },
    ]);
    expect(await outboxOf(t.db, { citizenId: c.citizenId }).select('id').where('channel', '=', 'sms').execute()).toEqual([]);
  });
});

describe.each(ENGINES)('SMS global daily cap (issue 12 F6) on %s', (engine) => {
  const day1 = new Date('2026-12-02T21:00:00Z');
  const t = useTestApp(engine, { ...DEFAULTS, VARCO_SMS_GLOBAL_DAY: '2' }, { now: () => day1, hasher });

  it('sends past the cap stay queued (not dropped, not failed), supervisori are alerted once, and they go out the next day', async () => {
    const box = createSecretBox(t.config.secretKey);
    const sms = (n: number) => ({
      channel: 'sms' as const,
      template: 'contact.code' as const,
      recipient: `+3934000011${n}`,
      locale: 'it',
      params: { nome: 'MARIO', cognome: 'ROSSI' },
      secret: 'ABCD2345',
      citizenId: null,
    });
    const ids = await enqueue(t.db, box, [sms(1), sms(2), sms(3), { ...sms(4), channel: 'email', recipient: 'mario@example.org' }]);
    let workerNow = day1;
    const mailbox = createDevMailboxChannel(t.db);
    const worker = createWorker({
      db: t.db,
      box,
      channels: { sms: mailbox, email: mailbox },
      render: { istituto: 'INPS' },
      batchSize: 50,
      pollIntervalMs: 10,
      maxAttempts: 3,
      leaseSeconds: 30,
      smsGlobalDay: 2,
      now: () => workerNow,
    });
    const states = async () =>
      (await t.db.selectFrom('outbox_messages').select(['id', 'state', 'send_count']).where('id', 'in', ids).execute()).sort(
        (a, b) => ids.indexOf(a.id) - ids.indexOf(b.id),
      );

    await worker.runOnce();
    await worker.runOnce();
    const after = await states();
    expect(after.map((m) => m.state)).toEqual(['sent', 'sent', 'queued', 'sent']);
    expect(after[2]!.send_count).toBe(0);
    expect(await t.db.selectFrom('outbox_attempts').select('message_id').where('message_id', '=', ids[2]!).execute()).toEqual([]);
    const alerts = await auditOf(t.db, { event: 'sms.global_cap_reached' }).select(['actor', 'details']).execute();
    expect(alerts).toEqual([{ actor: 'system:worker', details: { day: '2026-12-02', cap: 2, queued: 1 } }]);

    const board = await operatorGet(t, day1, 'supervisore', `sup.cap.${engine}`, '/backoffice/limiti');
    expect(board.body).toContain('Oggi (2026-12-02) inviati 2 SMS su 2. SMS in attesa di invio: 1.');
    expect(board.body).toContain('id="bo-sms-cap-reached"');
    expect(board.body).toContain('Tetto giornaliero degli SMS raggiunto (2)');

    // 23:30 in Rome is still the same day; 00:30 the next one.
    workerNow = new Date('2026-12-02T22:30:00Z');
    await worker.runOnce();
    expect((await states())[2]!.state).toBe('queued');
    workerNow = new Date('2026-12-02T23:30:00Z');
    await worker.runOnce();
    expect((await states())[2]!.state).toBe('sent');
    expect(await auditOf(t.db, { event: 'sms.global_cap_reached' }).select('id').execute()).toHaveLength(1);
  });
});
