import type { Kysely } from 'kysely';
import type { Config } from '../../config/index.js';
import type { Database } from '../../db/schema.js';
import type { BudgetSnapshot } from '../../github/index.js';
import { lastRuns } from '../../schedule/job-runs.js';
import { JOBS, resolveSchedules } from '../../schedule/jobs.js';
import { nextSlot } from '../../schedule/slots.js';

export interface JobStatus {
  job: string;
  schedule: string;
  next_run: Date | null;
  last_run: { status: string; trigger: string; started_at: Date; finished_at: Date | null; error: string | null } | null;
}

/** Each scheduled job: its schedule, next slot, and last run. */
export async function jobsStatus(db: Kysely<Database>, config: Readonly<Config>, now: Date = new Date()): Promise<JobStatus[]> {
  const schedules = resolveSchedules(config.schedules);
  const runs = new Map((await lastRuns(db)).map((r) => [r.job, r]));
  return JOBS.map((job) => {
    const run = runs.get(job.name);
    return {
      job: job.name,
      schedule: schedules[job.name] as string,
      next_run: nextSlot(schedules[job.name] as string, now),
      last_run: run
        ? { status: run.status, trigger: run.trigger, started_at: run.started_at as Date, finished_at: run.finished_at as Date | null, error: run.error }
        : null,
    };
  });
}

export function describeJobsStatus(jobs: JobStatus[]): string[] {
  return jobs.map((j) => {
    const last = j.last_run
      ? `last ${j.last_run.status} (${j.last_run.trigger}) ${j.last_run.started_at.toISOString()}` +
        `${j.last_run.finished_at ? ` → ${j.last_run.finished_at.toISOString()}` : ''}${j.last_run.error ? `: ${j.last_run.error}` : ''}`
      : 'never run';
    return `job           ${j.job} [${j.schedule}]: ${last}; next ${j.next_run?.toISOString() ?? '—'}`;
  });
}

/** Budget lines per token, from a fresh GET /rate_limit (free). */
export function describeBudget(budget: BudgetSnapshot): string[] {
  if (budget.tokens.length === 0) return ['github        no token configured: set GITHUB_TOKEN or GITHUB_TOKENS'];
  return budget.tokens.map((t) => {
    if (t.dropped) return `github        ${t.label}: rejected by GitHub (401)`;
    const part = (name: string, b: typeof t.core) =>
      b ? `${name} ${b.remaining}/${b.limit} left, resets ${b.resetAt.toISOString()}` : `${name} unknown`;
    return `github        ${t.label}: ${part('REST', t.core)}; ${part('GraphQL', t.graphql)}`;
  });
}
