import type { Kysely } from 'kysely';
import type { Database, Maturity } from '../db/schema.js';
import { UsageError } from '../errors/index.js';
import { renderReport } from './html.js';
import {
  dataAsOf, greenShoots, largestProjects, moverFigures, projectCounts, projectLabels, recentAlerts,
  type MoverFigures, type RankedProject, type ReportAlert, type ReportFilters,
} from './queries.js';
import { chartStart, projectSeries, type ProjectSeries } from './series.js';

export type { ReportFilters } from './queries.js';

/** Days of history each chart shows (at most). */
export const CHART_DAYS = 90;
/** Projects in each top-movers list (at most). */
const MOVERS = 10;

export interface ReportOptions extends ReportFilters {
  /** Projects in the ranking, and charts, at most. */
  top: number;
  /** When the report is made (injected: tests use fixed dates). */
  now: Date;
  /** Where the data came from, already safe to print (see describeDatabase). */
  database: string;
}

export interface MoverList {
  title: string;
  unit: string;
  rows: Array<{ project_id: number; project: string; gain: number; growth: number | null; total: number | null }>;
}

export interface ChartedProject {
  projectId: number;
  name: string;
  maturity: Maturity;
  category: string | null;
  series: ProjectSeries;
}

/** Everything the page shows, read from the database. */
export interface ReportModel {
  generatedAt: Date;
  database: string;
  filters: ReportFilters;
  top: number;
  asOf: string | null;
  projects: number;
  matching: number;
  ranking: RankedProject[];
  movers: MoverList[];
  alerts: ReportAlert[];
  chartRange: { from: string; to: string } | null;
  charts: ChartedProject[];
}

export interface Report {
  html: string;
  model: ReportModel;
}

/**
 * Reads the ranking, the movers, recent alerts and each listed project's daily series, and renders
 * the self-contained HTML page. An unknown --category is a usage error naming the categories that exist.
 */
export async function buildReport(db: Kysely<Database>, options: ReportOptions): Promise<Report> {
  const filters: ReportFilters = {
    ...(options.category ? { category: options.category } : {}),
    ...(options.maturity ? { maturity: options.maturity } : {}),
  };
  const counts = await projectCounts(db, filters);
  if (filters.category && counts.matching === 0 && counts.categories.length > 0) {
    throw new UsageError(`--category "${filters.category}" matches no category or subcategory; categories: ${counts.categories.join(', ')}`);
  }
  const asOf = await dataAsOf(db, filters);
  const model: ReportModel = {
    generatedAt: options.now,
    database: options.database,
    filters,
    top: options.top,
    asOf,
    projects: counts.projects,
    matching: counts.matching,
    ranking: [],
    movers: [],
    alerts: [],
    chartRange: null,
    charts: [],
  };
  if (asOf !== null) {
    model.ranking = await greenShoots(db, filters, options.top);
    model.movers = moverLists(await moverFigures(db, filters), Math.min(MOVERS, options.top));
    model.alerts = await recentAlerts(db, filters, asOf);
    await addCharts(db, model, filters);
  }
  return { html: renderReport(model), model };
}

/** Charts for the projects listed (the ranking, then the movers), else the largest ones. */
async function addCharts(db: Kysely<Database>, model: ReportModel, filters: ReportFilters): Promise<void> {
  const listed = new Map<number, string>();
  for (const r of model.ranking) listed.set(r.project_id, r.project);
  for (const list of model.movers) for (const r of list.rows) listed.set(r.project_id, r.project);
  if (listed.size === 0) for (const r of await largestProjects(db, filters, model.top)) listed.set(r.project_id, r.project);
  const ids = [...listed.keys()].slice(0, model.top);
  if (ids.length === 0 || model.asOf === null) return;
  const from = await chartStart(db, ids, model.asOf, CHART_DAYS);
  model.chartRange = { from, to: model.asOf };
  const series = await projectSeries(db, ids, from, model.asOf);
  const info = await projectLabels(db, ids);
  model.charts = ids.flatMap((id) => {
    const s = series.get(id);
    const i = info.get(id);
    if (!s || !i || s.repos.length === 0) return [];
    return [{ projectId: id, name: listed.get(id) as string, maturity: i.maturity, category: i.category, series: s }];
  });
}

/** The six top-movers lists: stars, forks and new contributors over 7 and 30 days, gains above 0. */
function moverLists(figures: MoverFigures[], limit: number): MoverList[] {
  const list = (
    title: string,
    unit: string,
    gain: (f: MoverFigures) => number | null,
    growth: (f: MoverFigures) => number | null,
    total: (f: MoverFigures) => number | null,
  ): MoverList => ({
    title,
    unit,
    rows: figures
      .flatMap((f) => {
        const g = gain(f);
        return g !== null && g > 0 ? [{ project_id: f.project_id, project: f.project, gain: g, growth: growth(f), total: total(f) }] : [];
      })
      .sort((a, b) => b.gain - a.gain || a.project.localeCompare(b.project))
      .slice(0, limit),
  });
  return [
    list('Stars, last 7 days', 'stars', (f) => f.stars_gained_7d, (f) => f.stars_growth_7d, (f) => f.stars),
    list('Stars, last 30 days', 'stars', (f) => f.stars_gained_30d, (f) => f.stars_growth_30d, (f) => f.stars),
    list('Forks, last 7 days', 'forks', (f) => f.forks_gained_7d, () => null, (f) => f.forks),
    list('Forks, last 30 days', 'forks', (f) => f.forks_gained_30d, (f) => f.forks_growth_30d, (f) => f.forks),
    list('New contributors, last 7 days', 'new contributors', (f) => f.new_contributors_7d, () => null, () => null),
    list('New contributors, last 30 days', 'new contributors', (f) => f.new_contributors_30d, () => null, () => null),
  ];
}

/**
 * Where the data came from, without credentials: a Postgres server's host, port and database
 * (never its user or password), or the embedded database's folder.
 */
export function describeDatabase(kind: 'postgres' | 'pglite', location: string): string {
  if (kind === 'pglite') return `the embedded database (PGlite) in ${location}`;
  try {
    const url = new URL(location);
    const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    const host = url.hostname ? `${url.hostname}${url.port ? `:${url.port}` : ''}` : 'the local socket';
    return `Postgres database "${name}" on ${host}`;
  } catch {
    return 'a Postgres server';
  }
}
