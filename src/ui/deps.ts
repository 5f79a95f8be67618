import type { CookieSerializeOptions } from '@fastify/cookie';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { AccessTokenLookup } from '../clients/clients.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { IbanHolderCheck } from '../adapters/iban-holders.js';
import type { FlowStore } from '../sessions/flow-store.js';
import type { ResidenceDeps } from '../adapters/residence.js';
import type { SessionStore } from '../sessions/store.js';
import type { PinHasher } from '../security/hasher.js';
import type { SecretBox } from '../security/secret-box.js';

/** What route modules receive: the services, built once per process (STYLE: dependencies are explicit). */
export interface AppDeps {
  config: Config;
  db: Db;
  hasher: PinHasher;
  box: SecretBox;
  flows: FlowStore;
  sessions: SessionStore;
  /** argon2id hash of a random PIN: unknown codici fiscali are verified against it (same time). */
  dummyHash: string;
  now: () => Date;
  /** R6: PIN semplificato is open (configured on, and not past its end date). */
  semplificatoOpen: () => boolean;
  /** R12: a pre-handler counting requests per client IP in the named bucket (`factor` × the configured limit). */
  rateLimitHook(bucket: string, factor?: number): preHandlerAsyncHookHandler;
  cookieOptions(extra?: CookieSerializeOptions): CookieSerializeOptions;
  /** R21: whether an IBAN belongs to the applicant (Check IBAN in production, a table by default). */
  ibanHolders: IbanHolderCheck;
  /**
   * The origins a portal path can end at, off-site, through same-site redirects: for a relying
   * party's pending request (`/autorizza/<uid>`), its client's registered redirect URIs.
   */
  returnTargets?: (path: string) => Promise<string[]>;
  /** Issue 12 F1: where the second half's letter goes (the residence registry, or where typed in development). */
  residence: ResidenceDeps;
  /** Access tokens of the OpenID Provider's client credentials grant, for the API. */
  accessTokens?: AccessTokenLookup;
}
