import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { isLoopbackUrl } from '../../config/identity-providers.js';
import { TrustError, type TrustFailure } from './statements.js';

/** The largest answer a federation endpoint may give (a statement, a list, a signed JWKS). */
export const MAX_BODY_BYTES = 100_000;

/**
 * Addresses a federation entity is never reached at in production: loopback, private,
 * carrier-grade NAT, link-local (the cloud metadata service), multicast and reserved ranges. An
 * entity id is chosen by whoever writes an authority hint or a list, so without this a statement
 * could make Varco call its own network.
 */
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is one of the internal ranges above. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The DNS lookup of a guarded request: an entity whose name resolves to an internal address is not connected to. */
function guardedLookup(hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void): void {
  lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error);
    const internal = addresses.find((a) => isInternalAddress(a.address));
    if (internal || addresses.length === 0) return callback(new Error(`${hostname} resolves to an internal address (${internal?.address ?? 'none'})`));
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    return callback(null, first?.address, first?.family);
  });
}

export interface FederationGetOptions {
  accept: string;
  /** Plain http to the loopback: development and tests only. */
  allowHttp?: boolean;
  /** Internal addresses (loopback, private networks) allowed: development and tests only. */
  allowInternal?: boolean;
  timeoutMs?: number;
  /** The reason a 404 gives (a fetch endpoint answers 404 for an entity that is not its subordinate). */
  notFound?: TrustFailure;
}

/**
 * A GET to a federation endpoint (an entity configuration, a fetch or a list endpoint, a signed
 * JWKS): over https only (plain http to the loopback when allowed), never to an internal address
 * unless allowed (checked on the addresses the name resolves to, for the connection made), no
 * redirects, bounded in time and in size (the answer is read no further than MAX_BODY_BYTES). A
 * failure is a TrustError: 'unreachable', or 'malformed' for an answer too large.
 */
export async function federationGet(url: string, o: FederationGetOptions): Promise<string> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && !(o.allowHttp && target.protocol === 'http:' && isLoopbackUrl(target)))
    throw new TrustError('unreachable', `${url}: federation entities are reached over https only`);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!o.allowInternal && isIP(host) && isInternalAddress(host)) throw new TrustError('unreachable', `${url}: an internal address`);
  const options: RequestOptions = {
    method: 'GET',
    headers: { accept: o.accept },
    signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    ...(o.allowInternal ? {} : { lookup: guardedLookup as RequestOptions['lookup'] }),
  };
  let res: IncomingMessage;
  let body: string;
  try {
    res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, resolve);
      req.on('error', reject);
      req.end();
    });
    body = await readCapped(res, url);
  } catch (error) {
    if (error instanceof TrustError) throw error;
    throw new TrustError('unreachable', `${url}: ${error instanceof Error ? error.message : 'no answer'}`);
  }
  // A fetch endpoint answers 404 for an entity that is not (or no longer) its subordinate.
  if (res.statusCode === 404 && o.notFound) throw new TrustError(o.notFound, `${url}: not found`);
  if (res.statusCode !== 200) throw new TrustError('unreachable', `${url} answered ${res.statusCode ?? 'nothing'}`);
  return body.trim();
}

/** The body, refused as soon as it passes MAX_BODY_BYTES (by its Content-Length, or while it is read). */
function readCapped(res: IncomingMessage, url: string): Promise<string> {
  const tooLarge = () => new TrustError('malformed', `${url}: answer too large`);
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    res.destroy();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** Where an entity publishes its configuration (OpenID Federation 1.0, section 9). */
export const configurationUrl = (entityId: string): string => `${entityId.replace(/\/$/, '')}/.well-known/openid-federation`;
