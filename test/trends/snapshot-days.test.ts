import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactSnapshots, refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addProject, addSnapshot, at, daily } from './fixtures.js';

/** repo_snapshot_days: the last snapshot of each repo and UTC day, kept by triggers. */
describe.each(DATABASE_KINDS)('repo_snapshot_days on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  async function days(repo: number): Promise<Array<[string, string, number]>> {
    const { rows } = await sql<{ day: string; observed_at: Date; stars: number }>`
      select to_char(day, 'YYYY-MM-DD') as day, observed_at, stars from repo_snapshot_days
      where repo_id = ${repo} order by day`.execute(t.db);
    return rows.map((r) => [r.day, r.observed_at.toISOString(), r.stars]);
  }

  it('keeps each UTC day’s latest snapshot, also when an earlier one arrives late', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    await addSnapshot(t.db, repo!, at('2026-01-01', 9), { stars: 100 });
    await addSnapshot(t.db, repo!, at('2026-01-01', 23.5), { stars: 110 });
    await addSnapshot(t.db, repo!, at('2026-01-01', 12), { stars: 105 }); // late, out of order
    await addSnapshot(t.db, repo!, at('2026-01-02', 0), { stars: 111 }); // midnight UTC: the next day
    expect(await days(repo!)).toEqual([
      ['2026-01-01', '2026-01-01T23:30:00.000Z', 110],
      ['2026-01-02', '2026-01-02T00:00:00.000Z', 111],
    ]);
  });

  it('takes the next latest snapshot when the kept one is deleted, drops the day when none is left, and the refresh follows', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    await addSnapshot(t.db, repo!, at('2026-01-01', 9), { stars: 100 });
    await addSnapshot(t.db, repo!, at('2026-01-01', 20), { stars: 104 });
    await addSnapshot(t.db, repo!, at('2026-01-02', 12), { stars: 110 });
    await addSnapshot(t.db, repo!, at('2026-01-03', 12), { stars: 120 });
    await refreshTrends(t.db);
    expect((await daily(t.db, repo!)).map((r) => [r.day, r.stars, r.stars_source])).toEqual([
      ['2026-01-01', 104, 'observed'],
      ['2026-01-02', 110, 'observed'],
      ['2026-01-03', 120, 'observed'],
    ]);

    await sql`delete from repo_snapshots where repo_id = ${repo} and observed_at in (${at('2026-01-01', 20)}, ${at('2026-01-02', 12)})`.execute(t.db);
    expect(await days(repo!)).toEqual([
      ['2026-01-01', '2026-01-01T09:00:00.000Z', 100],
      ['2026-01-03', '2026-01-03T12:00:00.000Z', 120],
    ]);
    // the deletions were noted: an incremental refresh recomputes from Jan 1
    await refreshTrends(t.db);
    expect((await daily(t.db, repo!)).map((r) => [r.day, r.stars, r.stars_new, r.stars_source])).toEqual([
      ['2026-01-01', 100, null, 'observed'],
      ['2026-01-02', 110, 10, 'interpolated'],
      ['2026-01-03', 120, 10, 'observed'],
    ]);
  });

  it('is left as it was by compaction, which keeps each day’s last snapshot', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    for (let h = 0; h < 24; h += 3) await addSnapshot(t.db, repo!, at('2026-01-01', h), { stars: 100 + h });
    for (let h = 0; h < 24; h += 6) await addSnapshot(t.db, repo!, at('2026-01-02', h), { stars: 200 + h });
    const before = await days(repo!);
    const result = await compactSnapshots(t.db, { retentionDays: 30, now: at('2026-03-01', 0) });
    expect(result.deleted).toBe(7 + 3);
    expect(await days(repo!)).toEqual(before);
    expect(before).toEqual([
      ['2026-01-01', '2026-01-01T21:00:00.000Z', 121],
      ['2026-01-02', '2026-01-02T18:00:00.000Z', 218],
    ]);
  });
});
