import type { Command } from 'commander';
import { databaseAccess } from '../../db/access.js';
import { GreenshootsError } from '../../errors/index.js';
import type { GitHubClient } from '../../github/index.js';
import { JOBS, resolveSchedules } from '../../schedule/jobs.js';
import { createScheduler } from '../../schedule/scheduler.js';
import { print, type CommandContext, githubClient } from '../context.js';

export function registerRun(program: Command, context: () => CommandContext): void {
  program
    .command('run')
    .description('one pass of every job (landscape import if a day old, collect, …) for cron, Kubernetes CronJobs or CI; exits non-zero if a job failed')
    .action(async () => {
      const ctx = context();
      const access = databaseAccess(ctx.config.database);
      let client: GitHubClient | null = null;
      const github = (): GitHubClient =>
        (client ??= githubClient(ctx));
      const scheduler = createScheduler({ jobs: JOBS, schedules: resolveSchedules(ctx.config.schedules), access, config: ctx.config, logger: ctx.logger, github });
      const abort = (): void => void scheduler.stop();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      const outcomes: string[] = [];
      let failed = 0;
      try {
        for (const job of JOBS) {
          if (job.name === 'landscape-import' && !(await landscapeImportDue(access))) {
            outcomes.push(`${job.name}: not due (imported less than a day ago)`);
            continue;
          }
          const outcome = await scheduler.runJob(job.name, null, 'manual');
          if (outcome === 'failed') failed++;
          outcomes.push(`${job.name}: ${outcome}`);
        }
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
        await scheduler.stop();
      }
      print(ctx, outcomes.join('\n'));
      if (failed > 0) {
        throw new GreenshootsError('JOB_FAILED', `${failed} job(s) failed: see the log above, or greenshoots query "select * from job_runs order by id desc limit 5"`);
      }
    });
}

/** The landscape is re-imported at most daily by `run`. */
async function landscapeImportDue(access: ReturnType<typeof databaseAccess>): Promise<boolean> {
  return access.use(async (db) => {
    const last = await db
      .selectFrom('imports')
      .select('finished_at')
      .where('finished_at', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return !last?.finished_at || Date.now() - new Date(last.finished_at).getTime() > 20 * 3_600_000;
  });
}
