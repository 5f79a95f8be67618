import { describe, expect, it } from 'vitest';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { Client, useTestApp } from './support/app.js';
import { ENGINES } from './support/db.js';
import { processRipristino } from './support/ripristino.js';
import { loginOperator } from './support/operators.js';
import { givenCitizenWithPin } from './support/pins.js';
import { spidClient } from './support/sessions.js';
import { auditOf, outboxOf } from './support/rows.js';
import { contactHistoryOf } from './support/citizen-rows.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const PIN = 'K7X9M3P4';
const OLD_CELL = '+393331234567';
const OLD_MAIL = 'giuseppe.verdi@example.org';
const ACCEPTED = 'La richiesta di ripristino del PIN è stata accettata.';
const DAY = 86_400_000;

/**
 * Issue 12 F2: a hijacked ordinario session replaced cellulare and email (the codes went to the
 * new contacts), then an anonymous ripristino to those contacts handed over the PIN for good.
 */
describe.each(ENGINES)('contact change and ripristino (issue 12 F2) on %s', (engine) => {
  let now = new Date('2026-06-01T09:00:00Z').getTime();
  const clock = () => new Date(now);
  const box = () => createSecretBox(t.config.secretKey);
  const t = useTestApp(engine, {}, { now: clock, hasher });

  async function login(cf: string, pin = PIN) {
    const client = new Client(t.app);
    await client.get('/accedi');
    const res = await client.post('/accedi', { codiceFiscale: cf, pin });
    expect(res.headers.location).toBe('/bacheca');
    return client;
  }

  async function messages(citizenId: string, template: string) {
    const rows = await outboxOf(t.db, { citizenId, template })
      .select(['id', 'channel', 'recipient', 'secret_ciphertext', 'params'])
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      channel: r.channel,
      recipient: r.recipient,
      params: r.params,
      secret: r.secret_ciphertext ? box().open(r.secret_ciphertext, r.id) : '',
    }));
  }

  /** The whole contact change: the form (with the PIN when given), then the code sent to the new contact. */
  async function changeContact(client: Client, citizenId: string, tipo: string, valore: string, pin?: string) {
    await client.get('/profilo/recapiti');
    const asked = await client.post('/profilo/recapiti', { tipo, valore, ...(pin === undefined ? {} : { pin }) });
    if (asked.headers.location !== '/profilo/recapiti/verifica') return asked;
    const [code] = (await messages(citizenId, 'contact.code')).slice(-1);
    await client.get('/profilo/recapiti/verifica');
    return client.post('/profilo/recapiti/verifica', { codice: code!.secret });
  }

  async function ripristino(form: Record<string, string>) {
    const client = new Client(t.app);
    await client.get('/pin/ripristino');
    const res = await client.post('/pin/ripristino', form);
    await processRipristino(t, hasher, clock);
    return res;
  }

  async function confirmRipristino(cf: string, code: string) {
    const client = new Client(t.app);
    await client.get('/pin/ripristino/conferma');
    return client.post('/pin/ripristino/conferma', { codiceFiscale: cf, codice: code });
  }

  const contactsOf = async (citizenId: string) =>
    t.db.selectFrom('citizens').select(['cellulare', 'email']).where('id', '=', citizenId).executeTakeFirstOrThrow();
  const outcomes = async (cf: string) =>
    (await auditOf(t.db, { cf, event: 'ripristino.requested' }).select('details').execute()).map((e) => (e.details as { outcome: string }).outcome);

  it('the attack end to end: no contact change without the PIN; with it the old contacts are told; a ripristino to the new contacts waits out the cool-off and tells the old ones', async () => {
    const victim = await givenCitizenWithPin(t.db, hasher, { pin: PIN });
    const hijacked = await login(victim.codiceFiscale);

    // The hijacked session alone changes nothing: the current PIN is asked, and a wrong one counts under R9.
    const page = await hijacked.get('/profilo/recapiti');
    expect(page.body).toContain('name="pin"');
    const noPin = await changeContact(hijacked, victim.citizenId, 'email', 'intruso@example.net');
    expect(noPin.statusCode).toBe(422);
    expect(noPin.body).toContain('PIN attuale');
    const wrongPin = await changeContact(hijacked, victim.citizenId, 'cellulare', '+39 347 1111111', 'WRONG222');
    expect(wrongPin.statusCode).toBe(422);
    expect(wrongPin.body).toContain('PIN attuale: non corretto.');
    expect(await messages(victim.citizenId, 'contact.code')).toHaveLength(0);
    expect(await t.db.selectFrom('contact_changes').select('id').where('citizen_id', '=', victim.citizenId).execute()).toHaveLength(0);
    expect((await t.db.selectFrom('lockouts').select('failures').where('cf_key', '=', victim.codiceFiscale).executeTakeFirstOrThrow()).failures).toBe(1);
    expect(await contactsOf(victim.citizenId)).toEqual({ cellulare: OLD_CELL, email: OLD_MAIL });

    // Whoever knows the PIN changes both; each replaced contact is told, with its own link.
    expect((await changeContact(hijacked, victim.citizenId, 'email', 'intruso@example.net', PIN)).headers.location).toBe('/profilo?recapito=aggiornato');
    expect((await changeContact(hijacked, victim.citizenId, 'cellulare', '+39 347 1111111', PIN)).headers.location).toBe('/profilo?recapito=aggiornato');
    expect(await contactsOf(victim.citizenId)).toEqual({ cellulare: '+393471111111', email: 'intruso@example.net' });
    const told = await messages(victim.citizenId, 'contact.replaced');
    expect(told.map((m) => [m.channel, m.recipient])).toEqual([
      ['email', OLD_MAIL],
      ['sms', OLD_CELL],
    ]);
    for (const m of told) expect(m.secret).toMatch(new RegExp(`^${t.config.publicUrl}/non-sono-stato-io\\?t=[\\w-]{32}$`));
    expect(new Set(told.map((m) => m.secret)).size).toBe(2);
    const history = await contactHistoryOf(t.db, victim.citizenId).select(['kind', 'previous_value', 'new_value']).execute();
    expect(history).toEqual([
      { kind: 'email', previous_value: OLD_MAIL, new_value: 'intruso@example.net' },
      { kind: 'cellulare', previous_value: OLD_CELL, new_value: '+393471111111' },
    ]);

    // The anonymous ripristino to the new contacts: the same page as ever, but no code — an email says why.
    now += 13 * DAY;
    const refused = await ripristino({ codiceFiscale: victim.codiceFiscale, cellulare: '347 1111111', email: 'intruso@example.net' });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain(ACCEPTED);
    expect(await messages(victim.citizenId, 'ripristino.code')).toHaveLength(0);
    const [why] = await messages(victim.citizenId, 'ripristino.coolingOff');
    expect(why).toMatchObject({ channel: 'email', recipient: 'intruso@example.net' });
    expect(why!.params).toMatchObject({ days: '14' });
    expect(await outcomes(victim.codiceFiscale)).toEqual(['cooling_off']);

    // After the cool-off the ripristino goes through, and the replaced contacts hear of it.
    now += 2 * DAY;
    await ripristino({ codiceFiscale: victim.codiceFiscale, cellulare: '347 1111111', email: 'intruso@example.net' });
    const [code] = await messages(victim.citizenId, 'ripristino.code');
    expect(code).toBeDefined();
    expect((await confirmRipristino(victim.codiceFiscale, code!.secret)).statusCode).toBe(200);
    const previous = await messages(victim.citizenId, 'ripristino.previousContact');
    expect(previous.map((m) => [m.channel, m.recipient])).toEqual([
      ['email', OLD_MAIL],
      ['sms', OLD_CELL],
    ]);
    for (const m of previous) expect(m.secret).toContain('/non-sono-stato-io?t=');
    const completed = await auditOf(t.db, { cf: victim.codiceFiscale, event: 'ripristino.completed' }).select('details').executeTakeFirstOrThrow();
    expect(completed.details).toMatchObject({ previousContactsTold: 2 });
    now += 60 * DAY;
  });

  it('"Non sono stato io": confirmed on its page (a GET changes nothing), it ends the sessions, blocks ripristino and shows the Contact Center; single use; never reverts', async () => {
    const victim = await givenCitizenWithPin(t.db, hasher, { pin: PIN });
    const session = await login(victim.codiceFiscale);
    // A ripristino code already on its way dies with the report.
    await ripristino({ codiceFiscale: victim.codiceFiscale, cellulare: '333 1234567', email: OLD_MAIL });
    const [pendingCode] = await messages(victim.citizenId, 'ripristino.code');
    expect(pendingCode).toBeDefined();
    await changeContact(session, victim.citizenId, 'email', 'intruso2@example.net', PIN);
    const other = await login(victim.codiceFiscale);

    const [notice] = await messages(victim.citizenId, 'contact.replaced');
    const path = notice!.secret.slice(t.config.publicUrl.length);
    const owner = new Client(t.app);
    const ask = await owner.get(path);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('id="not-me-confirm"');
    expect((await other.get('/bacheca')).statusCode).toBe(200);

    const done = await owner.post('/non-sono-stato-io', { t: path.split('t=')[1]! });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('id="not-me-done"');
    expect(done.body).toContain(`numero ${t.config.istituto.contactCenter}`);
    for (const c of [session, other]) expect((await c.get('/bacheca')).statusCode).toBe(303);
    const row = await t.db.selectFrom('citizens').select(['ripristino_blocked_at', 'email']).where('id', '=', victim.citizenId).executeTakeFirstOrThrow();
    expect(row.ripristino_blocked_at).not.toBeNull();
    expect(row.email).toBe('intruso2@example.net');
    const report = await auditOf(t.db, { cf: victim.codiceFiscale, event: 'contact.not_me_reported' }).select(['details']).execute();
    expect(report).toHaveLength(1);
    expect(report[0]!.details).toMatchObject({ reason: 'contact_changed', channel: 'email', sessionsEnded: 2 });

    // Single use.
    const again = await new Client(t.app).get(path);
    expect(again.body).toContain('id="not-me-invalid"');
    await owner.get('/pin/ripristino');
    const replay = await owner.post('/non-sono-stato-io', { t: path.split('t=')[1]! });
    expect(replay.statusCode).toBe(422);
    expect(await auditOf(t.db, { cf: victim.codiceFiscale, event: 'contact.not_me_reported' }).select('id').execute()).toHaveLength(1);

    // The code sent before the report no longer works, and no new ripristino is sent: an email says whom to call.
    expect((await confirmRipristino(victim.codiceFiscale, pendingCode!.secret)).statusCode).toBe(422);
    const res = await ripristino({ codiceFiscale: victim.codiceFiscale, cellulare: '333 1234567', email: 'intruso2@example.net' });
    expect(res.body).toContain(ACCEPTED);
    expect(await messages(victim.citizenId, 'ripristino.code')).toHaveLength(1);
    expect((await messages(victim.citizenId, 'ripristino.blocked')).map((m) => m.recipient)).toEqual(['intruso2@example.net']);
    expect((await outcomes(victim.codiceFiscale)).slice(-1)).toEqual(['blocked']);
    now += 60 * DAY;
  });

  it('a link expires after VARCO_NOT_ME_LINK_DAYS, and an unknown one is refused', async () => {
    const victim = await givenCitizenWithPin(t.db, hasher, { pin: PIN });
    const session = await login(victim.codiceFiscale);
    await changeContact(session, victim.citizenId, 'cellulare', '+39 347 2222222', PIN);
    const [notice] = await messages(victim.citizenId, 'contact.replaced');
    const token = notice!.secret.split('t=')[1]!;
    now += (t.config.contactSecurity.notMeLinkDays + 1) * DAY;
    const client = new Client(t.app);
    expect((await client.get(`/non-sono-stato-io?t=${token}`)).body).toContain('id="not-me-invalid"');
    expect((await client.get('/non-sono-stato-io?t=x')).body).toContain('id="not-me-invalid"');
    await client.get('/pin/ripristino');
    expect((await client.post('/non-sono-stato-io', { t: token })).statusCode).toBe(422);
    expect(
      (await t.db.selectFrom('citizens').select('ripristino_blocked_at').where('id', '=', victim.citizenId).executeTakeFirstOrThrow()).ripristino_blocked_at,
    ).toBeNull();
    now += DAY;
  });

  it('a session opened with SPID, CIE or CNS changes contacts only within 5 minutes of its login; otherwise it is sent to log in again', async () => {
    const citizen = await givenCitizenWithPin(t.db, hasher, { pin: PIN });
    const spid = () => spidClient(t, citizen.citizenId, clock);
    const old = await spid();
    now += 6 * 60_000;
    const page = await old.get('/profilo/recapiti');
    expect(page.body).toContain('id="contacts-login-again"');
    expect(page.body).toContain('href="/accedi?metodo=spid&ritorno=%2Fprofilo%2Frecapiti"');
    expect(page.body).not.toContain('name="valore"');
    const refused = await old.post('/profilo/recapiti', { tipo: 'email', valore: 'intruso3@example.net' });
    expect(refused.statusCode).toBe(403);
    expect(await t.db.selectFrom('contact_changes').select('id').where('citizen_id', '=', citizen.citizenId).execute()).toHaveLength(0);
    expect(await auditOf(t.db, { cf: citizen.codiceFiscale, event: 'contact.change_reauth' }).select('details').execute()).toEqual([
      { details: { method: 'spid', userAgent: expect.any(String) } },
    ]);

    // A new login (a new session, R10) may change them, without a PIN it does not have.
    const fresh = await spid();
    now += 4 * 60_000;
    const form = await fresh.get('/profilo/recapiti');
    expect(form.body).toContain('name="valore"');
    expect(form.body).not.toContain('name="pin"');
    expect((await changeContact(fresh, citizen.citizenId, 'email', 'nuova@example.org')).headers.location).toBe('/profilo?recapito=aggiornato');
    expect((await messages(citizen.citizenId, 'contact.replaced')).map((m) => m.recipient)).toEqual([OLD_MAIL]);
    now += DAY;
  });
});

