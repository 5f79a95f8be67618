import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The events of src/audit/events.ts: every name of AuditEventName, and the event each `audit.<fn>` writes. */
export interface AuditCatalog {
  events: Set<string>;
  fnEvents: Map<string, string[]>;
}

/** A module that writes audit records: the event names it declares (its AUDIT_EVENTS) and its source files. */
export interface AuditModule {
  name: string;
  events: readonly string[];
  /** Path (relative to the repository) → source text. */
  sources: Map<string, string>;
}

/** Reads AuditEventName and the `audit` object of the text of src/audit/events.ts. */
export function auditCatalog(eventsSource: string): AuditCatalog {
  const file = ts.createSourceFile('events.ts', eventsSource, ts.ScriptTarget.ES2022, true);
  const events = new Set<string>();
  const fnEvents = new Map<string, string[]>();
  const literals = (node: ts.Node, out: string[] = []): string[] => {
    if (ts.isStringLiteral(node) && events.has(node.text) && !out.includes(node.text)) out.push(node.text);
    node.forEachChild((child) => void literals(child, out));
    return out;
  };
  for (const statement of file.statements) {
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === 'AuditEventName' && ts.isUnionTypeNode(statement.type)) {
      for (const member of statement.type.types) if (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal)) events.add(member.literal.text);
    }
  }
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || decl.name.text !== 'audit' || !decl.initializer || !ts.isObjectLiteralExpression(decl.initializer)) continue;
      for (const prop of decl.initializer.properties) {
        if (prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) fnEvents.set(prop.name.text, literals(prop));
      }
    }
  }
  return { events, fnEvents };
}

const IMPORTS_AUDIT = /import\s*\{[^}]*\baudit\b[^}]*\}\s*from\s*'[^']*audit\/events\.js'/;
const AUDIT_CALL = /\baudit\.(\w+)\s*\(/g;
const AUDIT_VALUES = /\bauditValues\(\s*'([^']+)'/g;

/** The events one source text writes: `audit.<fn>(` (when it imports `audit`) and `auditValues('<event>'`. */
export function emittedBy(text: string, catalog: AuditCatalog): { event: string; via: string }[] {
  const out: { event: string; via: string }[] = [];
  if (IMPORTS_AUDIT.test(text)) {
    for (const m of text.matchAll(AUDIT_CALL)) {
      const fn = m[1] ?? '';
      const events = catalog.fnEvents.get(fn);
      if (!events) out.push({ event: `?${fn}`, via: `audit.${fn}` });
      else for (const event of events) out.push({ event, via: `audit.${fn}` });
    }
  }
  for (const m of text.matchAll(AUDIT_VALUES)) out.push({ event: m[1] ?? '', via: 'auditValues' });
  return out;
}

/**
 * What is wrong with the modules' AUDIT_EVENTS: a name that is no event, an event no module
 * claims, a source that writes an event its module does not list, a file that writes events and
 * belongs to no module. Empty when the lists hold.
 */
export function checkAuditEvents(catalog: AuditCatalog, modules: AuditModule[], others: Map<string, string> = new Map()): string[] {
  const problems: string[] = [];
  for (const [fn, events] of catalog.fnEvents) if (events.length === 0) problems.push(`audit.${fn} writes no event of AuditEventName`);
  const claimed = new Set<string>();
  for (const m of modules) {
    for (const event of m.events) {
      if (!catalog.events.has(event)) problems.push(`${m.name}: lists ${event}, which is not an event of src/audit/events.ts`);
      claimed.add(event);
    }
    for (const [file, text] of m.sources) {
      for (const { event, via } of emittedBy(text, catalog)) {
        if (event.startsWith('?')) problems.push(`${file}: calls ${via}, which src/audit/events.ts does not define`);
        else if (!m.events.includes(event)) problems.push(`${m.name}: ${file} writes ${event} (${via}), which its AUDIT_EVENTS do not list`);
      }
    }
  }
  for (const event of catalog.events) if (!claimed.has(event)) problems.push(`${event}: no module lists it`);
  for (const [file, text] of others)
    if (emittedBy(text, catalog).length > 0) problems.push(`${file}: writes audit events but belongs to no module with AUDIT_EVENTS`);
  return problems;
}

/** The .ts sources under a path of the repository (a folder, recursively, or one file), without tests. */
export function sourcesOf(root: string, rel: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string) => {
    const abs = path.join(root, p);
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(path.posix.join(p, name));
    } else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) {
      out.set(p, readFileSync(abs, 'utf8'));
    }
  };
  walk(rel);
  return out;
}
