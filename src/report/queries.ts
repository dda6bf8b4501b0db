import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { AlertsTable, Database, GreenShootsView, Maturity } from '../db/schema.js';

/** Which projects a report covers: the same filters as `greenshoots top`. */
export interface ReportFilters {
  /** Text contained in the category or subcategory (case-insensitive). */
  category?: string;
  maturity?: Maturity | 'cncf';
}

/** The condition on a project_trends row `t` for the filters, every value bound. */
function matches(filters: ReportFilters): RawBuilder<boolean> {
  const maturity = filters.maturity ?? null;
  const pattern = filters.category ? `%${filters.category.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return sql<boolean>`(${maturity}::text is null
      or (${maturity}::text = 'cncf' and t.maturity <> 'none')
      or t.maturity = ${maturity}::text)
    and (${pattern}::text is null or t.category ilike ${pattern}::text or t.subcategory ilike ${pattern}::text)`;
}

/** Projects on their lists (all, and those the filters select) and the categories that exist. */
export async function projectCounts(
  db: Kysely<Database>,
  filters: ReportFilters,
): Promise<{ projects: number; matching: number; categories: string[] }> {
  const { rows } = await sql<{ projects: number; matching: number }>`
    select count(*)::int as projects, count(*) filter (where ${matches(filters)})::int as matching
    from projects t where t.removed_at is null`.execute(db);
  const categories = await sql<{ category: string }>`
    select distinct category from projects where removed_at is null and category is not null order by 1`.execute(db);
  return { projects: rows[0]?.projects ?? 0, matching: rows[0]?.matching ?? 0, categories: categories.rows.map((r) => r.category) };
}

/** The latest day any selected project has data for (null: no trends yet). */
export async function dataAsOf(db: Kysely<Database>, filters: ReportFilters): Promise<string | null> {
  const { rows } = await sql<{ as_of: string | null }>`
    select max(t.as_of) as as_of from project_trends t where ${matches(filters)}`.execute(db);
  return rows[0]?.as_of ?? null;
}

export type RankedProject = Omit<GreenShootsView, 'as_of' | 'created_on'> & { position: number };

/** The green-shoots ranking of the selected projects, best first, with every component. */
export async function greenShoots(db: Kysely<Database>, filters: ReportFilters, limit: number): Promise<RankedProject[]> {
  const { rows } = await sql<Omit<RankedProject, 'position'>>`
    select g.rank, g.project_id, g.project, g.maturity, g.category, g.score, g.traction, g.signals,
           g.star_growth_score, g.star_acceleration_score, g.fork_growth_score, g.contributor_growth_score,
           g.release_score, g.size_weight, g.age_weight, g.stars, g.stars_gained_30d, g.stars_growth_30d,
           g.stars_acceleration, g.forks, g.forks_gained_30d, g.new_contributors_90d, g.new_contributors_prev_90d,
           g.releases_365d
    from green_shoots g join project_trends t on t.project_id = g.project_id
    where ${matches(filters)}
    order by g.rank, g.project
    limit ${limit}`.execute(db);
  // Numbered within the selection, as `greenshoots top` does; `rank` stays the overall rank.
  return rows.map((r, i) => ({ ...r, position: i + 1 }));
}

/** One project's gains over 7 and 30 days in stars, forks and new contributors. */
export interface MoverFigures {
  project_id: number;
  project: string;
  maturity: Maturity;
  category: string | null;
  stars: number | null;
  forks: number | null;
  stars_gained_7d: number | null;
  stars_growth_7d: number | null;
  stars_gained_30d: number | null;
  stars_growth_30d: number | null;
  forks_gained_7d: number | null;
  forks_gained_30d: number | null;
  forks_growth_30d: number | null;
  new_contributors_7d: number | null;
  new_contributors_30d: number | null;
}

/**
 * Every selected project's gains. project_trends has no 7-day fork or new-contributor figure, so
 * those are combined here by its rule (a sum over the repos that have the figure): forks from
 * repo_trends, new contributors from repo_daily, only where the commit history covers all 7 days.
 */
export async function moverFigures(db: Kysely<Database>, filters: ReportFilters): Promise<MoverFigures[]> {
  const { rows } = await sql<MoverFigures>`
    with listed as (
      select t.* from project_trends t where ${matches(filters)} and t.as_of is not null
    ), repo_figures as (
      select pr.project_id, rt.forks_gained_7d,
             (select case when count(*) = 7 and count(d.new_contributors) = 7 then sum(d.new_contributors) end
              from repo_daily d
              where d.repo_id = rt.repo_id and d.day > rt.as_of - 7 and d.day <= rt.as_of) as new_contributors_7d
      from listed l
      join project_repos pr on pr.project_id = l.project_id and pr.removed_at is null
      join repo_trends rt on rt.repo_id = pr.repo_id
    )
    select l.project_id, l.project, l.maturity, l.category, l.stars, l.forks,
           l.stars_gained_7d, l.stars_growth_7d, l.stars_gained_30d, l.stars_growth_30d,
           (select sum(f.forks_gained_7d)::int from repo_figures f where f.project_id = l.project_id) as forks_gained_7d,
           l.forks_gained_30d, l.forks_growth_30d,
           (select sum(f.new_contributors_7d)::int from repo_figures f where f.project_id = l.project_id) as new_contributors_7d,
           l.new_contributors_30d
    from listed l
    order by l.project`.execute(db);
  return rows;
}

export type ReportAlert = Selectable<AlertsTable>;

/** Alerts of the selected projects whose window ends in the 30 days up to `asOf`, newest first. */
export async function recentAlerts(db: Kysely<Database>, filters: ReportFilters, asOf: string, limit = 50): Promise<ReportAlert[]> {
  const filtered = filters.category !== undefined || filters.maturity !== undefined;
  const { rows } = await sql<ReportAlert>`
    select a.* from alerts a
    left join project_trends t on t.project_id = a.project_id
    where a.window_end > ${asOf}::date - 30 and a.window_end <= ${asOf}::date
      and (not ${filtered} or coalesce(${matches(filters)}, false))
    order by a.window_end desc, a.id desc
    limit ${limit}`.execute(db);
  return rows;
}

/** The largest selected projects with data, for charts when nothing is ranked or moving yet. */
export async function largestProjects(db: Kysely<Database>, filters: ReportFilters, limit: number): Promise<Array<{ project_id: number; project: string }>> {
  const { rows } = await sql<{ project_id: number; project: string }>`
    select t.project_id, t.project from project_trends t
    where ${matches(filters)} and t.as_of is not null
    order by t.stars desc nulls last, t.project
    limit ${limit}`.execute(db);
  return rows;
}

/** Each project's maturity and category, for chart captions. */
export async function projectLabels(
  db: Kysely<Database>,
  projectIds: number[],
): Promise<Map<number, { maturity: Maturity; category: string | null }>> {
  const { rows } = await sql<{ project_id: number; maturity: Maturity; category: string | null }>`
    select id as project_id, maturity, category from projects where id = any(${projectIds}::bigint[])`.execute(db);
  return new Map(rows.map((r) => [r.project_id, { maturity: r.maturity, category: r.category }]));
}
