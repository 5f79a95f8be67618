import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { citizenForIdentity } from '../src/federation/citizens.js';
import { validateStep2 } from '../src/flows/richiesta/form.js';
import { r1Gate } from '../src/flows/richiesta/oracle.js';
import { importResidenze, tableResidenceRegistry } from '../src/adapters/residence.js';
import { requestPin, type RequestPinDeps } from '../src/flows/richiesta/service.js';
import { translator } from '../src/i18n/index.js';
import type { PostalAddress } from '../src/outbox/outbox.js';
import { createPinHasher } from '../src/security/hasher.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { Client, useTestApp } from './support/app.js';
import { type FormCitizen, italianCitizen } from './support/citizens.js';
import { ENGINES, createPgDatabase, freshDatabase } from './support/db.js';
import { givenResidence } from './support/pins.js';
import { spidClient } from './support/sessions.js';
import { auditOf, outboxOf } from './support/rows.js';
import { webRequest } from './support/web-request.js';

const hasher = createPinHasher({ memoryKib: 19456, timeCost: 2, parallelism: 1 });
const run = promisify(execFile);

/** What an attacker types: the victim's personal data (computable from the CF), their own residence and contacts. */
function attackerForm(c: FormCitizen): Record<string, string> {
  return {
    ...c.form,
    indirizzo: 'Via del Ladro',
    numeroCivico: '7',
    provinciaResidenza: 'MI',
    comuneResidenza: 'F205',
    cap: '20124',
    cellulare: '347 1111111',
    email: 'attacker@example.net',
    telefonoAbitazione: '',
  };
}

