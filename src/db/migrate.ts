import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { MigrationError, messageOf } from '../errors/index.js';
import { SQLSTATE, errorCode } from './errors.js';

/** Kysely keeps its own bookkeeping tables; ours adds a checksum per applied file. */
const MIGRATION_TABLE = 'schema_migrations';
const MIGRATION_LOCK_TABLE = 'schema_migrations_lock';
const CHECKSUM_TABLE = 'schema_migration_checksums';

export interface MigrationFile {
  name: string; // file name without .sql, e.g. 0001_landscape
  sql: string;
  sha256: string;
}

export interface MigrateResult {
  applied: string[];
  version: string | null;
}

/** Finds sql/migrations from the running file, in src/ (tests) as in dist/ (the built command). */
export function defaultMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'sql', 'migrations');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new MigrationError('cannot find the sql/migrations folder next to the greenshoots code: reinstall the package');
}

/** Reads `NNNN_description.sql` files in name order. */
export function readMigrationFiles(dir: string = defaultMigrationsDir()): MigrationFile[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql: text, sha256: sha256(text) };
    });
}

/**
 * Applies pending migrations with Kysely's Migrator: all pending files in one transaction under
 * Postgres' advisory lock (PostgresAdapter.acquireMigrationLock), so two processes starting at once
 * cannot apply one twice. Before that, refuses to run when an applied file has since been edited.
 */
export async function migrate<DB>(db: Kysely<DB>, files: MigrationFile[] = readMigrationFiles()): Promise<MigrateResult> {
  await ensureChecksumTable(db);
  await verifyAppliedChecksums(db, files);

  const migrator = new Migrator({
    db,
    provider: new SqlFileProvider(files),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationError(
      failed
        ? `migration ${failed} failed, nothing was applied: ${messageOf(error)}`
        : `cannot migrate the database: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    version: await schemaVersion(db),
  };
}

/** The name of the newest applied migration, or null on an empty database. */
export async function schemaVersion<DB>(db: Kysely<DB>): Promise<string | null> {
  try {
    const { rows } = await sql<{ name: string }>`
      select name from ${sql.table(MIGRATION_TABLE)} order by name desc limit 1`.execute(db);
    return rows[0]?.name ?? null;
  } catch (err) {
    if (errorCode(err) === SQLSTATE.UNDEFINED_TABLE) return null;
    throw err;
  }
}

class SqlFileProvider implements MigrationProvider {
  constructor(private readonly files: MigrationFile[]) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of this.files) {
      migrations[file.name] = {
        up: async (trx) => {
          // A parameterless statement runs as a script on both pg (simple protocol) and PGlite (exec).
          await sql.raw(file.sql).execute(trx);
          await sql`insert into ${sql.table(CHECKSUM_TABLE)} (name, sha256) values (${file.name}, ${file.sha256})
                    on conflict (name) do update set sha256 = excluded.sha256`.execute(trx);
        },
      };
    }
    return migrations;
  }
}

async function ensureChecksumTable<DB>(db: Kysely<DB>): Promise<void> {
  try {
    await sql`create table if not exists ${sql.table(CHECKSUM_TABLE)} (
      name text primary key, sha256 text not null, recorded_at timestamptz not null default now())`.execute(db);
  } catch (err) {
    // Two processes creating it at once: one wins, the other sees a duplicate (of the table, or of
    // its row type: 42710, seen in a test of two migrating processes); both may go on.
    const code = errorCode(err);
    if (code !== SQLSTATE.UNIQUE_VIOLATION && code !== SQLSTATE.DUPLICATE_TABLE && code !== SQLSTATE.DUPLICATE_OBJECT) throw err;
  }
}

async function verifyAppliedChecksums<DB>(db: Kysely<DB>, files: MigrationFile[]): Promise<void> {
  const { rows } = await sql<{ name: string; sha256: string }>`
    select name, sha256 from ${sql.table(CHECKSUM_TABLE)} order by name`.execute(db);
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const applied of rows) {
    const file = byName.get(applied.name);
    if (!file) {
      throw new MigrationError(
        `migration ${applied.name} is applied to this database but its file is missing: use the greenshoots version that created this database, or a newer one`,
      );
    }
    if (file.sha256 !== applied.sha256) {
      throw new MigrationError(
        `migration ${applied.name}.sql was edited after it was applied to this database: restore the file and put the change in a new migration`,
      );
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
