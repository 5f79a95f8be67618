import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './database.js';
import * as m0001 from './migrations/20261124_0001_foundation.js';
import * as m0002 from './migrations/20261124_0002_access.js';
import * as m0003 from './migrations/20261124_0003_audit_chain.js';
import * as m0004 from './migrations/20261124_0004_semplificato.js';
import * as m0005 from './migrations/20261124_0005_ripristino.js';
import * as m0006 from './migrations/20261124_0006_revoca.js';
import * as m0007 from './migrations/20261124_0007_contact_changes.js';
import * as m0008 from './migrations/20261124_0008_conversione.js';
import * as m0009 from './migrations/20261124_0009_operators.js';
import * as m0010 from './migrations/20261124_0010_documents.js';
import * as m0011 from './migrations/20261124_0011_certificati.js';
import * as m0012 from './migrations/20261124_0012_indennita.js';
import * as m0013 from './migrations/20261124_0013_session_touch.js';
import * as m0014 from './migrations/20261124_0014_federation.js';
import * as m0015 from './migrations/20261202_0015_identity_binding.js';
import * as m0016 from './migrations/20261202_0016_contact_security.js';
import * as m0017 from './migrations/20261202_0017_backoffice_security.js';
import * as m0018 from './migrations/20261202_0018_upload_retention.js';
import * as m0019 from './migrations/20261202_0019_message_quotas.js';
import * as m0020 from './migrations/20261202_0020_codes_audit.js';
import * as m0021 from './migrations/20261202_0021_pin_history.js';

/** Every migration, in order. Add new ones at the end; never edit a landed one. */
const migrations: Record<string, Migration> = {
  '20261124_0001_foundation': m0001,
  '20261124_0002_access': m0002,
  '20261124_0003_audit_chain': m0003,
  '20261124_0004_semplificato': m0004,
  '20261124_0005_ripristino': m0005,
  '20261124_0006_revoca': m0006,
  '20261124_0007_contact_changes': m0007,
  '20261124_0008_conversione': m0008,
  '20261124_0009_operators': m0009,
  '20261124_0010_documents': m0010,
  '20261124_0011_certificati': m0011,
  '20261124_0012_indennita': m0012,
  '20261124_0013_session_touch': m0013,
  '20261124_0014_federation': m0014,
  '20261202_0015_identity_binding': m0015,
  '20261202_0016_contact_security': m0016,
  '20261202_0017_backoffice_security': m0017,
  '20261202_0018_upload_retention': m0018,
  '20261202_0019_message_quotas': m0019,
  '20261202_0020_codes_audit': m0020,
  '20261202_0021_pin_history': m0021,
};

/** Migrations of the modules (src/ui/module.ts), added by the composition root: name → owning module. */
const moduleMigrations: Record<string, Migration> = {};
const owners = new Map<string, string>();

/** Adds a module's migrations (idempotent for the same module; a name taken by another is refused). */
export function registerMigrations(module: string, own: Readonly<Record<string, Migration>>): void {
  for (const [name, migration] of Object.entries(own)) {
    const owner = owners.get(name) ?? (name in migrations ? 'the platform' : undefined);
    if (owner !== undefined && owner !== module) throw new Error(`migration ${name} of ${module} is already defined by ${owner}`);
    owners.set(name, module);
    moduleMigrations[name] = migration;
  }
}

/** Kysely runs them in name order: the platform's and the modules' together. */
const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations, ...moduleMigrations }) };

const migratorOf = (db: Db) => new Migrator({ db, provider, migrationTableName: 'varco_migrations', migrationLockTableName: 'varco_migrations_lock' });

export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await migratorOf(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this code knows that the database has not run (empty: the schema is current). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  return (await migratorOf(db).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