describe.each(ENGINES)('issue 12 F1: identity binding of the PIN request on %s', (engine) => {
  let now = new Date('2026-12-02T08:00:00Z');
  const box = () => createSecretBox(t.config.secretKey);
  const t = useTestApp(engine, { VARCO_RESIDENCE_REGISTRY: 'table', VARCO_PIN_SEMPLIFICATO: 'true' }, { now: () => now, hasher });

  const serviceDeps = (): RequestPinDeps => ({
    db: t.db,
    hasher,
    box: box(),
    semplificatoOpen: () => true,
    residence: { mode: 'table', registry: tableResidenceRegistry(t.db) },
    now: () => now,
  });

  async function messagesOf(citizenId: string) {
    const rows = await outboxOf(t.db, { citizenId }).selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ ...r, secret: r.secret_ciphertext ? box().open(r.secret_ciphertext, r.id) : null }));
  }

  /** A citizen whose PIN was revoked (seed 001: "revoca completa … e poi … nuova richiesta"), with the registry's residence. */
  async function revokedVictim() {
    const c = italianCitizen();
    const id = randomUUID();
    const [d, m, y] = c.form.dataNascita!.split('/');
    await t.db
      .insertInto('citizens')
      .values({
        id,
        codice_fiscale: c.codiceFiscale,
        cognome: 'VERDI',
        nome: 'GIUSEPPE',
        data_nascita: `${y}-${m}-${d}`,
        sesso: 'M',
        luogo_nascita: 'A562',
        residenza: JSON.stringify({ tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: '12', provincia: 'PI', comune: 'G702', cap: '56125' }),
        telefono_abitazione: null,
        cellulare: '+393330000001',
        email: 'victim@example.org',
        pec: 'victim@pec.example.it',
        telefono_preferenziale: 'cellulare',
        orario_preferenziale: 'any',
        locale: 'it',
        contacts_verified_at: new Date('2025-01-01'),
      })
      .execute();
    await t.db
      .insertInto('credentials')
      .values({
        id: randomUUID(),
        citizen_id: id,
        state: 'revoked',
        pin_hash: await hasher.hash('OLDPIN22'),
        dispositivo: false,
        channel: 'web',
        revoked_at: new Date('2026-11-30'),
      })
      .execute();
    await givenResidence(t.db, c.codiceFiscale, { indirizzo: 'Via Roma, 12' });
    return { c, id };
  }

  it("(b) a request for a revoked CF with the attacker's residence and contacts: the record is unchanged, the letter goes to the registry, the old contacts are told, the typed ones reach the record only at the first access", async () => {
    const { c, id } = await revokedVictim();
    const before = await t.db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    const done = await webRequest(new Client(t.app), c, attackerForm(c));
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('all&#39;indirizzo di residenza risultante in anagrafe');
    expect(done.body).not.toContain('Via Roma');

    // Nothing of the record changed: names, residence, contacts.
    expect(await t.db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
    const credential = await t.db.selectFrom('credentials').selectAll().where('citizen_id', '=', id).where('state', '=', 'initial').executeTakeFirstOrThrow();
    expect(
      await t.db.selectFrom('pending_contacts').select(['cellulare', 'email']).where('credential_id', '=', credential.id).executeTakeFirstOrThrow(),
    ).toEqual({ cellulare: '+393471111111', email: 'attacker@example.net' });

    const sent = await messagesOf(id);
    const firstHalf = sent.filter((m) => m.template === 'pin.firstHalf');
    expect(firstHalf.map((m) => m.recipient).sort()).toEqual(['+393471111111', 'attacker@example.net']);
    const letter = sent.find((m) => m.template === 'pin.secondHalf')!;
    expect((JSON.parse(letter.recipient) as PostalAddress).lines).toEqual(['Via Roma, 12', '56125 PISA (PI)']);
    // The contacts on record are told at CONFERMA, by email and PEC, never SMS.
    const notices = sent.filter((m) => m.template === 'pin.requestedNotice');
    expect(notices.map((m) => `${m.channel}:${m.recipient}`).sort()).toEqual(['email:victim@example.org', 'pec:victim@pec.example.it']);
    expect(sent.some((m) => m.recipient === '+393330000001')).toBe(false);

    // The attacker's 8 characters open nothing (semplificato is for who never had a PIN, and for the registry's comune).
    const attacker = new Client(t.app);
    await attacker.get('/accedi');
    expect((await attacker.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: firstHalf[0]!.secret! })).statusCode).toBe(401);

    // Who holds the letter too completes the first access: only now the typed contacts reach the record, and the replaced ones are told.
    const holder = new Client(t.app);
    await holder.get('/accedi');
    const login = await holder.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: `${firstHalf[0]!.secret}${letter.secret}` });
    expect(login.headers.location).toBe('/accedi/cambio-pin');
    const after = await t.db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ cellulare: '+393471111111', email: 'attacker@example.net', pec: null, cognome: 'VERDI', residenza: before.residenza });
    const replaced = (await messagesOf(id)).filter((m) => m.template === 'contacts.replacedNotice');
    expect(replaced.map((m) => `${m.channel}:${m.recipient}`).sort()).toEqual(['email:victim@example.org', 'pec:victim@pec.example.it']);
    expect(await t.db.selectFrom('pending_contacts').select('credential_id').where('credential_id', '=', credential.id).execute()).toHaveLength(0);
    const audited = await auditOf(t.db, { cf: c.codiceFiscale, event: ['pin.requested', 'contact.replaced_at_first_access'] })
      .select(['event', 'details'])
      .execute();
    expect(audited.map((a) => a.event)).toEqual(['pin.requested', 'contact.replaced_at_first_access']);
    expect(audited[0]!.details).toMatchObject({ existingRecord: true, letter: 'registry' });
  });

  it('(b) the notice at CONFERMA goes at most once per CF per day; a request stopped by R1 sends nothing', async () => {
    const { c, id } = await revokedVictim();
    const data = validateStep2(translator('it'), { codiceFiscale: c.codiceFiscale, residenza: 'IT' }, attackerForm(c), now);
    if (!data.success) throw new Error(JSON.stringify(data.errors));
    const ctx = { channel: 'web' as const, actor: 'test', ip: null, locale: 'it' };
    const revokeLive = () =>
      t.db.updateTable('credentials').set({ state: 'revoked', revoked_at: now }).where('citizen_id', '=', id).where('state', '=', 'initial').execute();
    const notices = async () => (await messagesOf(id)).filter((m) => m.template === 'pin.requestedNotice').length;

    expect((await requestPin(serviceDeps(), data.value, ctx)).ok).toBe(true);
    expect(await notices()).toBe(2);
    const count = (await messagesOf(id)).length;
    // R1: a live PIN stops the request, and nothing is sent.
    expect(await requestPin(serviceDeps(), data.value, ctx)).toEqual({ ok: false, reason: 'already_assigned' });
    expect((await messagesOf(id)).length).toBe(count);
    await revokeLive();
    now = new Date(now.getTime() + 3 * 3_600_000);
    expect((await requestPin(serviceDeps(), data.value, ctx)).ok).toBe(true);
    expect(await notices()).toBe(2);
    await revokeLive();
    now = new Date(now.getTime() + 25 * 3_600_000);
    expect((await requestPin(serviceDeps(), data.value, ctx)).ok).toBe(true);
    expect(await notices()).toBe(4);
  });

  /** A new citizen (GIUSEPPE VERDI, owner@example.org, `cellulare`) whose record a SPID login made, living where the registry says. */
  async function registeredBySpid(cellulare: string, residence: Parameters<typeof givenResidence>[2] = {}) {
    const c = italianCitizen();
    const { citizenId } = await citizenForIdentity(
      t.db,
      { codiceFiscale: c.codiceFiscale, nome: 'GIUSEPPE', cognome: 'VERDI', email: 'owner@example.org', cellulare },
      'spid',
    );
    await givenResidence(t.db, c.codiceFiscale, residence);
    return { c, citizenId };
  }

  it('(a) an anonymous request for a CF registered by SPID is refused at the first step and by the service; a sede may issue it; the record is unchanged', async () => {
    const { c, citizenId } = await registeredBySpid('+393330000002');
    const before = await t.db.selectFrom('citizens').selectAll().where('id', '=', citizenId).executeTakeFirstOrThrow();
    expect(before.registered_by).toBe('spid');

    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    const step1 = await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: 'IT' });
    expect(step1.statusCode).toBe(409);
    expect(step1.body).toContain(
      'Per questo codice fiscale il PIN si richiede dopo l&#39;accesso con SPID, CIE o CNS (Profilo → Richiedi il PIN) o presso una sede',
    );
    expect(step1.headers.location).toBeUndefined();

    // Past the first step (a flow opened before the SPID login, the contact center): still refused.
    const data = validateStep2(translator('it'), { codiceFiscale: c.codiceFiscale, residenza: 'IT' }, attackerForm(c), now);
    if (!data.success) throw new Error(JSON.stringify(data.errors));
    expect(await requestPin(serviceDeps(), data.value, { channel: 'web', actor: 'test', ip: null, locale: 'it' })).toEqual({ ok: false, reason: 'federated' });
    expect(await requestPin(serviceDeps(), data.value, { channel: 'contact-center', actor: 'operator:cc', ip: null, locale: 'it' })).toEqual({
      ok: false,
      reason: 'federated',
    });
    expect(await t.db.selectFrom('credentials').select('id').where('citizen_id', '=', citizenId).execute()).toHaveLength(0);
    expect(await t.db.selectFrom('citizens').selectAll().where('id', '=', citizenId).executeTakeFirstOrThrow()).toEqual(before);
    const refused = await auditOf(t.db, { cf: c.codiceFiscale, event: 'pin.request_refused' }).select('details').execute();
    expect(refused.map((r) => (r.details as { reason: string }).reason)).toEqual(['federated', 'federated', 'federated']);

    const sede = await requestPin(serviceDeps(), data.value, { channel: 'sede', actor: 'operator:sede', ip: null, locale: 'it', inPerson: true });
    expect(sede).toMatchObject({ ok: true, existingRecord: true, letter: 'none' });
    expect(await t.db.selectFrom('citizens').selectAll().where('id', '=', citizenId).executeTakeFirstOrThrow()).toEqual(before);
  });

  it('(a) Profilo → Richiedi il PIN: a SPID session gets a PIN bound to its record, first half to its contacts, the letter to the registry', async () => {
    const { citizenId } = await registeredBySpid('+393330000003', { indirizzo: 'Piazza dei Miracoli, 1' });
    const client = await spidClient(t, citizenId, () => now);
    const profile = await client.get('/profilo');
    expect(profile.body).toContain('id="request-pin"');
    const res = await client.post('/profilo/richiedi-pin', {});
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('all&#39;indirizzo di residenza risultante in anagrafe');
    const sent = await messagesOf(citizenId);
    expect(
      sent
        .filter((m) => m.template === 'pin.firstHalf')
        .map((m) => m.recipient)
        .sort(),
    ).toEqual(['+393330000003', 'owner@example.org']);
    expect((JSON.parse(sent.find((m) => m.template === 'pin.secondHalf')!.recipient) as PostalAddress).lines[0]).toBe('Piazza dei Miracoli, 1');
    const credential = await t.db.selectFrom('credentials').select(['state', 'channel']).where('citizen_id', '=', citizenId).executeTakeFirstOrThrow();
    expect(credential).toEqual({ state: 'initial', channel: 'web' });
    expect((await client.get('/profilo')).body).not.toContain('id="request-pin"');
    expect((await client.post('/profilo/richiedi-pin', {})).statusCode).toBe(409);
  });

  it('no registry row: the request ends at CONFERMA with the page pointing to a sede, and nothing is written', async () => {
    const c = italianCitizen();
    const page = await webRequest(new Client(t.app), c);
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('Non è possibile completare la richiesta online: rivolgiti a una sede INPS (dall&#39;estero: al consolato o a un patronato)');
    expect(await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).execute()).toHaveLength(0);
  });

  it("(c) F1 with PIN semplificato: a never-registered CF, the attacker's contacts and another comune — the 8 characters say to wait for the letter", async () => {
    const c = italianCitizen();
    await givenResidence(t.db, c.codiceFiscale);
    const done = await webRequest(new Client(t.app), c, attackerForm(c));
    expect(done.statusCode).toBe(200);
    const citizen = await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', c.codiceFiscale).executeTakeFirstOrThrow();
    const sms = (await messagesOf(citizen.id)).find((m) => m.channel === 'sms')!;
    expect(sms.recipient).toBe('+393471111111');
    const letter = (await messagesOf(citizen.id)).find((m) => m.channel === 'letter')!;
    expect((JSON.parse(letter.recipient) as PostalAddress).lines).toEqual(['Via Roma, 1', '56125 PISA (PI)']);
    const attacker = new Client(t.app);
    await attacker.get('/accedi');
    const res = await attacker.post('/accedi', { codiceFiscale: c.codiceFiscale, pin: sms.secret! });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('attendi la lettera con la seconda parte del PIN');
    expect(await t.db.selectFrom('sessions').select('id_hash').where('citizen_id', '=', citizen.id).execute()).toHaveLength(0);

    // The citizen who typed the registry's comune gets the semplificato session (R6).
    const owner = italianCitizen();
    await givenResidence(t.db, owner.codiceFiscale);
    await webRequest(new Client(t.app), owner);
    const ownerId = (await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', owner.codiceFiscale).executeTakeFirstOrThrow()).id;
    const ownerSms = (await messagesOf(ownerId)).find((m) => m.channel === 'sms')!;
    const client = new Client(t.app);
    await client.get('/accedi');
    expect((await client.post('/accedi', { codiceFiscale: owner.codiceFiscale, pin: ownerSms.secret! })).headers.location).toBe('/bacheca');
  });
});

