import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS } from '../helpers/database.js';
import { HOUR, collectorWorld, type CollectorWorld } from '../helpers/collector.js';

const REPOS = ['kubernetes/kubernetes', 'helm/helm', 'fluxcd/flux2', 'cilium/cilium'];
const DAYS = 10;
const SKIPPED_DAY = 5; // the collector did not run that day
const RUN_HOURS = [1, 9, 17];

interface Truth {
  day: string;
  stars: number;
  forks: number;
  openIssues: number;
  openPulls: number;
}

describe.each(DATABASE_KINDS)('trends from collected snapshots on %s', (kind) => {
  let world: CollectorWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('match the numbers computed from the simulator’s truth', async () => {
    world = await collectorWorld(kind, REPOS);
    const seen = new Map<string, Truth[]>(REPOS.map((r) => [r, []]));
    const start = world.sim.clock.nowMs(); // 2026-11-01T00:00Z
    for (let day = 0; day < DAYS; day++) {
      if (day === SKIPPED_DAY) continue;
      for (const hour of RUN_HOURS) {
        world.sim.clock.set(new Date(start + (day * 24 + hour) * HOUR));
        const summary = await world.run({ contributorsMaxAgeHours: 0 });
        expect(summary.counters.repos_observed).toBe(REPOS.length);
        for (const repo of REPOS) {
          const t = world.sim.truth(repo) as unknown as Truth & { at: string };
          seen.get(repo)!.push({ day: t.at.slice(0, 10), stars: t.stars, forks: t.forks, openIssues: t.openIssues, openPulls: t.openPulls });
        }
      }
      await refreshTrends(world.database.db); // incremental after each day, as collect will do
    }

    const db = world.database.db;
    for (const repo of REPOS) {
      // Independently: the last truth of each day; the skipped day is linear between its neighbours.
      const lastOfDay = new Map<string, Truth>();
      for (const t of seen.get(repo)!) lastOfDay.set(t.day, t);
      const days = Array.from({ length: DAYS }, (_, i) => new Date(start + i * 24 * HOUR).toISOString().slice(0, 10));
      const expected = days.map((day, i) => {
        const t = lastOfDay.get(day);
        if (t) return { day, stars: t.stars, stars_source: 'observed', forks: t.forks, open_issues: t.openIssues, open_prs: t.openPulls };
        const before = lastOfDay.get(days[i - 1]!)!;
        const after = lastOfDay.get(days[i + 1]!)!;
        return {
          day,
          stars: Math.round((before.stars + after.stars) / 2),
          stars_source: 'interpolated',
          forks: Math.round((before.forks + after.forks) / 2),
          open_issues: null,
          open_prs: null,
        };
      });
      const withNew = expected.map((e, i) => ({ ...e, stars_new: i === 0 ? null : e.stars - expected[i - 1]!.stars }));
      const { rows } = await sql<Record<string, unknown>>`
        select d.day, d.stars, d.stars_new, d.stars_source, d.forks, d.open_issues, d.open_prs
        from repo_daily d join repos r on r.id = d.repo_id
        where r.full_name_key = ${repo} order by d.day`.execute(db);
      expect(rows, repo).toEqual(withNew);

      const last = withNew[DAYS - 1]!;
      const { rows: trend } = await sql<Record<string, unknown>>`
        select t.* from repo_trends t join repos r on r.id = t.repo_id where r.full_name_key = ${repo}`.execute(db);
      expect(trend[0], repo).toMatchObject({
        as_of: last.day,
        stars: last.stars,
        stars_gained_1d: last.stars - withNew[DAYS - 2]!.stars,
        stars_gained_7d: last.stars - withNew[DAYS - 8]!.stars,
        stars_gained_30d: null,
        forks_gained_7d: last.forks - withNew[DAYS - 8]!.forks,
        coverage_days: DAYS - 1,
        project: repo,
      });
      expect(trend[0]!.stars_growth_7d).toBeCloseTo((last.stars - withNew[DAYS - 8]!.stars) / withNew[DAYS - 8]!.stars, 12);
    }

    // The incremental refreshes built what a full one builds.
    const snapshot = async () => ({
      daily: (await sql`select * from repo_daily order by repo_id, day`.execute(db)).rows,
      trends: (await sql`select * from repo_trends order by repo_id`.execute(db)).rows,
      projects: (await sql`select * from project_trends order by project_id`.execute(db)).rows,
    });
    const incremental = await snapshot();
    await refreshTrends(db, { full: true });
    expect(await snapshot()).toEqual(incremental);
  });
});
