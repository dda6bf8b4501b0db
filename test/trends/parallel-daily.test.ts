import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addCommits, addDailySnapshots, addForks, addProject, addRelease, addSnapshot, addStars, addStream, at, everything } from './fixtures.js';

async function partitions(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ bound: string }>`
    select pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'repo_daily'::regclass
    order by 1`.execute(t.db);
  return rows.map((r) => r.bound);
}

async function persistence(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ p: string }>`
    select distinct c.relpersistence::text as p
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'repo_daily'::regclass`.execute(t.db);
  return rows.map((r) => r.p);
}

async function authors(t: TestDatabase): Promise<unknown[]> {
  return (await sql`select * from trend_repo_authors order by repo_id, author_key`.execute(t.db)).rows;
}

async function buildSchemas(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select nspname as name from pg_namespace where nspname like 'greenshoots_build_%'`.execute(t.db);
  return rows.map((r) => r.name);
}

/** Repos of every shape the daily series knows: gaps, lists before the first observation, events only. */
async function history(t: TestDatabase): Promise<number[]> {
  const { repoIds } = await addProject(t.db, { name: 'Many', repos: ['acme/a', 'acme/b', 'acme/c', 'acme/d', 'acme/e', 'acme/f', 'acme/g'] });
  const [a, b, c, d, e, f, g] = repoIds as [number, number, number, number, number, number, number];
  await addSnapshot(t.db, a, at('2026-01-01', 9), { stars: 100, forks: 10, open_issues: 5, open_prs: 1 });
  await addSnapshot(t.db, a, at('2026-01-05', 1), { stars: 115, forks: 20, open_issues: 7, open_prs: 3 });
  await addCommits(t.db, a, 'ann', [at('2026-01-02', 3), at('2026-01-02', 4), at('2026-01-06', 1)]);
  await addStream(t.db, a, 'commits', { backfill_done: true, checked_at: at('2026-01-06', 12) });
  await addRelease(t.db, a, 'v1', at('2026-01-03'));
  await addStream(t.db, a, 'releases', { backfill_done: true, checked_at: at('2026-01-06', 12) });

  await addSnapshot(t.db, b, at('2026-03-10', 12), { stars: 50 });
  await addStream(t.db, b, 'stars', { backfill_done: true, oldest_at: at('2026-03-08', 1), checked_at: at('2026-03-10', 12) });
  await addStars(t.db, b, [at('2026-03-08', 1), at('2026-03-09', 5), at('2026-03-10', 8)]);
  await addForks(t.db, b, [at('2026-03-07', 10)]);

  await addCommits(t.db, c, 'bob', [at('2026-02-01'), at('2026-02-03')]); // never observed
  await addDailySnapshots(t.db, d, '2026-01-01', [1, 2, 4, 8, 16, 32]);
  await addDailySnapshots(t.db, e, '2026-01-03', [7, 7, 9], [1, 2, 3]);
  await addDailySnapshots(t.db, f, '2026-01-02', [3]);
  await addDailySnapshots(t.db, g, '2026-01-01', [5, 6]);
  await addCommits(t.db, g, 'cy', [at('2026-01-04')]); // after its last observation
  return repoIds;
}

describe.runIf(DATABASE_KINDS.includes('postgres'))('the daily series built by several sessions (Postgres)', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('postgres');
  });
  afterEach(async () => {
    await t.drop();
  });

  it('gives the same tables as one session, in a partition per range of repos, and the next refreshes build on it', async () => {
    await history(t);
    const one = await refreshTrends(t.db, { full: true, workers: 1 });
    const expected = await everything(t.db);
    expect(expected.repo_daily!.length).toBeGreaterThan(20);
    const expectedAuthors = await authors(t);
    expect(expectedAuthors.length).toBeGreaterThan(2);

    const three = await refreshTrends(t.db, { full: true, workers: 3 });
    expect(three.days).toBe(one.days);
    expect(await everything(t.db)).toEqual(expected);
    // the commit authors per window, counted by the builders, as one session counts them
    expect(await authors(t)).toEqual(expectedAuthors);
    // seven ranges of repo ids (three per builder asked, but only seven repos) covering every id,
    // unlogged as the migration left the first one, and nothing left of the builders
    const bounds = await partitions(t);
    expect(bounds).toHaveLength(7);
    expect(await persistence(t)).toEqual(['u']);
    expect(bounds.join(' ')).toMatch(/MINVALUE/);
    expect(bounds.join(' ')).toMatch(/MAXVALUE/);
    expect(await buildSchemas(t)).toEqual([]);

    // an incremental refresh on the new partitions matches a full refresh in one session
    const [a, , , d] = (await sql<{ id: number }>`select id from repos order by id`.execute(t.db)).rows.map((r) => r.id);
    await addSnapshot(t.db, a!, at('2026-01-08', 2), { stars: 130, forks: 21 });
    await addDailySnapshots(t.db, d!, '2026-01-07', [40, 41]);
    const incremental = await refreshTrends(t.db);
    expect(incremental.mode).toBe('incremental');
    const afterIncremental = await everything(t.db);
    await refreshTrends(t.db, { full: true, workers: 1 });
    expect(afterIncremental).toEqual(await everything(t.db));
  });

  it('refreshes in full, in parallel, when most of a large series changed, and incrementally otherwise', async () => {
    // 110 repos × 1,000 observed days: past the 100,000 days below which one session recomputes
    const names = Array.from({ length: 110 }, (_, i) => `acme/r${i}`);
    const { repoIds } = await addProject(t.db, { name: 'Big', repos: names });
    await sql`
      insert into repo_snapshots (repo_id, observed_at, full_name, stars, forks, open_issues, open_prs)
      select r.id, '2024-01-01T12:00:00Z'::timestamptz + make_interval(days => d), r.owner || '/' || r.name,
             100 + d * (1 + r.id % 5), 10 + d / 7, 3, 1
      from repos r cross join generate_series(0, 999) d`.execute(t.db);
    await refreshTrends(t.db, { full: true, workers: 1 });
    await addDailySnapshots(t.db, repoIds[3]!, '2026-09-27', [9000]);
    expect((await refreshTrends(t.db)).mode).toBe('incremental'); // one repo's last day

    // a backfill reaching back into every repo: a commit before each one's first day
    for (const id of repoIds) await addCommits(t.db, id, 'early', [at('2023-12-01', 6)]);
    const promoted = await refreshTrends(t.db);
    expect(promoted.mode).toBe('full');
    expect(await partitions(t)).toHaveLength(6); // built by two sessions, three ranges each
    const tables = await everything(t.db);
    expect(tables.repo_daily!.filter((d) => String((d as { day: unknown }).day) === '2023-12-01')).toHaveLength(110);
    const windows = await authors(t);
    await refreshTrends(t.db, { full: true, workers: 1 });
    expect(await everything(t.db)).toEqual(tables);
    expect(await authors(t)).toEqual(windows);
  });

  it('leaves the series as it was when a builder fails, and nothing of the builders', async () => {
    await history(t);
    await refreshTrends(t.db, { full: true, workers: 1 });
    const before = await everything(t.db);
    // another session holds a table only the builders read (stream coverage), past their patience
    const other = await openDatabase(t.settings);
    try {
      await other.db.transaction().execute(async (trx) => {
        await sql`lock table repo_streams in access exclusive mode`.execute(trx);
        await expect(refreshTrends(t.db, { full: true, workers: 2, builderLockTimeoutMs: 300 })).rejects.toThrow(/lock timeout/);
      });
    } finally {
      await other.close();
    }
    expect(await everything(t.db)).toEqual(before);
    expect(await partitions(t)).toHaveLength(1);
    expect(await buildSchemas(t)).toEqual([]);
  });

  it('drops what the builders of a failed refresh left behind', async () => {
    await history(t);
    await sql`create schema greenshoots_build_dead_0`.execute(t.db);
    await sql`create table greenshoots_build_dead_0.repo_daily (repo_id bigint)`.execute(t.db);
    await refreshTrends(t.db, { full: true });
    expect(await buildSchemas(t)).toEqual([]);
    expect(await partitions(t)).toHaveLength(6); // two builders, three ranges each
  });
});
