import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import type { Database } from '../db/schema.js';
import type { GitHubClient } from '../github/index.js';
import type { Logger } from '../log/logger.js';

/** What a scheduled job gets to work with. */
export interface JobContext {
  db: Kysely<Database>;
  config: Readonly<Config>;
  logger: Logger;
  /** The GitHub client of this process (made on first use). */
  github(): GitHubClient;
  /** Aborted on shutdown: a job stops taking new work and lets the current batch commit. */
  signal: AbortSignal;
}

/** One file in jobs/ exports one of these; the file name is the job's name. */
export interface Job {
  name: string;
  /** Default cron expression (node-cron syntax, UTC), overridable by environment. */
  schedule: string;
  /** Runs the job; throws when it failed; says 'interrupted' when shutdown stopped it before the end. */
  run(ctx: JobContext): Promise<void | 'interrupted'>;
}