describe.each(ENGINES)('issue 12 F13: the R1 answer past its limits asks for the Codice di Controllo on %s', (engine) => {
  const now = new Date('2026-12-02T08:00:00Z');
  const t = useTestApp(engine, { VARCO_R1_PER_IP_HOUR: '3', VARCO_R1_GLOBAL_PER_MINUTE: '1000' }, { now: () => now, hasher });

  it('(d) past 3 answers per IP the first step asks for the code before answering, and answers once it is typed', async () => {
    const holder = italianCitizen();
    await t.db
      .insertInto('citizens')
      .values({
        id: randomUUID(),
        codice_fiscale: holder.codiceFiscale,
        cognome: 'VERDI',
        nome: 'GIUSEPPE',
        data_nascita: '1973-01-01',
        sesso: 'M',
        luogo_nascita: 'A562',
        residenza: null,
        telefono_abitazione: null,
        cellulare: null,
        email: 'h@example.org',
        pec: null,
        telefono_preferenziale: 'cellulare',
        orario_preferenziale: 'any',
        locale: 'it',
      })
      .execute();
    const citizen = await t.db.selectFrom('citizens').select('id').where('codice_fiscale', '=', holder.codiceFiscale).executeTakeFirstOrThrow();
    await t.db
      .insertInto('credentials')
      .values({ id: randomUUID(), citizen_id: citizen.id, state: 'active', pin_hash: await hasher.hash('K7X9M3P4'), dispositivo: false, channel: 'web' })
      .execute();

    const client = new Client(t.app);
    await client.get('/pin/richiesta');
    for (let i = 0; i < 3; i++) {
      const res = await client.post('/pin/richiesta', { codiceFiscale: i === 0 ? holder.codiceFiscale : italianCitizen().codiceFiscale, residenza: 'IT' });
      expect(res.statusCode).toBe(i === 0 ? 409 : 303);
      await client.get('/pin/richiesta');
    }
    // The fourth answer waits for the code: no word about the CF.
    expect(client.lastHtml).toContain('id="r1-code"');
    const asked = await client.post('/pin/richiesta', { codiceFiscale: holder.codiceFiscale, residenza: 'IT' });
    expect(asked.statusCode).toBe(422);
    expect(asked.body).not.toContain('ha già un PIN assegnato');
    expect(asked.body).toContain('/pin/revoca/controllo/');
    const wrong = await client.post('/pin/richiesta', {
      codiceFiscale: holder.codiceFiscale,
      residenza: 'IT',
      captchaId: /name="captchaId" value="([^"]+)"/.exec(asked.body)![1]!,
      captcha: 'XXXXXXX',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).not.toContain('ha già un PIN assegnato');
    // A citizen who types the code gets the answer: the step never refuses everyone.
    const captchaId = /name="captchaId" value="([^"]+)"/.exec(wrong.body)![1]!;
    const row = await t.db.selectFrom('captchas').select('prompt_sealed').where('id', '=', captchaId).executeTakeFirstOrThrow();
    const answered = await client.post('/pin/richiesta', {
      codiceFiscale: holder.codiceFiscale,
      residenza: 'IT',
      captchaId,
      captcha: createSecretBox(t.config.secretKey).open(row.prompt_sealed, captchaId),
    });
    expect(answered.statusCode).toBe(409);
    expect(answered.body).toContain(`ha già un PIN assegnato`);
    // Another address is not affected.
    const other = await t.app.inject({ method: 'GET', url: '/pin/richiesta', remoteAddress: '10.9.8.7' });
    expect(other.body).not.toContain('id="r1-code"');
    const events = await auditOf(t.db, { event: ['richiesta.code_required', 'richiesta.code_failed'] })
      .select('event')
      .execute();
    expect(events.map((e) => e.event)).toEqual(['richiesta.code_required', 'richiesta.code_failed']);
  });

  it('(d) past the global limit every address is asked for the code, within that minute only', async () => {
    const gate = r1Gate(t.db, { perIpHour: 1000, globalPerMinute: 2 });
    const at = new Date('2026-12-02T09:00:10Z');
    await gate.count('192.0.2.1', at);
    expect(await gate.codeRequired('192.0.2.9', at)).toBeNull();
    await gate.count('192.0.2.2', at);
    expect(await gate.codeRequired('192.0.2.9', at)).toBe('global');
    expect(await gate.codeRequired('192.0.2.9', new Date('2026-12-02T09:01:00Z'))).toBeNull();
  });
});

