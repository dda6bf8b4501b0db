import { sql, type Kysely } from 'kysely';
import type { Database, Maturity } from '../../src/db/schema.js';

/** Small hand-made data for trend tests, inserted straight into the tables. */

export const DAY = 86_400_000;
/** UTC instant of `day` (YYYY-MM-DD) plus hours. */
export const at = (day: string, hours = 12): Date => new Date(Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000);
/** YYYY-MM-DD `n` days after `day`. */
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

export async function addProject(
  db: Kysely<Database>,
  p: { name: string; category?: string; maturity?: Maturity; repos: string[] },
): Promise<{ projectId: number; repoIds: number[] }> {
  const project = await db
    .insertInto('projects')
    .values({
      source: 'test',
      name: p.name,
      name_key: p.name.toLowerCase(),
      category: p.category ?? 'Runtime',
      subcategory: 'Test',
      maturity: p.maturity ?? 'sandbox',
      content_hash: p.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const repoIds: number[] = [];
  for (const [i, full] of p.repos.entries()) {
    const [owner, name] = full.split('/') as [string, string];
    const existing = await db.selectFrom('repos').select('id').where('full_name_key', '=', full.toLowerCase()).executeTakeFirst();
    const repo =
      existing ??
      (await db.insertInto('repos').values({ owner, name, full_name_key: full.toLowerCase() }).returning('id').executeTakeFirstOrThrow());
    await db.insertInto('project_repos').values({ project_id: project.id, repo_id: repo.id, role: i === 0 ? 'primary' : 'additional' }).execute();
    repoIds.push(repo.id);
  }
  return { projectId: project.id, repoIds };
}

export interface SnapshotValues {
  stars: number;
  forks?: number;
  open_issues?: number;
  open_prs?: number;
  pushed_at?: Date;
  latest_release_at?: Date;
}

export async function addSnapshot(db: Kysely<Database>, repoId: number, observedAt: Date, v: SnapshotValues): Promise<void> {
  await db
    .insertInto('repo_snapshots')
    .values({
      repo_id: repoId,
      observed_at: observedAt,
      full_name: 'x/y',
      stars: v.stars,
      forks: v.forks ?? 0,
      open_issues: v.open_issues ?? null,
      open_prs: v.open_prs ?? null,
      pushed_at: v.pushed_at ?? null,
      latest_release_at: v.latest_release_at ?? null,
    })
    .execute();
}

/** One snapshot at noon of each day from `first` for `values.length` days. */
export async function addDailySnapshots(db: Kysely<Database>, repoId: number, first: string, stars: number[], forks?: number[]): Promise<void> {
  if (stars.length === 0) return;
  await db
    .insertInto('repo_snapshots')
    .values(stars.map((s, i) => ({ repo_id: repoId, observed_at: at(addDays(first, i)), full_name: 'x/y', stars: s, forks: forks?.[i] ?? 0 })))
    .execute();
}

export async function addStream(
  db: Kysely<Database>,
  repoId: number,
  stream: 'forks' | 'releases' | 'commits' | 'stars',
  v: { backfill_done?: boolean; oldest_at?: Date; newest_at?: Date; checked_at?: Date; horizon_at?: Date; restricted?: boolean },
): Promise<void> {
  await db
    .insertInto('repo_streams')
    .values({
      repo_id: repoId,
      stream,
      backfill_done: v.backfill_done ?? false,
      oldest_at: v.oldest_at ?? null,
      newest_at: v.newest_at ?? null,
      checked_at: v.checked_at ?? null,
      horizon_at: v.horizon_at ?? null,
      restricted: v.restricted ?? false,
    })
    .execute();
}

let oid = 0;
export async function addCommits(db: Kysely<Database>, repoId: number, author: string, times: Date[]): Promise<void> {
  await db
    .insertInto('repo_commits')
    .values(times.map((t) => ({ repo_id: repoId, oid: `c${++oid}`, committed_at: t, author_key: `login:${author}`, author_login: author })))
    .execute();
}

export async function addRelease(db: Kysely<Database>, repoId: number, tag: string, published: Date, kind: 'release' | 'prerelease' | 'draft' = 'release'): Promise<void> {
  await db
    .insertInto('repo_releases')
    .values({ repo_id: repoId, tag_name: tag, created_at: published, published_at: published, is_prerelease: kind === 'prerelease', is_draft: kind === 'draft' })
    .execute();
}

export async function addStars(db: Kysely<Database>, repoId: number, times: Date[], source: 'graphql' | 'events' = 'graphql'): Promise<void> {
  await db
    .insertInto('repo_stars')
    .values(times.map((t) => ({ repo_id: repoId, user_login: `u${++oid}`, starred_at: t, source })))
    .execute();
}

export async function addForks(db: Kysely<Database>, repoId: number, times: Date[]): Promise<void> {
  await db
    .insertInto('repo_forks')
    .values(times.map((t) => ({ repo_id: repoId, fork_id: ++oid, full_name: `f/${oid}`, created_at: t })))
    .execute();
}

export interface DailyRow {
  day: string;
  stars: number | null;
  stars_new: number | null;
  stars_source: string;
  forks: number | null;
  forks_new: number | null;
  forks_source: string;
  contributors: number | null;
  new_contributors: number | null;
  commits: number | null;
  releases: number | null;
  open_issues: number | null;
  open_prs: number | null;
}

export async function daily(db: Kysely<Database>, repoId: number): Promise<DailyRow[]> {
  const { rows } = await sql<DailyRow>`
    select day, stars, stars_new, stars_source, forks, forks_new, forks_source, contributors, new_contributors,
           commits, releases, open_issues, open_prs
    from repo_daily where repo_id = ${repoId} order by day`.execute(db);
  return rows;
}

export async function trends(db: Kysely<Database>, repoId: number): Promise<Record<string, unknown>> {
  const { rows } = await sql<Record<string, unknown>>`select * from repo_trends where repo_id = ${repoId}`.execute(db);
  if (!rows[0]) throw new Error(`no repo_trends row for repo ${repoId}`);
  return rows[0];
}

/** Every trend table's content, for before/after comparisons. */
export async function everything(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  out.repo_daily = (await sql`select * from repo_daily order by repo_id, day`.execute(db)).rows;
  out.repo_trends = (await sql`select * from repo_trends order by repo_id`.execute(db)).rows;
  out.project_trends = (await sql`select * from project_trends order by project_id`.execute(db)).rows;
  out.green_shoots = (await sql`select * from green_shoots order by project_id`.execute(db)).rows;
  return out;
}
