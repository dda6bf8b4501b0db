import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Where a day's count comes from: `observed` (a snapshot that day), `interpolated` (between two
 * observed days), `list` (counted from GitHub's stargazer or fork list) or `none` (no count).
 */
export type PointSource = 'observed' | 'interpolated' | 'list' | 'none';

export interface SeriesPoint {
  day: string;
  value: number | null;
  source: PointSource;
}

export interface ProjectSeries {
  projectId: number;
  /** The project's repos with a daily series. */
  repos: string[];
  /** One point per day from `from` to `to`. */
  stars: SeriesPoint[];
  forks: SeriesPoint[];
  releases: Array<{ day: string; tag: string; repo: string }>;
  maturityChanges: Array<{ day: string; from: string; to: string }>;
}

interface DayRow {
  project_id: number;
  day: string;
  stars: number | null;
  stars_source: PointSource;
  forks: number | null;
  forks_source: PointSource;
}

/**
 * Each project's daily stars and forks (summed over its repos) from `from` to `to`, with their
 * releases and maturity changes in that period. A day counts only when every repo of the project
 * has a count that day: a sum over some of them would look like a sudden drop or jump. The day's
 * source is the weakest of its repos' (one interpolated repo makes the sum interpolated).
 */
export async function projectSeries(db: Kysely<Database>, projectIds: number[], from: string, to: string): Promise<Map<number, ProjectSeries>> {
  const out = new Map<number, ProjectSeries>();
  if (projectIds.length === 0) return out;
  const repos = await sql<{ project_id: number; repo: string }>`
    select pr.project_id, coalesce(r.current_full_name, r.owner || '/' || r.name) as repo
    from project_repos pr join repos r on r.id = pr.repo_id
    where pr.project_id = any(${projectIds}::bigint[]) and pr.removed_at is null
      and exists (select 1 from repo_daily d where d.repo_id = pr.repo_id)
    order by pr.project_id, pr.role desc, repo`.execute(db);
  const days = await sql<DayRow>`
    with pr as (
      select pr.project_id, pr.repo_id from project_repos pr
      where pr.project_id = any(${projectIds}::bigint[]) and pr.removed_at is null
        and exists (select 1 from repo_daily d where d.repo_id = pr.repo_id)
    ), n as (select project_id, count(*) as repos from pr group by project_id)
    select pr.project_id, d.day,
           case when count(d.stars) = n.repos then sum(d.stars)::int end as stars,
           case when count(d.stars) < n.repos then 'none'
                when bool_or(d.stars_source = 'interpolated') then 'interpolated'
                when bool_or(d.stars_source = 'star_list') then 'list'
                else 'observed' end as stars_source,
           case when count(d.forks) = n.repos then sum(d.forks)::int end as forks,
           case when count(d.forks) < n.repos then 'none'
                when bool_or(d.forks_source = 'interpolated') then 'interpolated'
                when bool_or(d.forks_source = 'fork_list') then 'list'
                else 'observed' end as forks_source
    from pr join n on n.project_id = pr.project_id
    join repo_daily d on d.repo_id = pr.repo_id and d.day >= ${from}::date and d.day <= ${to}::date
    group by pr.project_id, d.day, n.repos`.execute(db);
  const releases = await sql<{ project_id: number; day: string; tag: string; repo: string }>`
    select pr.project_id, utc_day(coalesce(rel.published_at, rel.created_at)) as day, rel.tag_name as tag,
           coalesce(r.current_full_name, r.owner || '/' || r.name) as repo
    from project_repos pr
    join repo_releases rel on rel.repo_id = pr.repo_id
    join repos r on r.id = pr.repo_id
    where pr.project_id = any(${projectIds}::bigint[]) and pr.removed_at is null
      and not rel.is_draft and not rel.is_prerelease
      and utc_day(coalesce(rel.published_at, rel.created_at)) between ${from}::date and ${to}::date
    order by day, tag`.execute(db);
  // The date the landscape gives for the change, else the day greenshoots saw it.
  const changes = await sql<{ project_id: number; day: string; from: string; to: string }>`
    select project_id, coalesce(effective_on, utc_day(changed_at)) as day, from_maturity as "from", to_maturity as "to"
    from project_maturity_changes
    where project_id = any(${projectIds}::bigint[])
      and coalesce(effective_on, utc_day(changed_at)) between ${from}::date and ${to}::date
    order by day, id`.execute(db);

  const calendar = daysBetween(from, to);
  for (const id of projectIds) {
    const byDay = new Map(days.rows.filter((r) => r.project_id === id).map((r) => [r.day, r]));
    const point = (day: string, kind: 'stars' | 'forks'): SeriesPoint => {
      const row = byDay.get(day);
      const value = row ? row[kind] : null;
      return { day, value, source: row && value !== null ? row[`${kind}_source`] : 'none' };
    };
    out.set(id, {
      projectId: id,
      repos: repos.rows.filter((r) => r.project_id === id).map((r) => r.repo),
      stars: calendar.map((day) => point(day, 'stars')),
      forks: calendar.map((day) => point(day, 'forks')),
      releases: releases.rows.filter((r) => r.project_id === id).map(({ day, tag, repo }) => ({ day, tag, repo })),
      maturityChanges: changes.rows.filter((r) => r.project_id === id).map(({ day, from: f, to: t }) => ({ day, from: f, to: t })),
    });
  }
  return out;
}

/** The first day the charts show: `days` days up to `to`, or later when no project has data that far back. */
export async function chartStart(db: Kysely<Database>, projectIds: number[], to: string, days: number): Promise<string> {
  const earliest = addDays(to, -(days - 1));
  if (projectIds.length === 0) return earliest;
  const { rows } = await sql<{ first: string | null }>`
    select min(d.day) as first from repo_daily d
    join project_repos pr on pr.repo_id = d.repo_id and pr.removed_at is null
    where pr.project_id = any(${projectIds}::bigint[]) and d.day >= ${earliest}::date`.execute(db);
  return rows[0]?.first ?? earliest;
}

/** YYYY-MM-DD `n` days after `day`. */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}
