import path from 'node:path';
import { sql } from 'kysely';
import ts from 'typescript';
import type { Db } from '../../src/db/database.js';

/**
 * Issue 14 part 4: src/db/schema.ts is written by hand; this reads what it declares with the
 * TypeScript compiler and what the migrated database holds from information_schema, and lists
 * every difference (tables, columns, nullability, a coarse type class, insert defaults).
 */

/** Coarse type classes: what a value of the column is in JavaScript once the driver parsed it. */
export type TypeClass = 'text' | 'number' | 'boolean' | 'date' | 'json' | 'other';

export interface DeclaredColumn {
  /** The select type includes null. */
  nullable: boolean;
  /** Declared with `?` (Kysely wants `| null` or Generated<…> instead). */
  optionalProperty: boolean;
  /** The insert type includes undefined (Generated<…>, ColumnType<…, … | undefined, …>). */
  insertOptional: boolean;
  /** The classes of the select type's non-null members, sorted. */
  classes: TypeClass[];
}

export interface DeclaredTable {
  /** The interface (or type) the Database property names, for messages. */
  typeName: string;
  columns: Map<string, DeclaredColumn>;
}

export type DeclaredSchema = Map<string, DeclaredTable>;

export interface ActualColumn {
  nullable: boolean;
  hasDefault: boolean;
  /** information_schema.columns.data_type */
  dataType: string;
}

export type ActualSchema = Map<string, Map<string, ActualColumn>>;

export const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../src/db/schema.ts');

/**
 * The tables of the `Database` interface of `file` and the columns of each table type. `source`
 * replaces the file's text (a deliberately wrong schema in a test); imports resolve from `file`'s folder.
 */
export function readDeclaredSchema(file: string = SCHEMA_FILE, source?: string): DeclaredSchema {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options, true);
  if (source !== undefined) {
    const getSourceFile = host.getSourceFile.bind(host);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const same = (f: string) => path.resolve(f) === path.resolve(file);
    host.getSourceFile = (f, languageVersion, ...rest) =>
      same(f) ? ts.createSourceFile(f, source, languageVersion, true) : getSourceFile(f, languageVersion, ...rest);
    host.readFile = (f) => (same(f) ? source : readFile(f));
    host.fileExists = (f) => same(f) || fileExists(f);
  }
  const program = ts.createProgram([file], options, host);
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error(`${file}: not found`);
  const checker = program.getTypeChecker();
  const database = sourceFile.statements.find(
    (s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === 'Database',
  );
  if (!database) throw new Error(`${file}: no Database interface`);

  const schema: DeclaredSchema = new Map();
  for (const table of checker.getPropertiesOfType(checker.getTypeAtLocation(database))) {
    const tableType = checker.getTypeOfSymbol(table);
    const columns = new Map<string, DeclaredColumn>();
    for (const column of checker.getPropertiesOfType(tableType)) {
      const columnType = checker.getTypeOfSymbol(column);
      // Kysely's SelectType/InsertType distribute over a union: `Timestamp | null` selects `Date | null`.
      const selectParts = partsOf(columnType).flatMap((t) => partsOf(member(checker, t, '__select__') ?? t));
      const insertParts = partsOf(columnType).flatMap((t) => partsOf(member(checker, t, '__insert__') ?? t));
      const optionalProperty = (column.flags & ts.SymbolFlags.Optional) !== 0;
      columns.set(column.name, {
        nullable: selectParts.some((t) => (t.flags & ts.TypeFlags.Null) !== 0),
        optionalProperty,
        insertOptional: optionalProperty || insertParts.some((t) => (t.flags & ts.TypeFlags.Undefined) !== 0),
        classes: [...new Set(selectParts.filter((t) => (t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) === 0).map((t) => classOf(checker, t)))].sort(),
      });
    }
    const typeName = tableType.aliasSymbol?.name ?? tableType.getSymbol()?.name ?? checker.typeToString(tableType);
    schema.set(table.name, { typeName, columns });
  }
  return schema;
}

