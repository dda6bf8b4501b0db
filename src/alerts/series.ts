import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { addDays, daysBetween, type CountSignal, type DailySeries } from './detect.js';

/** A tracked repo and its home project (primary listing first), as alerts name them. */
export interface AlertRepo {
  repoId: number;
  repo: string;
  projectId: number | null;
  project: string | null;
  projectUrl: string | null;
}

/** One signal of one repo, ready for the detector. */
export interface SignalSeries extends DailySeries {
  /** The last day whose value is final: later days may still change (or have no data yet). */
  evaluableThrough: string | null;
}

interface DailyRow {
  repo_id: number;
  day: string;
  stars_new: number | null;
  stars_source: string;
  forks_new: number | null;
  forks_source: string;
  new_contributors: number | null;
}

/** The repos the collector tracks, each with its home project. */
export async function loadAlertRepos(db: Kysely<Database>): Promise<Map<number, AlertRepo>> {
  const { rows } = await sql<{ repo_id: number; repo: string; project_id: number | null; project: string | null; homepage_url: string | null }>`
    select r.id as repo_id, coalesce(r.current_full_name, r.owner || '/' || r.name) as repo,
           hp.id as project_id, hp.name as project, hp.homepage_url
    from tracked_repos r
    left join lateral (
      select p.id, p.name, p.homepage_url
      from project_repos pr join projects p on p.id = pr.project_id
      where pr.repo_id = r.id and pr.removed_at is null and p.removed_at is null
      order by (pr.role = 'primary') desc, p.id
      limit 1
    ) hp on true`.execute(db);
  return new Map(
    rows.map((r) => [r.repo_id, { repoId: r.repo_id, repo: r.repo, projectId: r.project_id, project: r.project, projectUrl: r.homepage_url }]),
  );
}

/**
 * The usable daily counts of every tracked repo from `from` to `to` (inclusive), per signal.
 * Stars and forks count only between two observed days (an interpolated day, or the day after
 * one, is null: its number is a guess); new contributors count on days the commit history covers,
 * and a day is final only once the next day is covered too (the history job may not have read it
 * to its end yet).
 */
export async function loadSignalSeries(
  db: Kysely<Database>,
  from: string,
  to: string,
): Promise<Map<number, Record<CountSignal, SignalSeries>>> {
  const { rows } = await sql<DailyRow>`
    select d.repo_id, d.day, d.stars_new, d.stars_source, d.forks_new, d.forks_source, d.new_contributors
    from repo_daily d
    where d.day between ${from}::date - 1 and ${to}::date + 1
      and exists (select 1 from tracked_repos t where t.id = d.repo_id)
    order by d.repo_id, d.day`.execute(db);

  const byRepo = new Map<number, DailyRow[]>();
  for (const row of rows) {
    const list = byRepo.get(row.repo_id) ?? [];
    list.push(row);
    byRepo.set(row.repo_id, list);
  }
  const length = daysBetween(from, to) + 1;
  const result = new Map<number, Record<CountSignal, SignalSeries>>();
  for (const [repoId, list] of byRepo) {
    const byDay = new Map(list.map((r) => [r.day, r]));
    const stars: Array<number | null> = [];
    const forks: Array<number | null> = [];
    const contributors: Array<number | null> = [];
    let lastStars: string | null = null;
    let lastForks: string | null = null;
    let lastContributors: string | null = null;
    for (let i = 0; i < length + 1; i++) {
      const day = addDays(from, i);
      const row = byDay.get(day);
      const prev = byDay.get(addDays(day, -1));
      const next = byDay.get(addDays(day, 1));
      const starsOk = row?.stars_source === 'observed' && prev?.stars_source === 'observed' && row.stars_new !== null;
      const forksOk = row?.forks_source === 'observed' && prev?.forks_source === 'observed' && row.forks_new !== null;
      const contributorsOk = row?.new_contributors != null && next?.new_contributors != null;
      if (i < length) {
        stars.push(starsOk ? Math.max(0, row.stars_new as number) : null);
        forks.push(forksOk ? Math.max(0, row.forks_new as number) : null);
        contributors.push(contributorsOk ? (row.new_contributors as number) : null);
      }
      if (i < length && row?.stars_source === 'observed') lastStars = day;
      if (i < length && row?.forks_source === 'observed') lastForks = day;
      if (i < length && contributorsOk) lastContributors = day;
    }
    result.set(repoId, {
      stars: { firstDay: from, values: stars, evaluableThrough: lastStars },
      forks: { firstDay: from, values: forks, evaluableThrough: lastForks },
      new_contributors: { firstDay: from, values: contributors, evaluableThrough: lastContributors },
    });
  }
  return result;
}
