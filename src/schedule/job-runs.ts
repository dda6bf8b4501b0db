import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database, JobRunStatus } from '../db/schema.js';

export const PROCESS_ID = `${os.hostname()}:${process.pid}`;

/**
 * Claims a job's slot: the unique (job, slot) key lets exactly one process insert it, however many
 * schedulers share the database. A slot whose run was interrupted or failed may be claimed again
 * (the row is taken over under its lock, so again only one process wins). Returns the run's id, or
 * null when the slot is taken.
 */
export async function claimRun(
  db: Kysely<Database>,
  job: string,
  slot: Date | null,
  trigger: 'schedule' | 'catch-up' | 'manual',
): Promise<number | null> {
  const row = await db
    .insertInto('job_runs')
    .values({ job, slot, trigger, process: PROCESS_ID })
    .onConflict((oc) =>
      oc
        .columns(['job', 'slot'])
        .doUpdateSet({
          trigger: (eb) => eb.ref('excluded.trigger'),
          process: (eb) => eb.ref('excluded.process'),
          status: 'running',
          started_at: sql<Date>`now()`,
          finished_at: null,
          error: null,
        })
        .where('job_runs.status', 'in', ['interrupted', 'failed']),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Records how a run ended. */
export async function finishJobRun(db: Kysely<Database>, id: number, status: JobRunStatus, error: string | null): Promise<void> {
  await db.updateTable('job_runs').set({ status, error, finished_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** Runs left 'running' by a process of this host that is gone: they were interrupted. */
export async function closeOrphanedRuns(db: Kysely<Database>): Promise<number> {
  const running = await db.selectFrom('job_runs').select(['id', 'process']).where('status', '=', 'running').execute();
  const host = os.hostname();
  const orphaned = running.filter((r) => {
    const [h, pid] = r.process.split(':');
    return h === host && Number(pid) !== process.pid && !isAlive(Number(pid));
  });
  for (const r of orphaned) await finishJobRun(db, r.id, 'interrupted', 'the process stopped before the job finished');
  return orphaned.length;
}

/** The newest slot this job ran to the end (or is running), or null: interrupted and failed slots don't count. */
export async function latestSlot(db: Kysely<Database>, job: string): Promise<Date | null> {
  const row = await db
    .selectFrom('job_runs')
    .select(sql<Date | null>`max(slot)`.as('slot'))
    .where('job', '=', job)
    .where('status', 'in', ['succeeded', 'skipped', 'running'])
    .executeTakeFirst();
  return row?.slot ?? null;
}

/** Each job's most recent run. */
export async function lastRuns(db: Kysely<Database>) {
  return db
    .selectFrom('job_runs')
    .distinctOn('job')
    .select(['job', 'slot', 'trigger', 'status', 'started_at', 'finished_at', 'process', 'error'])
    .orderBy('job')
    .orderBy('started_at', 'desc')
    .execute();
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
