import type { Command } from 'commander';
import { sql } from 'kysely';
import { databaseAccess } from '../../db/access.js';
import { UsageError } from '../../errors/index.js';
import type { GitHubClient } from '../../github/index.js';
import { startHttpServer } from '../../schedule/http.js';
import { JOBS, resolveSchedules } from '../../schedule/jobs.js';
import { createMetrics } from '../../schedule/metrics.js';
import { createScheduler } from '../../schedule/scheduler.js';
import { githubClient, type CommandContext } from '../context.js';

export function registerStart(program: Command, context: () => CommandContext): void {
  program
    .command('start')
    .description('run every job on its schedule until stopped (SIGINT/SIGTERM): collect hourly, import the landscape daily')
    .option('--port <port>', 'serve /healthz and /metrics (Prometheus) on this port')
    .option('--grace <seconds>', 'on stop, how long running jobs may take to commit their current batch', '30')
    .action(async (flags: { port?: string; grace: string }) => {
      const ctx = context();
      const port = flags.port === undefined ? null : Number(flags.port);
      if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new UsageError('--port must be a port number (0-65535)');
      const graceMs = Number(flags.grace) * 1000;
      if (!Number.isFinite(graceMs) || graceMs < 0) throw new UsageError('--grace must be a number of seconds');

      const access = databaseAccess(ctx.config.database);
      // Fail fast, with the database's own one-line error, before scheduling anything.
      await access.use(async (db) => {
        await sql`select 1`.execute(db);
      });
      let client: GitHubClient | null = null;
      const github = (): GitHubClient =>
        (client ??= githubClient(ctx));
      const metrics = createMetrics();
      const scheduler = createScheduler({
        jobs: JOBS,
        schedules: resolveSchedules(ctx.config.schedules),
        access,
        config: ctx.config,
        logger: ctx.logger,
        github,
        metrics,
        graceMs,
      });

      const stopped = new Promise<void>((resolve) => {
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals): void => {
          signals++;
          if (signals > 1) {
            // A second signal: leave now. Open transactions roll back on both databases.
            ctx.logger.warn({ signal }, 'second signal: exiting at once');
            process.exit(130);
          }
          ctx.logger.info({ signal }, 'stopping: letting running jobs commit their current batch');
          void scheduler
            .stop()
            .then(() => http?.close())
            .finally(() => {
              process.off('SIGINT', onSignal);
              process.off('SIGTERM', onSignal);
              resolve();
            });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      let http: { url: string; close(): Promise<void> } | null = null;
      await scheduler.start();
      if (port !== null) {
        http = await startHttpServer(port, { scheduler, metrics, access, probeDatabase: ctx.config.database.kind === 'postgres' });
        ctx.logger.info({ url: http.url }, 'serving /healthz and /metrics');
      }
      ctx.logger.info({ jobs: JOBS.map((j) => j.name), next: scheduler.state().next }, 'scheduler started');
      await stopped;
      ctx.logger.info('stopped');
    });
}
