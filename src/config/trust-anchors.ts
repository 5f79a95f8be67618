import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isLoopbackUrl } from './identity-providers.js';

/**
 * Issue 15: the trust anchors of the SPID and CIE federations Varco accepts providers from
 * (VARCO_TRUST_ANCHORS), each with its federation keys pinned, as the anchor publishes them
 * out of band (AgID for SPID, the Ministry of the Interior for CIE; docs/federation.md).
 */
export interface TrustAnchorConfig {
  /** The anchor's entity id (https://registry.spid.gov.it, https://registry.servizicie.interno.gov.it). */
  entityId: string;
  /** Which entrance its providers are listed under. */
  kind: 'spid' | 'cie';
  /** Its federation keys, pinned: every chain ends in a statement verified with them. */
  jwks: { keys: Record<string, unknown>[] };
  /** The trust marks a provider must carry in this federation (issued by the anchor or an issuer it names). */
  requiredTrustMarks: string[];
  /** The providers to offer, by entity id; without it, every provider the anchor's list endpoint names (and its intermediates' lists). */
  providers: string[] | undefined;
  /** Plain http to loopback entities: development and tests only. */
  allowHttp: boolean;
}

const entityId = z
  .string()
  .url()
  .max(500)
  .regex(/^[\x21-\x7e]+$/, 'an entity id is printable, with no whitespace')
  .refine((u) => !u.endsWith('/'), 'an entity id has no trailing slash');

const anchorSchema = z
  .object({
    entityId,
    kind: z.enum(['spid', 'cie']),
    jwks: z.object({ keys: z.array(z.record(z.unknown())).min(1).max(20) }),
    requiredTrustMarks: z.array(z.string().min(1).max(500)).max(10).optional(),
    providers: z.array(entityId).min(1).max(200).optional(),
  })
  .strict()
  // Without a list of its providers, every entity the anchor's lists name is a candidate: only a trust mark says it is a provider of the federation.
  .refine((a) => a.providers !== undefined || (a.requiredTrustMarks?.length ?? 0) > 0, {
    message: 'an anchor without "providers" needs "requiredTrustMarks" (the trust marks that make an entity it lists a provider)',
    path: ['requiredTrustMarks'],
  });

const fileSchema = z.object({ anchors: z.array(anchorSchema).min(1).max(10) }).strict();

/** The anchors of VARCO_TRUST_ANCHORS; no file: no provider from a federation. An invalid file stops the start with the reason. */
export function loadTrustAnchors(file: string | undefined, production: boolean): TrustAnchorConfig[] {
  if (!file) return [];
  const where = `VARCO_TRUST_ANCHORS ${file}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const seen = new Set<string>();
  return parsed.data.anchors.map((a) => {
    if (seen.has(a.entityId)) throw new Error(`${where}: the anchor ${a.entityId} appears twice`);
    seen.add(a.entityId);
    const urls = [a.entityId, ...(a.providers ?? [])];
    const plain = urls.filter((u) => !u.startsWith('https://'));
    if (plain.length && (production || plain.some((u) => !isLoopbackUrl(u))))
      throw new Error(`${where}: ${plain[0]} is not https${production ? '' : ' (plain http only on the loopback, in development)'}`);
    return {
      entityId: a.entityId,
      kind: a.kind,
      jwks: a.jwks,
      requiredTrustMarks: a.requiredTrustMarks ?? [],
      providers: a.providers,
      allowHttp: plain.length > 0,
    };
  });
}
