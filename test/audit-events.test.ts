import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENTS as backoffice } from '../src/backoffice/audit-events.js';
import { AUDIT_EVENTS as cns } from '../src/cns/audit-events.js';
import { AUDIT_EVENTS as dev } from '../src/dev/audit-events.js';
import { AUDIT_EVENTS as federation } from '../src/federation/audit-events.js';
import { AUDIT_EVENTS as accesso } from '../src/flows/accesso/audit-events.js';
import { AUDIT_EVENTS as cambioPin } from '../src/flows/cambio-pin/audit-events.js';
import { AUDIT_EVENTS as certificati } from '../src/flows/certificati/audit-events.js';
import { AUDIT_EVENTS as conversione } from '../src/flows/conversione/audit-events.js';
import { AUDIT_EVENTS as documenti } from '../src/flows/documenti/audit-events.js';
import { AUDIT_EVENTS as indennita } from '../src/flows/indennita/audit-events.js';
import { AUDIT_EVENTS as nonSonoStatoIo } from '../src/flows/non-sono-stato-io/audit-events.js';
import { AUDIT_EVENTS as profilo } from '../src/flows/profilo/audit-events.js';
import { AUDIT_EVENTS as recapiti } from '../src/flows/recapiti/audit-events.js';
import { AUDIT_EVENTS as revoca } from '../src/flows/revoca/audit-events.js';
import { AUDIT_EVENTS as richiesta } from '../src/flows/richiesta/audit-events.js';
import { AUDIT_EVENTS as ripristino } from '../src/flows/ripristino/audit-events.js';
import { AUDIT_EVENTS as letters } from '../src/letters/audit-events.js';
import { AUDIT_EVENTS as oidc } from '../src/oidc/audit-events.js';
import { AUDIT_EVENTS as outbox } from '../src/outbox/audit-events.js';
import { AUDIT_EVENTS as server, CLI_AUDIT_EVENTS as cli } from '../src/server/audit-events.js';
import { type AuditModule, auditCatalog, checkAuditEvents, emittedBy, sourcesOf } from './support/audit-events.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every module that writes audit records, with the folder (or file) its AUDIT_EVENTS speak for. */
const LISTS: [string, readonly string[]][] = [
  ['src/flows/accesso', accesso],
  ['src/flows/cambio-pin', cambioPin],
  ['src/flows/certificati', certificati],
  ['src/flows/conversione', conversione],
  ['src/flows/documenti', documenti],
  ['src/flows/indennita', indennita],
  ['src/flows/non-sono-stato-io', nonSonoStatoIo],
  ['src/flows/profilo', profilo],
  ['src/flows/recapiti', recapiti],
  ['src/flows/revoca', revoca],
  ['src/flows/richiesta', richiesta],
  ['src/flows/ripristino', ripristino],
  ['src/backoffice', backoffice],
  ['src/oidc', oidc],
  ['src/federation', federation],
  ['src/cns', cns],
  ['src/dev', dev],
  ['src/outbox', outbox],
  ['src/letters', letters],
  ['src/server', server],
  ['src/cli.ts', cli],
];

const catalog = auditCatalog(readFileSync(path.join(ROOT, 'src/audit/events.ts'), 'utf8'));

describe('audit events: each module lists the events it writes', () => {
  it('reads every event and every audit function of src/audit/events.ts', () => {
    expect(catalog.events.size).toBeGreaterThan(50);
    expect(catalog.fnEvents.get('pinRequested')).toEqual(['pin.requested']);
    expect(catalog.fnEvents.get('federatedLoginSucceeded')).toEqual(['login.succeeded']);
    expect(catalog.fnEvents.get('outboxSentMany')).toEqual(['outbox.sent']);
  });

  it('the modules’ lists together are the events of src/audit/events.ts, and each source writes only what its module lists', () => {
    const modules: AuditModule[] = LISTS.map(([rel, events]) => ({ name: rel, events, sources: sourcesOf(ROOT, rel) }));
    const covered = (file: string) => file.startsWith('src/audit/') || LISTS.some(([rel]) => file === rel || file.startsWith(`${rel}/`));
    const others = new Map([...sourcesOf(ROOT, 'src')].filter(([file]) => !covered(file)));
    expect(checkAuditEvents(catalog, modules, others)).toEqual([]);
    const union = new Set(LISTS.flatMap(([, events]) => events));
    expect([...union].sort()).toEqual([...catalog.events].sort());
  });
});

