import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isLoopbackUrl } from './identity-providers.js';

/** Issue 15: Varco as a leaf of the SPID and CIE federations (OpenID Federation 1.0). */
export interface FederationLeaf {
  /** Its immediate superiors (VARCO_AUTHORITY_HINTS): the SPID registry, the CIE one, an intermediate. */
  authorityHints: string[];
  /** The trust marks its superiors issued to it (VARCO_TRUST_MARKS_FILE), published in its entity configuration. */
  trustMarks: { trust_mark_type: string; id: string; trust_mark: string }[];
  /** Who answers for it in the federation (VARCO_FEDERATION_CONTACTS). */
  contacts: string[];
}

const trustMarksSchema = z
  .array(
    z
      .object({
        trust_mark_type: z.string().min(1).max(500).optional(),
        id: z.string().min(1).max(500).optional(),
        trust_mark: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'a signed JWT (header.payload.signature)'),
      })
      .strict()
      .refine((m) => m.trust_mark_type ?? m.id, { message: 'trust_mark_type (or id) names the trust mark' }),
  )
  .max(20);

export function loadFederationLeaf(o: { hints: string; trustMarksFile: string | undefined; contacts: string; production: boolean }): FederationLeaf {
  const authorityHints = list(o.hints);
  for (const hint of authorityHints) {
    if (!URL.canParse(hint) || !(hint.startsWith('https://') || (!o.production && hint.startsWith('http://') && isLoopbackUrl(hint))))
      throw new Error(`VARCO_AUTHORITY_HINTS: ${hint} is not an https URL${o.production ? '' : ' (or http on the loopback, in development)'}`);
  }
  const contacts = list(o.contacts);
  const bad = contacts.find((c) => !z.string().email().safeParse(c).success);
  if (bad) throw new Error(`VARCO_FEDERATION_CONTACTS: ${bad} is not an email address`);
  if (o.production && authorityHints.length && !contacts.length)
    throw new Error('VARCO_FEDERATION_CONTACTS: a federation leaf names its contacts (set it with VARCO_AUTHORITY_HINTS)');
  return { authorityHints, contacts, trustMarks: o.trustMarksFile ? readTrustMarks(o.trustMarksFile) : [] };
}

function readTrustMarks(file: string): FederationLeaf['trustMarks'] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`VARCO_TRUST_MARKS_FILE ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = trustMarksSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`VARCO_TRUST_MARKS_FILE ${file}: ${first?.path.join('.') ?? ''} ${first?.message ?? ''}`);
  }
  // Both names of the trust mark's type: `trust_mark_type` (OpenID Federation 1.0) and `id` (the earlier drafts SPID/CIE follow).
  return parsed.data.map((m) => {
    const type = m.trust_mark_type ?? m.id ?? '';
    return { trust_mark_type: type, id: type, trust_mark: m.trust_mark };
  });
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
