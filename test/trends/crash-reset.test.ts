import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addCommits, addDailySnapshots, addProject, addStream, at, everything } from './fixtures.js';

/**
 * repo_daily's partitions are unlogged (migration 0016): a crash recovery of the server empties
 * them, and their marker trend_daily_intact with them, as PostgreSQL empties every unlogged table.
 * The test does what that recovery does to the two tables, then refreshes as a collect would.
 */
describe.each(DATABASE_KINDS)('the daily series after a crash recovery emptied it, on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('is unlogged, and the next refresh rebuilds it in full', async () => {
    const { repoIds: [a, b] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket', 'acme/booster'] });
    await addDailySnapshots(t.db, a!, '2026-01-01', [10, 12, 15, 19]);
    await addDailySnapshots(t.db, b!, '2026-01-02', [5, 5, 6]);
    await addCommits(t.db, a!, 'ann', [at('2026-01-02', 3), at('2026-01-03', 3)]);
    await addStream(t.db, a!, 'commits', { backfill_done: true, checked_at: at('2026-01-04', 12) });
    await refreshTrends(t.db);
    const before = await everything(t.db);
    expect(before.repo_daily).toHaveLength(7);

    const { rows: kinds } = await sql<{ p: string }>`
      select distinct c.relpersistence::text as p from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'repo_daily'::regclass
      union select relpersistence::text from pg_class where oid = 'trend_daily_intact'::regclass`.execute(t.db);
    expect(kinds).toEqual([{ p: 'u' }]);

    // what crash recovery does to unlogged tables
    await sql`truncate repo_daily, trend_daily_intact`.execute(t.db);
    // an incremental refresh would recompute only what changed, on top of an empty series
    const result = await refreshTrends(t.db);
    expect(result.mode).toBe('full');
    expect(await everything(t.db)).toEqual(before);
    // marked complete again: the next refresh is incremental
    await addDailySnapshots(t.db, b!, '2026-01-05', [8]);
    expect((await refreshTrends(t.db)).mode).toBe('incremental');
  });
});