function member(checker: ts.TypeChecker, type: ts.Type, name: string): ts.Type | undefined {
  const symbol = type.getProperty(name);
  return symbol ? checker.getTypeOfSymbol(symbol) : undefined;
}

function partsOf(type: ts.Type): ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

function classOf(checker: ts.TypeChecker, type: ts.Type): TypeClass {
  if (type.flags & ts.TypeFlags.StringLike) return 'text';
  if (type.flags & ts.TypeFlags.NumberLike) return 'number';
  if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
  if (type.flags & ts.TypeFlags.Object) return type.getSymbol()?.name === 'Date' ? 'date' : 'json';
  if (type.isIntersection()) return 'json';
  return 'other';
}

/** What the driver hands back for each PostgreSQL type Varco uses (src/db/database.ts sets DATE → string, BIGINT → number). */
const CLASS_OF_DATA_TYPE: Record<string, TypeClass> = {
  text: 'text',
  character: 'text',
  'character varying': 'text',
  uuid: 'text',
  date: 'text',
  integer: 'number',
  smallint: 'number',
  bigint: 'number',
  boolean: 'boolean',
  'timestamp with time zone': 'date',
  'timestamp without time zone': 'date',
  jsonb: 'json',
  json: 'json',
};

export function classOfDataType(dataType: string): TypeClass {
  return CLASS_OF_DATA_TYPE[dataType] ?? 'other';
}

/** Kysely's migration bookkeeping (Varco names its tables varco_migrations*): not part of Database. */
export function isMigrationTable(name: string): boolean {
  return /^(kysely|varco)_migration/.test(name);
}

/** The base tables of the current schema and their columns, migration bookkeeping left out. */
export async function readActualSchema(db: Db): Promise<ActualSchema> {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>`
    select c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  const schema: ActualSchema = new Map();
  for (const r of rows) {
    if (isMigrationTable(r.table_name)) continue;
    let table = schema.get(r.table_name);
    if (!table) schema.set(r.table_name, (table = new Map()));
    table.set(r.column_name, { nullable: r.is_nullable === 'YES', hasDefault: r.column_default !== null, dataType: r.data_type });
  }
  return schema;
}

/** Every difference between schema.ts and the database, one sentence each; empty when they agree. */
export function compareSchemas(declared: DeclaredSchema, actual: ActualSchema): string[] {
  const problems: string[] = [];
  for (const name of [...actual.keys()].sort()) {
    if (!declared.has(name)) problems.push(`table ${name} is in the database, not in Database (src/db/schema.ts)`);
  }
  for (const [name, table] of [...declared].sort(([a], [b]) => a.localeCompare(b))) {
    const columns = actual.get(name);
    if (!columns) {
      problems.push(`table ${name} is in Database (src/db/schema.ts), not in the database`);
      continue;
    }
    for (const column of columns.keys()) {
      if (!table.columns.has(column)) problems.push(`${name}.${column} is in the database, not in ${table.typeName}`);
    }
    for (const [column, d] of table.columns) {
      const a = columns.get(column);
      if (!a) {
        problems.push(`${name}.${column} is in ${table.typeName}, not in the database`);
        continue;
      }
      const where = `${name}.${column} (${table.typeName})`;
      if (d.optionalProperty) problems.push(`${where} is declared with ?: use | null (nullable) or Generated<…> (a default)`);
      if (d.nullable !== a.nullable)
        problems.push(a.nullable ? `${where} is nullable in the database: add | null` : `${where} is NOT NULL in the database: drop | null`);
      const expected = classOfDataType(a.dataType);
      if (d.classes.length !== 1 || d.classes[0] !== expected)
        problems.push(`${where} is ${d.classes.join(' | ') || 'never'} in schema.ts, ${a.dataType} (${expected}) in the database`);
      if (d.insertOptional && !a.nullable && !a.hasDefault)
        problems.push(`${where} may be left out of an insert in schema.ts, but the database has no default for it`);
    }
  }
  return problems;
}
