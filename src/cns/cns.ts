import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import proxyAddr from '@fastify/proxy-addr';
import { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { audit } from '../audit/events.js';
import type { Config } from '../config/config.js';
import { cfFromClaim, type FederatedIdentity } from '../federation/citizens.js';
import { openFederatedSession } from '../federation/session.js';
import { federatedErrorPage, type FederatedRefusal } from '../federation/views.js';
import { safeReturnPath } from '../ui/guard.js';
import { auditContextOf } from '../ui/audit-context.js';
import type { AppDeps } from '../ui/deps.js';
import { queryValue } from '../ui/route.js';

type Verdict = { ok: true; cert: X509Certificate } | { ok: false; reason: Extract<FederatedRefusal, `cns_${string}`>; detail?: string };

/** A distinguished name as attribute → value (Node prints one `key=value` per line; the first of each kept). */
function attributesOf(dn: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of dn.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !out.has(line.slice(0, eq))) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/**
 * Who a CNS certificate names: the codice fiscale from the subject's serialNumber (`IT:<CF>`
 * or `TINIT-<CF>`) or, failing that, from the CN (`<CF>/<card serial>.<hash>`), as CNS cards
 * carry it; names from SN and GN.
 */
export function identityFromCertificate(cert: X509Certificate): FederatedIdentity | undefined {
  const s = attributesOf(cert.subject);
  const fromSerial = s.get('serialNumber')?.replace(/^(IT:|TINIT-)/i, '');
  const cf = cfFromClaim(fromSerial) ?? cfFromClaim(s.get('CN')?.split('/')[0]);
  if (!cf) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are what is stripped from the names
  const cap = (v: string | undefined) => (v ? v.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 100) || undefined : undefined);
  return { codiceFiscale: cf, cognome: cap(s.get('SN')), nome: cap(s.get('GN')) };
}

/** The issuer as the audit trail names it. */
function issuerName(cert: X509Certificate): string {
  const s = attributesOf(cert.issuer);
  return (s.get('O') ?? s.get('CN') ?? 'CNS').slice(0, 100);
}

/** OpenSSL's verification errors, as the handshake or nginx's $ssl_client_verify report them. */
function refusalOf(error: string): Verdict {
  const e = error.toLowerCase();
  // The revocation list itself missing, expired or unreadable: Varco cannot check, the card is not at fault.
  if (/crl/.test(e)) return { ok: false, reason: 'cns_unavailable', detail: error };
  if (/revoked/.test(e)) return { ok: false, reason: 'cns_revoked', detail: error };
  if (/expired|not_yet_valid|not yet valid/.test(e)) return { ok: false, reason: 'cns_expired', detail: error };
  return { ok: false, reason: 'cns_untrusted', detail: error };
}

function validNow(cert: X509Certificate): boolean {
  const now = Date.now();
  return new Date(cert.validFrom).getTime() <= now && now <= new Date(cert.validTo).getTime();
}

/**
 * The certificate of a request and OpenSSL's verdict on it: from Varco's own TLS handshake
 * (CA bundle and CRL of VARCO_CNS_CA_BUNDLE / VARCO_CNS_CRL), or from a reverse proxy among
 * VARCO_TRUSTED_PROXIES that verified it and forwards it (VARCO_CNS_HEADER, VARCO_CNS_VERIFY_HEADER).
 */