describe.each(ENGINES)('issue 12 F1: the residence registry on %s', (engine) => {
  it('imports ANPR and AIRE rows (quoted cells with commas), refuses bad rows with their line, and answers by validity', async () => {
    const { db } = await freshDatabase(engine);
    const csv = [
      'codice_fiscale;tipo;indirizzo;comune;cap;provincia;paese;citta;codice_postale;valido_dal;valido_al',
      'RSSMRA85T10A562S;ANPR;"Via Roma, 12";G702;56125;PI;;;;2010-01-01;',
      'NOTACF;ANPR;Via Roma 1;G702;56125;PI;;;;;',
      'BNCMRA58A41A031Q;ANPR;Via Roma 1;XXXX;56125;PI;;;;;',
      'RSSMRA85T10A562S;AIRE;"Bahnhofstrasse 1|c/o Rossi";H501;;;Z133;Zürich;8001;01/01/2020;',
      'VRDGPP80A01G702C;ANPR;Via Vecchia 2;G702;56125;PI;;;;2001-01-01;2005-12-31',
    ].join('\r\n');
    const report = await importResidenze(db, { text: csv });
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(report.rejected[1]!.reason).toContain('comune sconosciuto');
    const registry = tableResidenceRegistry(db);
    // The last row for a CF wins: Mario Rossi is now registered abroad.
    expect(await registry.lookup('RSSMRA85T10A562S', new Date('2026-12-02'))).toMatchObject({
      tipo: 'AIRE',
      righe: ['Bahnhofstrasse 1', 'c/o Rossi'],
      citta: 'Zürich',
      paese: 'Z133',
      codicePostale: '8001',
    });
    await importResidenze(db, { text: 'RSSMRA85T10A562S;ANPR;"Via Roma, 12";G702;56125;PI;;;;;' });
    expect(await registry.lookup('RSSMRA85T10A562S', new Date('2026-12-02'))).toMatchObject({
      tipo: 'ANPR',
      indirizzo: 'Via Roma, 12',
      comune: 'G702',
      cap: '56125',
      provincia: 'PI',
    });
    // A residence that ended is no residence.
    expect(await registry.lookup('VRDGPP80A01G702C', new Date('2026-12-02'))).toBeNull();
    expect(await registry.lookup('VRDGPP80A01G702C', new Date('2003-06-01'))).toMatchObject({ tipo: 'ANPR', indirizzo: 'Via Vecchia 2' });
    await db.destroy();
  });
});

