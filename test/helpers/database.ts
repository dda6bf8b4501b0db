import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../../src/config/index.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * The databases every database test runs on: embedded PGlite always, and a real Postgres server
 * when TEST_DATABASE_URL is set (.ci/run sets it), so `npm test` passes on a machine with neither.
 */
export const DATABASE_KINDS: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends DatabaseHandle {
  /** The `database` section of a Config pointing at this fresh database. */
  settings: Config['database'];
  /** Environment for running the CLI against this database. */
  env: Record<string, string>;
  /** Closes the handle and deletes the database. */
  drop(): Promise<void>;
}

/** A fresh, empty database of the given kind (its own Postgres database, or its own PGlite folder). */
export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const created = kind === 'postgres' ? await createPostgresDatabase() : await createPGliteFolder();
  const handle = await openDatabase(created.settings);
  if (options.migrate !== false) await migrate(handle.db);
  return {
    ...handle,
    settings: created.settings,
    env: created.env,
    drop: async () => {
      await handle.close();
      await created.remove();
    },
  };
}

/** A fresh database without opening it (for tests that drive the CLI, which opens it itself). */
export async function reserveTestDatabase(kind: DatabaseKind): Promise<{
  settings: Config['database'];
  env: Record<string, string>;
  remove(): Promise<void>;
}> {
  return kind === 'postgres' ? createPostgresDatabase() : createPGliteFolder();
}

async function createPGliteFolder() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'greenshoots-test-'));
  return {
    settings: { kind: 'pglite', dataDir } as const,
    env: { GREENSHOOTS_DATA_DIR: dataDir } as Record<string, string>,
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function createPostgresDatabase() {
  const adminUrl = process.env.TEST_DATABASE_URL as string;
  const name = `greenshoots_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    settings: { kind: 'postgres', url: url.toString() } as const,
    env: { DATABASE_URL: url.toString() } as Record<string, string>,
    remove: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
