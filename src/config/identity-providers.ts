import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The minimum levels Varco accepts (R17: SPID of level 2 or higher, CIE of level 2 or higher). */
export const DEFAULT_ACR: Record<'spid' | 'cie', string[]> = {
  spid: ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3'],
  cie: ['CIE_L2', 'CIE_L3'],
};

/** A URL on this machine's loopback (where plain http is allowed in development and tests). */
export const isLoopbackUrl = (url: string | URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

const providerSchema = z
  .object({
    /** Short id, used in URLs and in the audit trail. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,40}$/, 'lower-case letters, digits, . _ - (2–41)'),
    kind: z.enum(['spid', 'cie']),
    /** As the SPID button lists it. */
    name: z.string().min(1).max(80),
    /** Logo for the SPID button: a path under /assets (the portal's CSP takes images from the portal only). */
    logo: z
      .string()
      .regex(/^\/assets\/(?!.*\.\.)[\w./-]+$/, 'a path under /assets/ (the CSP allows images from the portal only)')
      .max(500)
      .optional(),
    issuer: z.string().url(),
    /** The client_id the provider registered Varco under (default: VARCO_PUBLIC_URL, Varco's entity id). */
    clientId: z.string().min(1).max(300).optional(),
    /** acr values asked and accepted, lowest first (default: level 2 and 3); never below level 2 (R17). */
    acrValues: z
      .array(z.enum(['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3', 'CIE_L2', 'CIE_L3']))
      .min(1)
      .max(4)
      .optional(),
    /** Pinned signing keys of the provider; without them its jwks_uri is read (over TLS). */
    jwks: z.object({ keys: z.array(z.record(z.unknown())).min(1) }).optional(),
    /** Plain http to a loopback provider: development and tests only. */
    allowHttp: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p.issuer.startsWith('https://') || (p.allowHttp === true && isLoopbackUrl(p.issuer)), {
    message: 'issuer must be https (http only with allowHttp on the loopback)',
  });

const fileSchema = z.object({ providers: z.array(providerSchema).max(50) }).strict();

export type IdentityProvider = Omit<z.infer<typeof providerSchema>, 'acrValues'> & { clientId: string; acrValues: string[] };

/**
 * The SPID and CIE OpenID Connect providers Varco trusts, from the file of
 * VARCO_FEDERATION_FILE (see docs/federation.md). An invalid file stops the start with the
 * reason; no file means no SPID/CIE login.
 */
export function loadIdentityProviders(file: string | undefined, publicUrl: string, production: boolean): IdentityProvider[] {
  if (!file) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`VARCO_FEDERATION_FILE ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`VARCO_FEDERATION_FILE ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const ids = new Set<string>();
  return parsed.data.providers.map((p) => {
    if (ids.has(p.id)) throw new Error(`VARCO_FEDERATION_FILE ${file}: provider id ${p.id} appears twice`);
    ids.add(p.id);
    if (production && p.allowHttp) throw new Error(`VARCO_FEDERATION_FILE ${file}: allowHttp is for development only (${p.id})`);
    return { ...p, clientId: p.clientId ?? publicUrl, acrValues: p.acrValues ?? DEFAULT_ACR[p.kind] };
  });
}
