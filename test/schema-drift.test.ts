import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.js';
import { ENGINES, freshDatabase } from './support/db.js';
import { type ActualSchema, type DeclaredSchema, compareSchemas, readActualSchema, readDeclaredSchema } from './support/schema-drift.js';

/**
 * Issue 14 part 4: src/db/schema.ts, kept by hand, says what the migrations build — every table
 * and column, its nullability, the class of its values and whether an insert may leave it out —
 * on both engines.
 */
let declared: DeclaredSchema;
beforeAll(() => {
  declared = readDeclaredSchema();
});

describe.each(ENGINES)('src/db/schema.ts against the migrated database (%s)', (engine) => {
  let db: Db;
  let actual: ActualSchema;
  beforeAll(async () => {
    ({ db } = await freshDatabase(engine));
    actual = await readActualSchema(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('declares every table and column the migrations create, and nothing else', () => {
    expect(compareSchemas(declared, actual)).toEqual([]);
  });

  it('reads the real tables (the comparison is not vacuous)', () => {
    expect(actual.size).toBeGreaterThan(40);
    expect(actual.size).toBe(declared.size);
    expect(actual.has('varco_migrations')).toBe(false);
    expect(actual.get('citizens')?.get('email')).toEqual({ nullable: true, hasDefault: false, dataType: 'text' });
    expect(declared.get('citizens')?.columns.get('email')).toEqual({ nullable: true, optionalProperty: false, insertOptional: false, classes: ['text'] });
    expect(declared.get('sessions')?.columns.get('ended_at')).toMatchObject({ nullable: true, classes: ['date'] });
    expect(declared.get('pending_contacts')?.columns.has('cellulare')).toBe(true); // inherited through Pick<CitizensTable, …>
  });
});

describe('the comparison', () => {
  let db: Db;
  let actual: ActualSchema;
  beforeAll(async () => {
    ({ db } = await freshDatabase('pglite'));
    actual = await readActualSchema(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('names every drift of a deliberately wrong Database interface', () => {
    const problems = compareSchemas(readDeclaredSchema(path.resolve(import.meta.dirname, 'fixtures/wrong-schema.ts')), actual);
    expect(problems).toEqual(
      expect.arrayContaining([
        // a table of the database missing from Database, and one of Database missing from the database
        'table credentials is in the database, not in Database (src/db/schema.ts)',
        'table ghosts is in Database (src/db/schema.ts), not in the database',
        // columns missing either way
        'citizens.email is in the database, not in CitizensTable',
        'citizens.soprannome is in CitizensTable, not in the database',
        // nullability either way
        'citizens.cognome (CitizensTable) is NOT NULL in the database: drop | null',
        'citizens.cellulare (CitizensTable) is nullable in the database: add | null',
        // the class of the values (DATE columns are read as 'YYYY-MM-DD' strings)
        'citizens.data_nascita (CitizensTable) is date in schema.ts, date (text) in the database',
        // an optional property instead of Generated<…>
        'citizens.intermediario (CitizensTable) is declared with ?: use | null (nullable) or Generated<…> (a default)',
        // an insert may not leave out a NOT NULL column without a default
        'flows.expires_at (FlowsTable) may be left out of an insert in schema.ts, but the database has no default for it',
      ]),
    );
    // What the wrong interface gets right is not reported.
    expect(
      problems.filter(
        (p) =>
          p.startsWith('citizens.nome ') ||
          p.startsWith('citizens.residenza ') ||
          p.startsWith('citizens.ripristino_blocked_at ') ||
          p.startsWith('flows.data '),
      ),
    ).toEqual([]);
    expect(problems.some((p) => p.startsWith('table flows ') || p.startsWith('table citizens '))).toBe(false);
  });

  it('finds nothing on the real schema.ts, and a difference as soon as one column changes', () => {
    expect(compareSchemas(declared, actual)).toEqual([]);
    const changed: ActualSchema = new Map([...actual].map(([t, cols]) => [t, new Map(cols)]));
    changed.get('audit_events')?.set('ip', { nullable: false, hasDefault: false, dataType: 'inet' });
    expect(compareSchemas(declared, changed)).toEqual([
      'audit_events.ip (AuditEventsTable) is NOT NULL in the database: drop | null',
      'audit_events.ip (AuditEventsTable) is text in schema.ts, inet (other) in the database',
    ]);
  });
});
