import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/index.js';
import { DatabaseError } from '../errors/index.js';
import { describePgError } from './errors.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';
import { valueParsers } from './types.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, safe to print: a URL without its password, or a folder. */
  location: string;
  close(): Promise<void>;
}

/** Opens the configured database (a Postgres server, or embedded PGlite) and checks it answers. */
export async function openDatabase(database: Config['database']): Promise<DatabaseHandle> {
  return database.kind === 'postgres' ? openPostgres(database.url) : openPGlite(database.dataDir);
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const location = redactPassword(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        valueParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server (restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => {});
    throw new DatabaseError(`${describePgError(err, location)}`, { cause: err });
  }
  return { db, kind: 'postgres', location, close: once(() => db.destroy()) };
}

/**
 * Postgres settings for the embedded database, as `postgres -c` arguments. PGlite keeps Postgres'
 * default shared_buffers (128MB), a buffer pool inside its WebAssembly memory that Postgres fills at
 * start: 16MB cuts the peak RSS of opening a database by ~120 MiB (296 → 175 MiB for open + select 1,
 * bench/pglite-memory.ts). Pages missed there come from the OS page cache, not the disk. wal_buffers
 * follows shared_buffers (1/32: 512kB); setting it lower measured no difference. Passed at every start,
 * not through PGlite's `postgresqlconf`, which replaces the data folder's whole postgresql.conf.
 */
export const PGLITE_SETTINGS: readonly string[] = ['-c', 'shared_buffers=16MB'];

async function openPGlite(dataDir: string): Promise<DatabaseHandle> {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new DatabaseError(
      `cannot create the embedded database folder ${dataDir} (${(err as Error).message}): set GREENSHOOTS_DATA_DIR to a writable folder`,
      { cause: err },
    );
  }
  const releaseLock = acquireDataDirLock(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    // startParams replaces PGlite's own start arguments, so they go first; later `-c` settings win.
    const pglite = await PGlite.create(dataDir, { parsers: valueParsers, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      location: dataDir,
      close: once(async () => {
        try {
          await db.destroy();
        } finally {
          releaseLock();
        }
      }),
    };
  } catch (err) {
    releaseLock();
    throw new DatabaseError(
      `cannot open the embedded database in ${dataDir} (${(err as Error).message}): move the folder away to start afresh, or set DATABASE_URL`,
      { cause: err },
    );
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}
