import { describe, expect, it } from 'vitest';
import { createOperator } from '../../src/backoffice/operatori/service.js';
import { requestRemoteIssue, requestRevocaApproval } from '../../src/backoffice/approvazioni/service.js';
import { attachFiles, saveDraft, submitRequest } from '../../src/flows/conversione/service.js';
import { LOCALES } from '../../src/i18n/index.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { totpCode } from '../../src/security/totp.js';
import { chromiumAndPortal, expectAccessible, newPage, operatorInBrowser, submit } from '../support/browser.js';
import { givenCitizenWithPin } from '../support/pins.js';
import { aPdf, clean } from '../support/uploads.js';

/** Seed 002 "Nel giro di qualche ora il pin dovrebbe diventare dispositivo": the operator's side. */
describe('Back office in Chromium', () => {
  const env = chromiumAndPortal();

  it('an operator logs in with password and TOTP, reviews and approves a conversion; every page is accessible in it, de and en', async () => {
    const hasher = createPinHasher(env.portal.config.argon2);
    const c = await givenCitizenWithPin(env.portal.db, hasher, { pin: 'K7X9M3P4' });
    const svc = { db: env.portal.db, filesDir: env.portal.config.filesDir, now: () => new Date(), quotaBytes: env.portal.config.uploads.quotaBytes };
    const ctx = { actor: 'test', cf: c.codiceFiscale };
    const id = await saveDraft(
      svc,
      { citizenId: c.citizenId, credentialId: c.credentialId },
      { type: 'patente', number: 'PI1234567X', authority: 'MCTC Pisa', issued: '2019-05-01', expires: '2029-05-01' },
      ctx,
    );
    await attachFiles(svc, id, c.citizenId, { modulo: await clean(await aPdf()), documento: await clean(await aPdf()) }, ctx);
    await submitRequest(svc, id, ctx);
    const op = await createOperator(env.portal.db, hasher, createSecretBox(env.portal.config.secretKey), {
      username: 'sede.pisa',
      displayName: 'Sede di Pisa',
      role: 'sede',
    });

    const page = await newPage(env.browser);
    for (const locale of LOCALES) {
      await page.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/backoffice/accedi`);
      await expectAccessible(page, `${locale} backoffice login`);
    }
    await page.goto(`${env.portal.baseUrl}/lingua/it?next=/backoffice/accedi`);
    await page.fill('#f-username', 'sede.pisa');
    await page.fill('#f-password', op.password);
    await page.fill('#f-totp', totpCode(op.totpSecret, new Date()));
    await submit(page);
    await page.waitForURL('**/backoffice');
    await expectAccessible(page, 'backoffice home');
    await submit(page, `a[href="/backoffice/conversioni/${id}"]`);
    await expectAccessible(page, 'backoffice request');
    await submit(page, 'form[action$="/approva"] button');
    expect(await page.textContent('#bo-notice')).toContain('è stata approvata');
    await page.fill('#f-cf', c.codiceFiscale);
    await submit(page, 'form[action="/backoffice/cittadino"] button');
    expect(await page.textContent('#bo-credential')).toContain('dispositivo');
    await expectAccessible(page, 'backoffice citizen');
    await page.context().close();
  });

  it('F7: a supervisore approves what a contact-center operator asked; the citizen stops a remote PIN with the link; the pages are accessible in it, de and en', async () => {
    const db = env.portal.db;
    const hasher = createPinHasher(env.portal.config.argon2);
    const box = createSecretBox(env.portal.config.secretKey);
    const cc = await createOperator(db, hasher, box, { username: 'cc.f7', displayName: 'Contact center', role: 'contact-center' });
    const revoca = await givenCitizenWithPin(db, hasher, { pin: 'K7X9M3P4' });
    await requestRevocaApproval(
      { db, now: () => new Date() },
      {
        citizenId: revoca.citizenId,
        codiceFiscale: revoca.codiceFiscale,
        credentialId: revoca.credentialId,
        identification: 'Data e luogo di nascita e residenza confermati al telefono.',
        operatorId: cc.id,
      },
      { actor: 'operator:cc.f7' },
    );
    const remote = await givenCitizenWithPin(db, hasher, { pin: 'K7X9M3P4' });
    await db.updateTable('credentials').set({ state: 'revoked' }).where('id', '=', remote.credentialId).execute();
    await requestRemoteIssue(
      { db, box, now: () => new Date() },
      {
        data: {
          codiceFiscale: remote.codiceFiscale,
          cognome: remote.cognome,
          nome: remote.nome,
          dataNascita: '1973-01-01',
          sesso: 'M',
          luogoNascita: 'A562',
          residenza: { tipo: 'IT', indirizzo: 'Via Roma', numeroCivico: '1', provincia: 'PI', comune: 'G702', cap: '56125' },
          telefonoAbitazione: null,
          cellulare: '+393470000001',
          email: null,
          pec: null,
          telefonoPreferenziale: 'cellulare',
          orarioPreferenziale: 'any',
        },
        locale: 'it',
        identification: 'video: documento CA1234567',
        operatorId: cc.id,
      },
      { actor: 'operator:cc.f7' },
    );

    const sup = await operatorInBrowser(env.browser, env.portal, 'sup.f7', 'supervisore');
    for (const locale of LOCALES) {
      await sup.goto(`${env.portal.baseUrl}/lingua/${locale}?next=/backoffice/approvazioni`);
      await expectAccessible(sup, `${locale} pending approvals`);
    }
    await sup.goto(`${env.portal.baseUrl}/lingua/it?next=/backoffice/approvazioni`);
    const approvals = await db.selectFrom('operator_approvals').select(['id', 'kind']).execute();
    for (const a of approvals) {
      await submit(sup, `form[action="/backoffice/approvazioni/${a.id}/approva"] button`);
      expect(await sup.textContent('#bo-approval-notice')).toContain('approvata');
    }
    await expectAccessible(sup, 'approvals after the decisions');
    expect((await db.selectFrom('credentials').select('state').where('id', '=', revoca.credentialId).executeTakeFirstOrThrow()).state).toBe('revoked');
    await sup.context().close();

    // The portal's worker delivers the notice to the development mailbox: the link is read there, as the citizen would.
    const notice = await db
      .selectFrom('outbox_messages')
      .select('id')
      .where('template', '=', 'remoteIssue.notice')
      .where('citizen_id', '=', remote.citizenId)
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    let mail: { body: string } | undefined;
    for (let i = 0; i < 200 && !mail; i++) {
      mail = await db.selectFrom('dev_mailbox').select('body').where('message_id', '=', notice.id).executeTakeFirst();
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    const link = /https?:\/\/\S+\/pin\/emissione-remota\/blocca\?t=[\w-]+/.exec(mail!.body)![0];
    const citizen = await newPage(env.browser);
    for (const locale of LOCALES) {
      await citizen.goto(`${env.portal.baseUrl}/lingua/${locale}?next=${encodeURIComponent(link.replace(/^https?:\/\/[^/]+/, ''))}`);
      await expectAccessible(citizen, `${locale} stop page`);
    }
    await submit(citizen);
    expect(await citizen.textContent('#stop-done')).toBeTruthy();
    await expectAccessible(citizen, 'stop done');
    expect((await db.selectFrom('operator_approvals').select('state').where('kind', '=', 'remote_issue').executeTakeFirstOrThrow()).state).toBe('stopped');
    await citizen.context().close();
  });
});
