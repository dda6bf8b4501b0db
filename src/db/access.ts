import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import { openDatabase, type DatabaseHandle } from './connect.js';
import { migrate } from './migrate.js';
import type { Database } from './schema.js';

/** Shared use of the database by a long-running process. */
export interface DatabaseAccess {
  /** Runs `fn` with the database open (opening it if needed). */
  use<T>(fn: (db: Kysely<Database>, handle: DatabaseHandle) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A Postgres server stays connected for the life of the process. The embedded database (one process
 * at a time) is opened only while work needs it, so `greenshoots query` and `status` can use it
 * between scheduled jobs. Either way one handle is shared by everything in this process: two PGlite
 * instances on one folder would corrupt it.
 */
export function databaseAccess(settings: Config['database']): DatabaseAccess {
  let handle: Promise<DatabaseHandle> | null = null;
  let users = 0;
  let migrated = false;
  const keepOpen = settings.kind === 'postgres';

  const acquire = async (): Promise<DatabaseHandle> => {
    users++;
    try {
      handle ??= openDatabase(settings).then(async (h) => {
        if (!migrated) {
          await migrate(h.db);
          migrated = true;
        }
        return h;
      });
      return await handle;
    } catch (err) {
      users--;
      handle = null;
      throw err;
    }
  };
  const release = async (): Promise<void> => {
    users--;
    if (users === 0 && !keepOpen && handle) {
      const h = handle;
      handle = null;
      await (await h).close();
    }
  };

  return {
    async use(fn) {
      const h = await acquire();
      try {
        return await fn(h.db, h);
      } finally {
        await release();
      }
    },
    async close() {
      if (handle) {
        const h = handle;
        handle = null;
        await (await h).close();
      }
    },
  };
}
