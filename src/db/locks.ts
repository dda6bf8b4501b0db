import { sql, type Kysely } from 'kysely';

/**
 * Runs `fn` on one connection holding a session advisory lock named `key`, so no other process
 * runs the same work at once; when the lock is taken, throws `busy()`. Everything inside must use
 * the connection it is given (on PGlite, the only one).
 */
export async function withSessionLock<DB, T>(
  db: Kysely<DB>,
  key: string,
  busy: () => Error,
  fn: (conn: Kysely<DB>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtext(${key})) as locked`.execute(conn);
    if (!rows[0]?.locked) throw busy();
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
    }
  });
}
