import { italianCitizen } from './citizens.js';
import { createTestCa } from './cns-pki.js';

/** A CNS authority of the tests, and the card of it its CRL revokes (of an Italian citizen). */
export function cnsAuthorityWithRevokedCard(name: string) {
  const ca = createTestCa(name);
  const revoked = ca.cns(italianCitizen().codiceFiscale);
  return { ca, revoked, crl: ca.revoke(revoked) };
}

/** Varco's settings for the CNS listener on `port` ('0': any): a server certificate of the CA for TLS, the CA as the cards' bundle, the CRL. */
export function cnsListenerEnv(ca: ReturnType<typeof createTestCa>, crl: string, port: string): Record<string, string> {
  const server = ca.server();
  return {
    VARCO_TLS_CERT: server.certPath,
    VARCO_TLS_KEY: server.keyPath,
    VARCO_CNS_CA_BUNDLE: ca.caPath,
    VARCO_CNS_CRL: crl,
    VARCO_TLS_PORT: port,
  };
}
