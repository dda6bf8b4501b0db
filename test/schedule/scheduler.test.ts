import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseAccess, type DatabaseAccess } from '../../src/db/access.js';
import type { GitHubClient } from '../../src/github/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { Job } from '../../src/schedule/job.js';
import { createScheduler, type Scheduler } from '../../src/schedule/scheduler.js';
import { loadConfig } from '../../src/config/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';

const silent = createLogger({ level: 'silent' });
const config = loadConfig({}, '/tmp');
const noGitHub = (): GitHubClient => {
  throw new Error('no GitHub in this test');
};

/** A job that counts its runs and can be held open until released. */
function countingJob(name: string, schedule = '7 * * * *') {
  let release: (() => void) | null = null;
  const job = {
    runs: [] as Array<Date>,
    hold: false,
    fail: null as string | null,
    release: () => release?.(),
    job: {
      name,
      schedule,
      run: async ({ signal }) => {
        job.runs.push(new Date());
        if (job.fail) throw new Error(job.fail);
        if (job.hold) {
          await new Promise<void>((resolve) => {
            release = resolve;
            signal.addEventListener('abort', () => resolve(), { once: true });
          });
          if (signal.aborted) return 'interrupted';
        }
        return undefined;
      },
    } satisfies Job as Job,
  };
  return job;
}

