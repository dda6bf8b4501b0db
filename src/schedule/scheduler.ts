import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/index.js';
import type { DatabaseAccess } from '../db/access.js';
import { GreenshootsError, messageOf } from '../errors/index.js';
import type { GitHubClient } from '../github/index.js';
import type { Logger } from '../log/logger.js';
import type { Job } from './job.js';
import { claimRun, closeOrphanedRuns, finishJobRun, latestSlot } from './job-runs.js';
import type { SchedulerMetrics } from './metrics.js';
import { nextSlot, previousSlot } from './slots.js';

export interface SchedulerOptions {
  jobs: readonly Job[];
  /** The cron expression of each job (its default, or the environment's override). */
  schedules: Readonly<Record<string, string>>;
  access: DatabaseAccess;
  config: Readonly<Config>;
  logger: Logger;
  github: () => GitHubClient;
  metrics?: SchedulerMetrics;
  now?: () => Date;
  /** How long stop() lets running jobs finish their current batch (default 30 s). */
  graceMs?: number;
}

export type JobOutcome = 'succeeded' | 'failed' | 'interrupted' | 'skipped';

export interface Scheduler {
  /** Closes runs orphaned by a crash, schedules every job, and runs each missed slot once. */
  start(): Promise<void>;
  /** Stops taking work, lets running jobs commit their batch, and closes the database. Safe to call twice. */
  stop(): Promise<void>;
  /** Runs a job for a slot once across all processes sharing the database. */
  runJob(name: string, slot: Date | null, trigger: 'schedule' | 'catch-up' | 'manual'): Promise<JobOutcome>;
  /** For each job whose latest due slot has no run yet (downtime), runs that slot once. */
  catchUp(): Promise<void>;
  /** Jobs running now, and when each runs next. */
  state(): { started: boolean; stopping: boolean; running: string[]; next: Record<string, Date | null> };
}

/**
 * Cron only triggers; Postgres decides who runs: each run claims its (job, slot) row, so two
 * schedulers on one database run a slot once. A job never overlaps itself in this process.
 */
export function createScheduler(o: SchedulerOptions): Scheduler {
  const now = o.now ?? (() => new Date());
  const jobs = new Map(o.jobs.map((job) => [job.name, job]));
  const tasks: ScheduledTask[] = [];
  const inFlight = new Map<string, Promise<JobOutcome>>();
  const abort = new AbortController();
  let started = false;
  let stopped: Promise<void> | null = null;
  let catchingUp: Promise<void> | null = null;

  const runJob = async (name: string, slot: Date | null, trigger: 'schedule' | 'catch-up' | 'manual'): Promise<JobOutcome> => {
    const job = jobs.get(name);
    if (!job) throw new GreenshootsError('UNKNOWN_JOB', `no job named ${name}`);
    if (abort.signal.aborted || inFlight.has(name)) return 'skipped';
    const log = o.logger.child({ job: name, slot: slot?.toISOString() ?? null, trigger });
    const work = o.access
      .use(async (db): Promise<JobOutcome> => {
        const runId = await claimRun(db, name, slot, trigger);
        if (runId === null) {
          log.info('slot already run by another process: skipping');
          return 'skipped';
        }
        const started = Date.now();
        log.info({ jobRunId: runId }, 'job started');
        try {
          const result = await job.run({ db, config: o.config, logger: log.child({ jobRunId: runId }), github: o.github, signal: abort.signal });
          if (o.metrics) {
            const tracked = await db.selectFrom('tracked_repos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
            o.metrics.reposTracked(Number(tracked?.n ?? 0));
            o.metrics.observeGitHub(o.github());
          }
          const outcome: JobOutcome = result === 'interrupted' ? 'interrupted' : 'succeeded';
          await finishJobRun(db, runId, outcome, outcome === 'interrupted' ? 'stopped by shutdown: the rest is left for the next run' : null);
          log.info({ jobRunId: runId, outcome, ms: Date.now() - started }, 'job finished');
          return outcome;
        } catch (err) {
          const outcome: JobOutcome = abort.signal.aborted ? 'interrupted' : 'failed';
          await finishJobRun(db, runId, outcome, messageOf(err)).catch(() => {});
          log.error({ err, jobRunId: runId }, 'job failed');
          return outcome;
        }
      })
      .catch((err: unknown) => {
        log.error({ err }, 'job could not start: database unavailable');
        o.metrics?.databaseReachable(false);
        return 'failed' as const;
      })
      .then((outcome) => {
        o.metrics?.jobFinished(name, outcome);
        if (outcome !== 'failed') o.metrics?.databaseReachable(true);
        return outcome;
      })
      .finally(() => inFlight.delete(name));
    inFlight.set(name, work);
    return work;
  };

  const catchUp = async (): Promise<void> => {
    for (const job of jobs.values()) {
      if (abort.signal.aborted) return;
      const due = previousSlot(o.schedules[job.name] ?? job.schedule, now());
      if (!due) continue;
      const last = await o.access.use((db) => latestSlot(db, job.name));
      // After downtime only the latest missed slot runs, not one run per missed slot.
      if (last === null || last.getTime() < due.getTime()) await runJob(job.name, due, 'catch-up');
    }
  };

  return {
    async start() {
      if (started) return;
      started = true;
      const orphaned = await o.access.use((db) => closeOrphanedRuns(db));
      if (orphaned > 0) o.logger.warn({ runs: orphaned }, 'marked runs of a stopped process as interrupted');
      for (const job of jobs.values()) {
        const expression = o.schedules[job.name] ?? job.schedule;
        tasks.push(
          cron.schedule(
            expression,
            async (ctx) => {
              const slot = new Date(Math.floor(ctx.date.getTime() / 60_000) * 60_000);
              await runJob(job.name, slot, 'schedule');
            },
            { name: job.name, timezone: 'Etc/UTC', noOverlap: true },
          ),
        );
        o.logger.info({ job: job.name, schedule: expression, next: nextSlot(expression, now())?.toISOString() }, 'job scheduled');
      }
      catchingUp = catchUp().catch((err: unknown) => o.logger.error({ err }, 'catching up missed jobs failed'));
    },
    stop() {
      stopped ??= (async () => {
        abort.abort();
        for (const task of tasks) await task.destroy();
        const grace = new Promise<void>((resolve) => setTimeout(resolve, o.graceMs ?? 30_000).unref());
        await Promise.race([Promise.allSettled([...inFlight.values(), catchingUp]), grace]);
        if (inFlight.size > 0) o.logger.warn({ running: [...inFlight.keys()] }, 'jobs still running after the grace period: closing anyway');
        await o.access.close();
      })();
      return stopped;
    },
    runJob,
    catchUp,
    state: () => ({
      started,
      stopping: abort.signal.aborted,
      running: [...inFlight.keys()],
      next: Object.fromEntries([...jobs.values()].map((job) => [job.name, nextSlot(o.schedules[job.name] ?? job.schedule, now())])),
    }),
  };
}
