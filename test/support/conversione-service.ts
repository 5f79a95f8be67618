import { type ConversioneDeps, type IdentityDocument, saveDraft } from '../../src/flows/conversione/service.js';
import type { PinHasher } from '../../src/security/hasher.js';
import { givenCitizenWithPin } from './pins.js';

/**
 * R15 through the service, without the web steps: a new citizen holding the PIN K7X9M3P4 whose
 * conversion request is a draft with `doc`; `ctx` is the citizen's audit context for the next steps.
 */
export async function draftByService(deps: ConversioneDeps, hasher: PinHasher, doc: IdentityDocument) {
  const c = await givenCitizenWithPin(deps.db, hasher, { pin: 'K7X9M3P4' });
  const ctx = { actor: `citizen:${c.codiceFiscale}`, cf: c.codiceFiscale };
  const id = await saveDraft(deps, { citizenId: c.citizenId, credentialId: c.credentialId }, doc, ctx);
  return { c, ctx, id };
}
