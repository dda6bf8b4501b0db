import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '../config/index.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { createGitHubClient, type GitHubClient } from '../github/index.js';
import { createLogger, type Logger } from '../log/logger.js';

/** What the CLI is run with: the process's own streams and environment, or a test's. */
export interface CliIO {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CommandContext {
  config: Readonly<Config>;
  logger: Logger;
  io: CliIO;
}

export interface DatabaseContext extends CommandContext {
  db: Kysely<Database>;
  database: DatabaseHandle;
}

/** Parses config and makes the root logger (logs go to stderr; stdout is the command's output). */
export function createContext(io: CliIO): CommandContext {
  const config = loadConfig(io.env, io.cwd);
  const pretty = config.log.format === 'pretty' || (config.log.format === 'auto' && Boolean((io.stderr as NodeJS.WriteStream).isTTY));
  const logger = createLogger({
    level: config.log.level,
    pretty,
    ...(io.stderr === process.stderr ? {} : { destination: io.stderr }),
  });
  return { config, logger, io };
}

/** Opens the database, applies pending migrations, runs `fn`, and always closes the database. */
export async function withDatabase<T>(
  ctx: CommandContext,
  fn: (ctx: DatabaseContext) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const database = await openDatabase(ctx.config.database);
  try {
    if (options.migrate !== false) {
      const { applied } = await migrate(database.db);
      if (applied.length > 0) ctx.logger.info({ applied }, 'database migrated');
    }
    return await fn({ ...ctx, db: database.db, database });
  } finally {
    await database.close();
  }
}

/** Writes command output to stdout. */
export function print(ctx: CommandContext, text: string): void {
  ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** The GitHub client configured by the environment (tokens, API URL, concurrency, budget share). */
export function githubClient(ctx: CommandContext): GitHubClient {
  return createGitHubClient({
    apiUrl: ctx.config.github.apiUrl,
    tokens: ctx.config.github.tokens,
    concurrency: ctx.config.github.concurrency,
    budgetShare: ctx.config.github.budgetShare,
    logger: ctx.logger.child({ component: 'github' }),
  });
}

/**
 * Runs `fn` with an AbortSignal that SIGINT/SIGTERM trip: long commands stop taking new work and
 * let the current batch commit, then return normally.
 */
export async function untilInterrupted<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
