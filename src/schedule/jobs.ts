import collect from '../../jobs/collect.js';
import landscapeImport from '../../jobs/landscape-import.js';
import type { Job } from './job.js';

/** Every job in jobs/, in the order a catch-up runs them (the list before the collect). */
export const JOBS: readonly Job[] = [landscapeImport, collect];

/** Each job's cron expression: the environment's SCHEDULE_<NAME> override, else its default. */
export function resolveSchedules(overrides: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(JOBS.map((job) => [job.name, overrides[job.name] ?? job.schedule]));
}
