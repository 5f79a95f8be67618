/**
 * The `acr` values Varco hands to relying parties: the level of the portal session (R18).
 * A semplificato session is never handed out.
 */
export const ACR: Record<'ordinario' | 'dispositivo', string> = {
  ordinario: 'urn:varco:loa:ordinario',
  dispositivo: 'urn:varco:loa:dispositivo',
};

/**
 * What each scope hands over: the provider's claims configuration, the claims a consent grants
 * and the lines of the consent page all read this one table.
 */
export const SCOPE_CLAIMS = {
  // The level (acr), how the citizen logged in (amr) and when are in every ID token.
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['fiscal_number', 'given_name', 'family_name', 'birthdate'],
  email: ['email'],
  phone: ['phone_number'],
} as const satisfies Record<string, readonly string[]>;