describe.each(DATABASE_KINDS)('scheduler on %s', (kind) => {
  let database: TestDatabase;
  const schedulers: Scheduler[] = [];
  const accesses: DatabaseAccess[] = [];

  const make = (jobs: Job[], now: () => Date) => {
    const access = databaseAccess(database.settings);
    accesses.push(access);
    const scheduler = createScheduler({
      jobs,
      schedules: Object.fromEntries(jobs.map((j) => [j.name, j.schedule])),
      access,
      config,
      logger: silent,
      github: noGitHub,
      now,
      graceMs: 5_000,
    });
    schedulers.push(scheduler);
    return scheduler;
  };

  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    await database?.drop();
  });

  it('runs a slot once, however often it is triggered', async () => {
    database = await createTestDatabase(kind);
    await database.close(); // the schedulers open it themselves (PGlite: one handle per process)
    const counter = countingJob('tick');
    const scheduler = make([counter.job], () => new Date('2026-11-28T10:30:00Z'));
    const slot = new Date('2026-11-28T10:07:00Z');
    expect(await scheduler.runJob('tick', slot, 'schedule')).toBe('succeeded');
    expect(await scheduler.runJob('tick', slot, 'schedule')).toBe('skipped');
    expect(counter.runs).toHaveLength(1);
  });

  it('never overlaps a job with itself in one process', async () => {
    database = await createTestDatabase(kind);
    await database.close();
    const counter = countingJob('slow');
    counter.hold = true;
    const scheduler = make([counter.job], () => new Date('2026-11-28T10:30:00Z'));
    const first = scheduler.runJob('slow', new Date('2026-11-28T09:07:00Z'), 'schedule');
    await new Promise((r) => setTimeout(r, 200));
    while (counter.runs.length === 0) await new Promise((r) => setTimeout(r, 50));
    expect(await scheduler.runJob('slow', new Date('2026-11-28T10:07:00Z'), 'schedule')).toBe('skipped');
    counter.release();
    expect(await first).toBe('succeeded');
    expect(counter.runs).toHaveLength(1);
  });

  it('after downtime runs the latest missed slot once, not once per missed slot', async () => {
    database = await createTestDatabase(kind);
    await database.close();
    const counter = countingJob('hourly');
    let now = new Date('2026-11-28T05:30:00Z');
    const scheduler = make([counter.job], () => now);
    expect(await scheduler.runJob('hourly', new Date('2026-11-28T05:07:00Z'), 'schedule')).toBe('succeeded');
    // Down for five hours; back at 10:30.
    now = new Date('2026-11-28T10:30:00Z');
    await scheduler.catchUp();
    await scheduler.catchUp();
    expect(counter.runs).toHaveLength(2);
  });

  it('records a failing job with its error and retries its slot at the next catch-up', async () => {
    database = await createTestDatabase(kind);
    await database.close();
    const counter = countingJob('flaky');
    counter.fail = 'GitHub was down';
    const scheduler = make([counter.job], () => new Date('2026-11-28T10:30:00Z'));
    await scheduler.catchUp();
    counter.fail = null;
    await scheduler.catchUp();
    await scheduler.catchUp();
    expect(counter.runs).toHaveLength(2);
    const access = databaseAccess(database.settings);
    accesses.push(access);
    const rows = await access.use((db) => db.selectFrom('job_runs').select(['slot', 'status', 'error', 'trigger']).execute());
    await access.close();
    expect(rows).toEqual([{ slot: new Date('2026-11-28T10:07:00Z'), status: 'succeeded', error: null, trigger: 'catch-up' }]);
  });

  it('fires a job at its scheduled minute, after catching up the slot missed before start', async () => {
    database = await createTestDatabase(kind);
    await database.close();
    const counter = countingJob('minutely', '7 * * * *');
    // The clock reads 10:06:58: the 10:07 slot comes two seconds after start.
    vi.useFakeTimers({ shouldAdvanceTime: true, now: new Date('2026-11-28T10:06:58Z') });
    try {
      const scheduler = make([counter.job], () => new Date());
      await scheduler.start();
      const deadline = Date.now() + 15_000;
      while (counter.runs.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      vi.useRealTimers();
    }
    const access = databaseAccess(database.settings);
    const rows = await access.use((db) => db.selectFrom('job_runs').select(['slot', 'trigger', 'status']).orderBy('slot').execute());
    await access.close();
    expect(rows).toEqual([
      { slot: new Date('2026-11-28T09:07:00Z'), trigger: 'catch-up', status: 'succeeded' },
      { slot: new Date('2026-11-28T10:07:00Z'), trigger: 'schedule', status: 'succeeded' },
    ]);
  });

  it('stops safely twice, interrupting a running job that then records it', async () => {
    database = await createTestDatabase(kind);
    await database.close();
    const counter = countingJob('long');
    counter.hold = true;
    const scheduler = make([counter.job], () => new Date('2026-11-28T10:30:00Z'));
    const running = scheduler.runJob('long', new Date('2026-11-28T10:07:00Z'), 'schedule');
    while (counter.runs.length === 0) await new Promise((r) => setTimeout(r, 50));
    await Promise.all([scheduler.stop(), scheduler.stop()]);
    expect(await running).toBe('interrupted');
    const access = databaseAccess(database.settings);
    const rows = await access.use((db) => db.selectFrom('job_runs').select(['status', 'error']).execute());
    await access.close();
    expect(rows).toEqual([{ status: 'interrupted', error: 'stopped by shutdown: the rest is left for the next run' }]);
  });
});

describe.runIf(DATABASE_KINDS.includes('postgres'))('two schedulers on one database', () => {
  it('run a slot once between them', async () => {
    const database = await createTestDatabase('postgres');
    const counters = [countingJob('shared'), countingJob('shared')];
    const make = (job: Job) =>
      createScheduler({
        jobs: [job],
        schedules: { shared: job.schedule },
        access: databaseAccess(database.settings),
        config,
        logger: silent,
        github: noGitHub,
        now: () => new Date('2026-11-28T10:30:00Z'),
      });
    const a = make(counters[0]!.job);
    const b = make(counters[1]!.job);
    try {
      const slot = new Date('2026-11-28T10:07:00Z');
      const outcomes = await Promise.all([a.runJob('shared', slot, 'schedule'), b.runJob('shared', slot, 'schedule')]);
      expect(outcomes.sort()).toEqual(['skipped', 'succeeded']);
      expect(counters[0]!.runs.length + counters[1]!.runs.length).toBe(1);
      await Promise.all([a.catchUp(), b.catchUp()]);
      expect(counters[0]!.runs.length + counters[1]!.runs.length).toBe(1);
    } finally {
      await a.stop();
      await b.stop();
      await database.drop();
    }
  });
});
