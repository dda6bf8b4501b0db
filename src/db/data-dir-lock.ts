import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DatabaseError } from '../errors/index.js';

/**
 * PGlite is a single-process database: two processes opening one folder would corrupt it. A lock
 * file holding the owner's pid keeps a second process out; a lock left by a dead process is taken over.
 * Returns the function that releases the lock.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'greenshoots.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DatabaseError(`cannot lock the embedded database in ${dataDir}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseError(
          `the embedded database in ${dataDir} is in use by process ${owner}: stop it first, or use a Postgres server (DATABASE_URL) to run several processes`,
        );
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new DatabaseError(`cannot lock the embedded database in ${dataDir}: remove ${file} if no greenshoots is running`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