describe('the check fails on a violation', () => {
  const small = auditCatalog(`
export type AuditEventName = 'pin.requested' | 'revoca.completed' | 'login.succeeded';
export const audit = {
  pinRequested: (db: Executor, ctx: AuditContext, cf: string) => record(db, 'pin.requested', ctx, cf, {}),
  revocaCompleted: (db: Executor, ctx: AuditContext, cf: string) =>
    record(db, 'revoca.completed', ctx, cf, {}),
  federatedLoginSucceeded: (db: Executor, ctx: AuditContext, cf: string) => record(db, 'login.succeeded', ctx, cf, {}),
};`);
  const source = (body: string) => `import { audit, auditValues } from '../../audit/events.js';\n${body}\n`;

  it('passes lists that hold', () => {
    const modules: AuditModule[] = [
      {
        name: 'richiesta',
        events: ['pin.requested', 'login.succeeded'],
        sources: new Map([['src/flows/richiesta/service.ts', source("await audit.pinRequested(trx, ctx, cf);\nauditValues('login.succeeded', ctx, cf, {});")]]),
      },
      {
        name: 'revoca',
        events: ['revoca.completed'],
        sources: new Map([['src/flows/revoca/service.ts', source('await audit.revocaCompleted(\n  trx, ctx, cf);')]]),
      },
    ];
    expect(checkAuditEvents(small, modules)).toEqual([]);
  });

  it('a source writing an event its module does not list', () => {
    const modules: AuditModule[] = [
      {
        name: 'richiesta',
        events: ['pin.requested'],
        sources: new Map([['src/flows/richiesta/service.ts', source('await audit.pinRequested(trx, ctx, cf);\nawait audit.revocaCompleted(trx, ctx, cf);')]]),
      },
      { name: 'revoca', events: ['revoca.completed', 'login.succeeded'], sources: new Map() },
    ];
    expect(checkAuditEvents(small, modules)).toEqual([
      'richiesta: src/flows/richiesta/service.ts writes revoca.completed (audit.revocaCompleted), which its AUDIT_EVENTS do not list',
    ]);
  });

  it('an event no module lists, a name that is no event, an audit function that does not exist', () => {
    const modules: AuditModule[] = [
      {
        name: 'richiesta',
        events: ['pin.requested', 'pin.typo'],
        sources: new Map([['src/flows/richiesta/routes.ts', source('await audit.pinRequestedd(trx, ctx, cf);')]]),
      },
    ];
    expect(checkAuditEvents(small, modules)).toEqual([
      'richiesta: lists pin.typo, which is not an event of src/audit/events.ts',
      'src/flows/richiesta/routes.ts: calls audit.pinRequestedd, which src/audit/events.ts does not define',
      'revoca.completed: no module lists it',
      'login.succeeded: no module lists it',
    ]);
  });

  it('a file that writes events outside every module', () => {
    const modules: AuditModule[] = [{ name: 'all', events: ['pin.requested', 'revoca.completed', 'login.succeeded'], sources: new Map() }];
    const others = new Map([['src/sessions/store.ts', source('await audit.pinRequested(db, ctx, cf);')]]);
    expect(checkAuditEvents(small, modules, others)).toEqual(['src/sessions/store.ts: writes audit events but belongs to no module with AUDIT_EVENTS']);
  });

  it('a local variable named audit is not the audit log', () => {
    expect(emittedBy('const audit = rows.filter(Boolean);\naudit.map((a) => a.event);', small)).toEqual([]);
  });
});
