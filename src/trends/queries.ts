import { sql, type Kysely } from 'kysely';
import type { Database, Maturity, RepoDailyTable, RepoTrendsTable } from '../db/schema.js';

/** What `greenshoots top` can rank projects by: column and direction, never user text in SQL. */
export const TOP_ORDERS = {
  green_shoots: 'green_shoots',
  stars_30d: 'stars_gained_30d',
  growth_30d: 'stars_growth_30d',
  stars_7d: 'stars_gained_7d',
  growth_7d: 'stars_growth_7d',
  acceleration: 'stars_acceleration',
  stars: 'stars',
  forks_30d: 'forks_gained_30d',
  new_contributors_90d: 'new_contributors_90d',
  releases_365d: 'releases_365d',
} as const;
export type TopOrder = keyof typeof TOP_ORDERS;

export interface TopOptions {
  by: TopOrder;
  category?: string;
  maturity?: Maturity | 'cncf';
  limit: number;
}

export interface TopRow {
  rank: number;
  project: string;
  project_id: number;
  maturity: Maturity;
  category: string | null;
  score: number | null;
  stars: number | null;
  stars_gained_7d: number | null;
  stars_gained_30d: number | null;
  stars_growth_30d: number | null;
  stars_acceleration: number | null;
  new_contributors_90d: number | null;
  releases_365d: number | null;
  as_of: string | null;
  /** New stars per day, summed over the project's repos, for the 30 days up to as_of (null: no data). */
  last_30d: Array<number | null>;
}

/** Projects ranked by one trend column (or the green-shoots score), with their last 30 days. */
export async function topProjects(db: Kysely<Database>, options: TopOptions): Promise<TopRow[]> {
  const column = TOP_ORDERS[options.by];
  let query = db
    .selectFrom('project_trends as t')
    .leftJoin('green_shoots as g', 'g.project_id', 't.project_id')
    .select([
      't.project_id', 't.project', 't.maturity', 't.category', 'g.score', 't.stars', 't.stars_gained_7d', 't.stars_gained_30d',
      't.stars_growth_30d', 't.stars_acceleration', 't.new_contributors_90d', 't.releases_365d', 't.as_of',
    ]);
  if (column === 'green_shoots') query = query.where('g.rank', 'is not', null).orderBy('g.rank').orderBy('t.project');
  else query = query.where(`t.${column}`, 'is not', null).orderBy(`t.${column}`, 'desc').orderBy('t.project');
  if (options.maturity === 'cncf') query = query.where('t.maturity', '!=', 'none');
  else if (options.maturity) query = query.where('t.maturity', '=', options.maturity);
  if (options.category) {
    const pattern = `%${options.category.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('t.category', 'ilike', pattern), eb('t.subcategory', 'ilike', pattern)]));
  }
  const rows = await query.limit(options.limit).execute();
  const series = await projectSeries(db, rows.map((r) => r.project_id));
  return rows.map((r, i) => ({ rank: i + 1, ...r, last_30d: series.get(r.project_id) ?? Array(30).fill(null) }));
}

async function projectSeries(db: Kysely<Database>, projectIds: number[]): Promise<Map<number, Array<number | null>>> {
  const out = new Map<number, Array<number | null>>();
  if (projectIds.length === 0) return out;
  const { rows } = await sql<{ project_id: number; offset: number; stars_new: number | null }>`
    select t.project_id, t.as_of - d.day as offset, sum(d.stars_new)::int as stars_new
    from project_trends t
    join project_repos pr on pr.project_id = t.project_id and pr.removed_at is null
    join repo_daily d on d.repo_id = pr.repo_id and d.day > t.as_of - 30 and d.day <= t.as_of
    where t.project_id = any(${projectIds}::bigint[])
    group by t.project_id, t.as_of, d.day`.execute(db);
  for (const row of rows) {
    const values = out.get(row.project_id) ?? Array<number | null>(30).fill(null);
    values[29 - row.offset] = row.stars_new;
    out.set(row.project_id, values);
  }
  return out;
}

export interface RepoReport {
  repoId: number;
  name: string;
  trends: RepoTrendsTable | null;
  daily: RepoDailyTable[];
}

/** A repo by `owner/name` (any case; old names too), its trends and its last `days` days; null if unknown. */
export async function repoReport(db: Kysely<Database>, fullName: string, days = 30): Promise<RepoReport | null> {
  const key = fullName.trim().toLowerCase();
  const repo = await db
    .selectFrom('repos as r')
    .select(['r.id', sql<string>`coalesce(r.current_full_name, r.owner || '/' || r.name)`.as('name')])
    .where((eb) =>
      eb.or([
        eb('r.full_name_key', '=', key),
        eb(sql`lower(r.current_full_name)`, '=', key),
        eb.exists(eb.selectFrom('repo_names as n').select('n.repo_id').whereRef('n.repo_id', '=', 'r.id').where(sql`lower(n.full_name)`, '=', key)),
      ]),
    )
    .orderBy(sql`r.full_name_key = ${key}`, 'desc')
    .executeTakeFirst();
  if (!repo) return null;
  const trends = (await db.selectFrom('repo_trends').selectAll().where('repo_id', '=', repo.id).executeTakeFirst()) ?? null;
  const daily = await db
    .selectFrom('repo_daily')
    .selectAll()
    .where('repo_id', '=', repo.id)
    .orderBy('day', 'desc')
    .limit(days)
    .execute();
  return { repoId: repo.id, name: repo.name, trends, daily: daily.reverse() };
}
