import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addCommits, addForks, addProject, addSnapshot, addStars, addStream, at, daily, everything, trends } from './fixtures.js';

describe.each(DATABASE_KINDS)('repo_daily on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('takes the day’s last observation, interpolates unobserved days and says so', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    await addSnapshot(t.db, repo!, at('2026-01-01', 9), { stars: 100, forks: 10, open_issues: 5, open_prs: 1 });
    await addSnapshot(t.db, repo!, at('2026-01-01', 23), { stars: 110, forks: 12, open_issues: 6, open_prs: 2 });
    // nobody observed Jan 2-4
    await addSnapshot(t.db, repo!, at('2026-01-05', 1), { stars: 115, forks: 20, open_issues: 7, open_prs: 3 });
    await refreshTrends(t.db);

    const rows = await daily(t.db, repo!);
    expect(rows.map((r) => [r.day, r.stars, r.stars_new, r.stars_source, r.forks, r.forks_new, r.open_issues])).toEqual([
      ['2026-01-01', 110, null, 'observed', 12, null, 6],
      // 110 → 115 over 4 days: 111.25, 112.5, 113.75 rounded half away from zero
      ['2026-01-02', 111, 1, 'interpolated', 14, 2, null],
      ['2026-01-03', 113, 2, 'interpolated', 16, 2, null],
      ['2026-01-04', 114, 1, 'interpolated', 18, 2, null],
      ['2026-01-05', 115, 1, 'observed', 20, 2, 7],
    ]);
    expect(rows.every((r) => r.contributors === null && r.commits === null && r.releases === null)).toBe(true);
  });

  it('counts stars from the star list before the first observation, anchored to it, where the list covers the day', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    await addSnapshot(t.db, repo!, at('2026-03-10', 12), { stars: 50 });
    await addStream(t.db, repo!, 'stars', { backfill_done: true, oldest_at: at('2026-03-08', 1), checked_at: at('2026-03-10', 12) });
    await addStars(t.db, repo!, [at('2026-03-08', 1), at('2026-03-08', 2), at('2026-03-08', 3)]);
    await addStars(t.db, repo!, [at('2026-03-09', 5), at('2026-03-09', 6)]);
    await addStars(t.db, repo!, [at('2026-03-10', 8)]); // before the anchor (12:00)
    await addStars(t.db, repo!, [at('2026-03-10', 13)]); // after it: already not in the 50
    await addStars(t.db, repo!, [at('2026-03-09', 1), at('2026-03-09', 2)], 'events'); // partial feed: ignored
    await addForks(t.db, repo!, [at('2026-03-07', 10)]); // starts the series a day earlier
    await refreshTrends(t.db);

    const rows = await daily(t.db, repo!);
    expect(rows.map((r) => [r.day, r.stars, r.stars_new, r.stars_source, r.forks_source])).toEqual([
      ['2026-03-07', 44, null, 'star_list', 'none'], // 50 - (3 + 2 + 1)
      ['2026-03-08', 47, 3, 'star_list', 'none'],
      ['2026-03-09', 49, 2, 'star_list', 'none'],
      ['2026-03-10', 50, 1, 'observed', 'observed'],
    ]);
    // the star figures rest on the three list days and the observed one
    expect((await trends(t.db, repo!)).coverage_days).toBe(4);
  });

  it('leaves stars empty before the first observation when the list does not cover the day, or is refused', async () => {
    const { repoIds: [a, b] } = await addProject(t.db, { name: 'Two', repos: ['acme/a', 'acme/b'] });
    for (const repo of [a!, b!]) {
      await addSnapshot(t.db, repo, at('2026-03-10', 12), { stars: 50 });
      await addStars(t.db, repo, [at('2026-03-08', 12), at('2026-03-09', 12)]);
    }
    // a: the backfill has only reached Mar 9 noon, so Mar 9 is partly covered and Mar 8 not at all
    await addStream(t.db, a!, 'stars', { oldest_at: at('2026-03-09', 12), checked_at: at('2026-03-10', 12) });
    // b: GitHub refused the list to this token
    await addStream(t.db, b!, 'stars', { backfill_done: true, restricted: true, checked_at: at('2026-03-10', 12) });
    await refreshTrends(t.db);
    for (const repo of [a!, b!]) {
      const rows = await daily(t.db, repo);
      expect(rows.map((r) => [r.day, r.stars, r.stars_source])).toEqual([
        ['2026-03-08', null, 'none'],
        ['2026-03-09', null, 'none'],
        ['2026-03-10', 50, 'observed'],
      ]);
    }
  });

  it('counts commits, new contributors and releases only on days the history covers', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    await addSnapshot(t.db, repo!, at('2026-05-04', 12), { stars: 10 });
    await addStream(t.db, repo!, 'commits', { oldest_at: at('2026-05-02', 9), checked_at: at('2026-05-04', 12) });
    await addCommits(t.db, repo!, 'alice', [at('2026-05-02', 9), at('2026-05-03', 10), at('2026-05-03', 11)]);
    await addCommits(t.db, repo!, 'bob', [at('2026-05-03', 15)]);
    await refreshTrends(t.db);
    const rows = await daily(t.db, repo!);
    expect(rows.map((r) => [r.day, r.commits, r.new_contributors, r.releases])).toEqual([
      ['2026-05-02', null, null, null], // the day of the oldest stored commit is only partly covered
      ['2026-05-03', 3, 1, null], // alice's first stored commit was the day before: only bob is new
      ['2026-05-04', 0, 0, null], // covered (checked that day), nothing happened
    ]);
  });

  it('gives the same tables whether refreshed step by step or all at once', async () => {
    const { repoIds: [repo, other] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket', 'acme/other'] });
    await addSnapshot(t.db, repo!, at('2026-02-01', 12), { stars: 100, forks: 5 });
    await addSnapshot(t.db, other!, at('2026-02-01', 12), { stars: 7 });
    await refreshTrends(t.db);
    await addSnapshot(t.db, repo!, at('2026-02-04', 12), { stars: 130, forks: 8 });
    await refreshTrends(t.db);
    await addSnapshot(t.db, repo!, at('2026-02-04', 20), { stars: 133, forks: 9 }); // same day, later
    await addCommits(t.db, repo!, 'alice', [at('2026-02-02', 8)]);
    await addStream(t.db, repo!, 'commits', { backfill_done: true, checked_at: at('2026-02-04', 20) });
    await refreshTrends(t.db);
    // a star list backfilled later, reaching before the first observation
    await addStream(t.db, repo!, 'stars', { backfill_done: true, checked_at: at('2026-02-04', 20) });
    await addStars(t.db, repo!, [at('2026-01-30', 12), at('2026-01-31', 12)]);
    const incremental = await refreshTrends(t.db);
    expect(incremental.mode).toBe('incremental');
    const stepwise = await everything(t.db);
    expect((await daily(t.db, repo!)).map((r) => [r.day, r.stars, r.stars_source, r.commits])).toEqual([
      ['2026-01-30', 99, 'star_list', 0],
      ['2026-01-31', 100, 'star_list', 0],
      ['2026-02-01', 100, 'observed', 0],
      ['2026-02-02', 111, 'interpolated', 1],
      ['2026-02-03', 122, 'interpolated', 0],
      ['2026-02-04', 133, 'observed', 0],
    ]);
    await refreshTrends(t.db, { full: true });
    expect(await everything(t.db)).toEqual(stepwise);
  });
});