describe('varco import residenze', () => {
  it('loads the registry from a CSV file with a progress bar, prints refused rows with their line, and audits the import', async () => {
    const url = await createPgDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'varco-cli-'));
    const file = path.join(dataDir, 'residenze.csv');
    writeFileSync(
      file,
      'codice_fiscale;tipo;indirizzo;comune;cap;provincia;paese;citta;codice_postale;valido_dal;valido_al\nRSSMRA85T10A562S;ANPR;"Via Roma, 12";G702;56125;PI;;;;;\nNOTACF;ANPR;Via Roma 1;G702;56125;PI;;;;;\n',
    );
    const env = { ...process.env, DATABASE_URL: url, VARCO_SECRET_KEY: randomBytes(32).toString('hex'), VARCO_DATA_DIR: dataDir, VARCO_MODE: 'development' };
    const out = await run(process.execPath, ['bin/varco.js', 'import', 'residenze', file], { env });
    expect(out.stdout).toContain('Imported 1 residences; rejected 1 rows.');
    expect(out.stdout).toContain('line 3: codice fiscale non valido: NOTACF');
    expect(out.stderr).toContain('residenze [');
    const db = await openDatabase({ databaseUrl: url, dataDir });
    await migrateToLatest(db);
    expect(await db.selectFrom('residenze').select(['indirizzo', 'comune']).execute()).toEqual([{ indirizzo: 'Via Roma, 12', comune: 'G702' }]);
    const audited = await auditOf(db, { event: 'registry.imported' }).select('details').executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({ registry: 'residenze', imported: 1, rejected: 1 });
    await db.destroy();
  });
});