function verdictOf(req: FastifyRequest, config: Config, trusted: (addr: string, i: number) => boolean): Verdict {
  const socket = req.raw.socket;
  if (socket instanceof TLSSocket && config.cns.tls) {
    const cert = socket.getPeerX509Certificate();
    if (!cert) return { ok: false, reason: 'cns_missing' };
    if (!socket.authorized) return refusalOf(String(socket.authorizationError ?? 'unverified'));
    return validNow(cert) ? { ok: true, cert } : { ok: false, reason: 'cns_expired' };
  }
  const header = config.cns.proxyHeader;
  const peer = req.raw.socket.remoteAddress ?? '';
  if (!header || !peer || !trusted(peer, 0)) return { ok: false, reason: 'cns_missing' };
  const verify = String(req.headers[config.cns.proxyVerifyHeader] ?? 'NONE');
  const escaped = req.headers[header];
  if (verify === 'NONE' || typeof escaped !== 'string' || !escaped) return { ok: false, reason: 'cns_missing' };
  if (verify !== 'SUCCESS') return refusalOf(verify.replace(/^FAILED:/, ''));
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(decodeURIComponent(escaped));
  } catch {
    return { ok: false, reason: 'cns_untrusted', detail: 'unreadable certificate' };
  }
  return validNow(cert) ? { ok: true, cert } : { ok: false, reason: 'cns_expired' };
}

/** /accedi/cns: the CNS entrance (R17). The session opened is dispositivo; the citizen goes back to the portal's own address. */
export function cnsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { config } = deps;
  if (!config.cns.tls && !config.cns.proxyHeader) return;
  // The same reading of VARCO_TRUSTED_PROXIES as Fastify's (addresses, CIDR, netmasks, names like loopback).
  const trusted = proxyAddr.compile(config.trustedProxies);
  app.get('/accedi/cns', { preHandler: deps.rateLimitHook('federata') }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const verdict = verdictOf(req, config, trusted);
    const identity = verdict.ok ? identityFromCertificate(verdict.cert) : undefined;
    if (!verdict.ok || !identity) {
      const reason = verdict.ok ? 'cns_no_cf' : verdict.reason;
      const provider = verdict.ok ? issuerName(verdict.cert) : null;
      await audit.federatedLoginRefused(deps.db, auditContextOf(req), null, {
        method: 'cns',
        provider,
        reason: !verdict.ok && verdict.detail ? `${reason}: ${verdict.detail}` : reason,
      });
      return reply
        .code(401)
        .type('text/html')
        .send(federatedErrorPage(req.ctx, 'cns', reason));
    }
    const ritorno = safeReturnPath(queryValue(req, 'ritorno'));
    return openFederatedSession(deps, req, reply, {
      method: 'cns',
      provider: issuerName(verdict.cert),
      identity,
      ritorno: `${config.publicUrl}${ritorno ?? '/bacheca'}`,
    });
  });
}

/**
 * Varco's own HTTPS listener for CNS logins: it asks the browser for a client certificate and
 * lets OpenSSL check it against the CA bundle and the CRL; a failed check still reaches
 * /accedi/cns, which says what is wrong instead of a browser's bare TLS error.
 */
export async function startCnsListener(
  app: FastifyInstance,
  config: Config,
  host: string,
  log?: (msg: string, fields?: Record<string, unknown>) => void,
): Promise<Server | undefined> {
  const tls = config.cns.tls;
  if (!tls) return undefined;
  const context = () => ({
    cert: readFileSync(tls.cert),
    key: readFileSync(tls.key),
    ca: readFileSync(tls.caBundle),
    ...(tls.crl ? { crl: readFileSync(tls.crl) } : {}),
  });
  const server = createHttpsServer({ ...context(), requestCert: true, rejectUnauthorized: false }, (req, res) => app.server.emit('request', req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(tls.port, host, () => resolve());
  });
  // Certificates, CA bundle and CRL are read again every few minutes: a card revoked today, or
  // the authorities' next CRL, is in force without a restart. A file being rewritten is tried later.
  const timer = setInterval(() => {
    try {
      server.setSecureContext(context());
    } catch (error) {
      log?.('CNS certificates or CRL not reloaded', { error: error instanceof Error ? error.message : String(error) });
    }
  }, CRL_RELOAD_MS);
  timer.unref();
  server.once('close', () => clearInterval(timer));
  return server;
}

const CRL_RELOAD_MS = 5 * 60_000;
