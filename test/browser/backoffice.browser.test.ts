import { describe, expect, it } from 'vitest';
import { createOperator } from '../../src/backoffice/operators.js';
import { attachFiles, saveDraft, submitRequest } from '../../src/flows/conversione/service.js';
import { LOCALES } from '../../src/i18n/index.js';
import { createPinHasher } from '../../src/security/hasher.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { totpCode } from '../../src/security/totp.js';
import { chromiumAndPortal, expectAccessible, newPage, submit } from '../support/browser.js';
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
    const id = await saveDraft(svc, { citizenId: c.citizenId, credentialId: c.credentialId }, { type: 'patente', number: 'PI1234567X', authority: 'MCTC Pisa', issued: '2019-05-01', expires: '2029-05-01' }, ctx);
    await attachFiles(svc, id, c.citizenId, { modulo: await clean(await aPdf()), documento: await clean(await aPdf()) }, ctx);
    await submitRequest(svc, id, ctx);
    const op = await createOperator(env.portal.db, hasher, createSecretBox(env.portal.config.secretKey), { username: 'sede.pisa', displayName: 'Sede di Pisa', role: 'sede' });

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
});
