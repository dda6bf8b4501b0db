import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactSnapshots, refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import {
  addCommits, addDailySnapshots, addDays, addProject, addRelease, addSnapshot, addStream, at, everything, trends,
} from './fixtures.js';

const START = '2026-01-01';
const AS_OF = addDays(START, 99); // 100 daily observations: days 0…99

/** 10 stars a day for 92 days, then 30 a day: a repo that has just accelerated. */
const accelerating = (i: number): number => (i <= 92 ? 1000 + 10 * i : 1920 + 30 * (i - 92));

describe.each(DATABASE_KINDS)('repo_trends and project_trends on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('computes gains, growth rates, the annualised rate and acceleration from the daily stars', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    const stars = Array.from({ length: 100 }, (_, i) => accelerating(i));
    const forks = Array.from({ length: 100 }, (_, i) => 100 + i); // 1 fork a day, steady
    await addDailySnapshots(t.db, repo!, START, stars, forks);
    await refreshTrends(t.db);

    const r = await trends(t.db, repo!);
    // stars(99) = 2130, (98) = 2100, (92) = 1920, (69) = 1690, (64) = 1640, (9) = 1090
    expect(r).toMatchObject({
      as_of: AS_OF,
      first_day: START,
      coverage_days: 90,
      stars: 2130,
      stars_gained_1d: 30,
      stars_gained_7d: 210,
      stars_gained_30d: 440,
      stars_gained_90d: 1040,
      stars_per_day_7d: 30,
      stars_per_day_prior_28d: 10, // (1920 - 1640) / 28
      stars_acceleration: 3,
      forks: 199,
      forks_gained_30d: 30,
      forks_acceleration: 1,
    });
    expect(r.stars_growth_1d).toBeCloseTo(30 / 2100, 12);
    expect(r.stars_growth_30d).toBeCloseTo(440 / 1690, 12);
    expect(r.stars_growth_90d).toBeCloseTo(1040 / 1090, 12);
    expect(r.stars_growth_annualised).toBeCloseTo((2130 / 1090) ** (365 / 90) - 1, 9);
    expect(r.forks_growth_30d).toBeCloseTo(30 / 169, 12);
  });

  it('leaves a figure NULL when the data is too short for it', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Young', repos: ['acme/young'] });
    await addDailySnapshots(t.db, repo!, START, [10, 12, 15, 15, 20, 21, 22, 30, 31, 35]); // 10 days
    await refreshTrends(t.db);
    const r = await trends(t.db, repo!);
    expect(r).toMatchObject({
      stars: 35,
      stars_gained_7d: 35 - 15, // day 9 against day 2
      stars_gained_30d: null,
      stars_growth_30d: null,
      stars_growth_annualised: null,
      stars_acceleration: null, // needs 35 days
      coverage_days: 10,
      bus_factor: null, // no commit history
      new_contributors_30d: null,
      releases_365d: null,
      release_interval_median_days: null,
      days_since_last_release: null,
      stars_growth_30d_pct_category: null,
    });
  });

  it('counts bus factor, new and active contributors from the commit history', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    const D = '2026-06-30';
    const day = (n: number, h = 12) => at(addDays(D, -n), h);
    await addSnapshot(t.db, repo!, day(0), { stars: 10 });
    await addStream(t.db, repo!, 'commits', { backfill_done: true, checked_at: day(0, 13) });
    await addCommits(t.db, repo!, 'alice', [day(500), day(100), day(100, 13), day(100, 14), day(100, 15), day(5), day(5, 13)]);
    await addCommits(t.db, repo!, 'bob', [day(10), day(10, 13), day(10, 14)]);
    await addCommits(t.db, repo!, 'carol', [day(40), day(41)]);
    await addCommits(t.db, repo!, 'dave', [day(200)]);
    await addCommits(t.db, repo!, 'eve', Array.from({ length: 100 }, (_, i) => day(400 + i)));
    await refreshTrends(t.db);

    const r = await trends(t.db, repo!);
    // last 365 days: alice 6, bob 3, carol 2, dave 1 = 12; alice alone is 6 (not over half), alice + bob 9
    expect(r).toMatchObject({
      commits_365d: 12,
      commits_30d: 5, // alice 2 + bob 3
      bus_factor: 2,
      new_contributors_30d: 1, // bob
      new_contributors_prev_30d: 1, // carol (days 30-59 back)
      new_contributors_90d: 2,
      new_contributors_prev_90d: 0,
      active_contributors_30d: 2, // alice, bob
      active_contributors_prev_30d: 1, // carol
    });
  });

  it('counts releases of the last 365 days and the median days between them', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    const D = '2026-06-30';
    const day = (n: number) => at(addDays(D, -n), 10);
    await addSnapshot(t.db, repo!, day(0), { stars: 10, latest_release_at: day(50), pushed_at: day(3) });
    await addStream(t.db, repo!, 'releases', { backfill_done: true, checked_at: day(0) });
    await addRelease(t.db, repo!, 'v0.1', day(400));
    await addRelease(t.db, repo!, 'v0.2', day(300));
    await addRelease(t.db, repo!, 'v0.3', day(200));
    await addRelease(t.db, repo!, 'v0.4', day(150));
    await addRelease(t.db, repo!, 'v0.5', day(50));
    await addRelease(t.db, repo!, 'v0.6-rc1', day(20), 'prerelease');
    await addRelease(t.db, repo!, 'v0.6', day(10), 'draft');
    await refreshTrends(t.db);
    const r = await trends(t.db, repo!);
    // in the window: days 300, 200, 150, 50 back → gaps 100, 50, 100
    expect(r).toMatchObject({ releases_365d: 4, release_interval_median_days: 100, days_since_last_release: 50, days_since_last_push: 3 });
  });

  it('ranks 30-day star growth within the category and within the maturity level', async () => {
    const growth = [0.1, 0.2, 0.3]; // three Runtime sandbox repos, one Observability sandbox repo at 0.4
    const ids: number[] = [];
    for (const [i, g] of [...growth, 0.4].entries()) {
      const { repoIds } = await addProject(t.db, { name: `P${i}`, category: i < 3 ? 'Runtime' : 'Observability', repos: [`acme/p${i}`] });
      await addSnapshot(t.db, repoIds[0]!, at(addDays(AS_OF, -30)), { stars: 1000 });
      await addSnapshot(t.db, repoIds[0]!, at(AS_OF), { stars: 1000 * (1 + g) });
      ids.push(repoIds[0]!);
    }
    const { repoIds: [incubating] } = await addProject(t.db, { name: 'Big', category: 'Runtime', maturity: 'incubating', repos: ['acme/big'] });
    await addSnapshot(t.db, incubating!, at(AS_OF), { stars: 5 }); // no growth figure: no percentile
    await refreshTrends(t.db);

    const rows = await Promise.all(ids.map((id) => trends(t.db, id)));
    expect(rows.map((r) => r.stars_growth_30d_pct_category)).toEqual([0, 50, 100, null]); // alone in its category
    expect(rows.map((r) => (r.stars_growth_30d_pct_maturity as number).toFixed(2))).toEqual(['0.00', '33.33', '66.67', '100.00']);
    expect((await trends(t.db, incubating!)).stars_growth_30d_pct_maturity).toBeNull();
  });

  it('combines a project’s repos: counts summed, rates recomputed from the sums', async () => {
    const { projectId, repoIds: [a, b] } = await addProject(t.db, { name: 'Duo', repos: ['acme/core', 'acme/cli'] });
    await addSnapshot(t.db, a!, at(addDays(AS_OF, -30)), { stars: 900, forks: 90 });
    await addSnapshot(t.db, a!, at(AS_OF), { stars: 1000, forks: 100 });
    await addSnapshot(t.db, b!, at(addDays(AS_OF, -30)), { stars: 100, forks: 10 });
    await addSnapshot(t.db, b!, at(AS_OF), { stars: 300, forks: 10 });
    await refreshTrends(t.db);
    const { rows } = await sql<Record<string, unknown>>`select * from project_trends where project_id = ${projectId}`.execute(t.db);
    expect(rows[0]).toMatchObject({ repos: 2, repos_with_stars: 2, stars: 1300, stars_gained_30d: 300, forks_gained_30d: 10, as_of: AS_OF });
    expect(rows[0]!.stars_growth_30d).toBeCloseTo(300 / 1000, 12); // not the mean of 11 % and 200 %
    expect(rows[0]!.forks_growth_30d).toBeCloseTo(10 / 100, 12);
  });

  it('ranks a small project above a large one growing as fast, showing each component', async () => {
    for (const [name, base] of [['Small', 400], ['Large', 40_000]] as const) {
      const { repoIds: [repo] } = await addProject(t.db, { name, repos: [`acme/${name.toLowerCase()}`] });
      await addSnapshot(t.db, repo!, at(addDays(AS_OF, -30)), { stars: base });
      await addSnapshot(t.db, repo!, at(AS_OF), { stars: base * 1.5 });
    }
    await refreshTrends(t.db);
    const { rows } = await sql<Record<string, unknown>>`select * from green_shoots order by rank`.execute(t.db);
    expect(rows.map((r) => r.project)).toEqual(['Small', 'Large']);
    // star growth and fork growth (0 forks on both: a tie) are known; acceleration needs 35 days
    expect(rows[0]).toMatchObject({ rank: 1, signals: 2, star_acceleration_score: null });
    expect(rows[0]!.traction).toEqual(rows[1]!.traction);
    expect(Number(rows[0]!.size_weight)).toBeGreaterThan(Number(rows[1]!.size_weight));
  });

  it('compacts old hourly snapshots to the day’s last one without changing any trend', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    // 120 days, one snapshot an hour, growing irregularly
    await sql`
      insert into repo_snapshots (repo_id, observed_at, full_name, stars, forks, open_issues, open_prs)
      select ${repo!}, ${at(START, 0)}::timestamptz + make_interval(hours => h), 'acme/rocket',
             1000 + h * 2 + (h % 7) * 3, 50 + h / 24, 10 + h % 5, h % 3
      from generate_series(0, 120 * 24 - 1) h`.execute(t.db);
    await refreshTrends(t.db);
    const before = await everything(t.db);

    const now = at(addDays(START, 120), 6); // the first 30 days are older than 90 days
    const result = await compactSnapshots(t.db, { retentionDays: 90, now });
    expect(result.deleted).toBe(30 * 23);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from repo_snapshots where observed_at < ${at(addDays(START, 30), 0)}`.execute(t.db);
    expect(rows[0]!.n).toBe(30);

    await refreshTrends(t.db, { full: true });
    expect(await everything(t.db)).toEqual(before);
    // and the kept one is the day's last
    const kept = await sql<{ observed_at: Date }>`select observed_at from repo_snapshots order by observed_at limit 1`.execute(t.db);
    expect(kept.rows[0]!.observed_at.toISOString()).toBe(at(START, 23).toISOString());
  });
});