describe.each(ENGINES)('"Non sono stato io" in the back office (issue 12 F2) on %s', (engine) => {
  const t = useTestApp(engine, {}, { hasher });

  /** The secret part (a code, a link) of the citizen's message of this template, as its contact received it. */
  async function secretSent(citizenId: string, template: string) {
    const row = await outboxOf(t.db, { citizenId, template }).select(['id', 'secret_ciphertext']).executeTakeFirstOrThrow();
    return createSecretBox(t.config.secretKey).open(row.secret_ciphertext!, row.id);
  }

  it('supervisori see the report with the block and lift it, audited; other roles do not', async () => {
    const victim = await givenCitizenWithPin(t.db, hasher, { pin: PIN });
    const client = new Client(t.app);
    await client.get('/accedi');
    await client.post('/accedi', { codiceFiscale: victim.codiceFiscale, pin: PIN });
    await client.get('/profilo/recapiti');
    await client.post('/profilo/recapiti', { tipo: 'email', valore: 'intruso4@example.net', pin: PIN });
    const code = await secretSent(victim.citizenId, 'contact.code');
    await client.get('/profilo/recapiti/verifica');
    await client.post('/profilo/recapiti/verifica', { codice: code });
    const link = await secretSent(victim.citizenId, 'contact.replaced');
    const owner = new Client(t.app);
    await owner.get(link.slice(t.config.publicUrl.length));
    await owner.post('/non-sono-stato-io', { t: link.split('t=')[1]! });

    const cc = await loginOperator(t, 'contact-center', 'cc-notme');
    expect((await cc.client.get('/backoffice/segnalazioni')).statusCode).toBe(403);
    const sup = await loginOperator(t, 'supervisore', 'sup-notme');
    expect((await sup.client.get('/backoffice')).body).toContain('href="/backoffice/segnalazioni"');
    const list = await sup.client.get('/backoffice/segnalazioni');
    expect(list.body).toContain(victim.codiceFiscale);
    expect(list.body).toContain('Bloccato');
    const lifted = await sup.client.post('/backoffice/segnalazioni/sblocca', { cf: victim.codiceFiscale });
    expect(lifted.headers.location).toBe('/backoffice/segnalazioni');
    expect(
      (await t.db.selectFrom('citizens').select('ripristino_blocked_at').where('id', '=', victim.citizenId).executeTakeFirstOrThrow()).ripristino_blocked_at,
    ).toBeNull();
    expect((await sup.client.get('/backoffice/segnalazioni')).body).toContain('Sbloccato');
    const unblocked = await auditOf(t.db, { cf: victim.codiceFiscale, event: 'ripristino.unblocked' }).select('actor').execute();
    expect(unblocked).toEqual([{ actor: 'operator:sup-notme' }]);
  });
});
