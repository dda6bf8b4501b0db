import { sql, type Kysely } from 'kysely';
import type { Database, RepoStatus } from '../db/schema.js';
import type { SnapshotNode } from './snapshot-query.js';

/** A repo the collector should observe in this run. */
export interface DueRepo {
  id: number;
  owner: string;
  name: string;
  current_full_name: string | null;
  github_id: number | null;
  status: RepoStatus;
  needsMetadata: boolean;
}

export type Outcome =
  | { kind: 'observed'; repo: DueRepo; node: SnapshotNode; servedAt: Date; clockSource: 'server' | 'local' }
  | { kind: 'not_found' | 'blocked'; repo: DueRepo; reason: string; servedAt: Date }
  | { kind: 'failed'; repo: DueRepo; reason: string };

/** How long a missing or blocked repo is left alone before it is asked for again. */
export const RECHECK_MISSING_AFTER = '7 days';

/** The name to ask GitHub for: the newest name GitHub gave, else the one the list gave. */
export const requestName = (repo: DueRepo): string => repo.current_full_name ?? `${repo.owner}/${repo.name}`;

/**
 * Tracked repos due an observation: every live one, plus missing or blocked ones whose recheck
 * time has come. A repo found to duplicate another (`moved`) is observed through the other row.
 */
export async function selectDueRepos(db: Kysely<Database>, now: Date, metadataMaxAgeHours: number): Promise<DueRepo[]> {
  const rows = await db
    .selectFrom('tracked_repos')
    .select([
      'id',
      'owner',
      'name',
      'current_full_name',
      'github_id',
      'status',
      // Once per UTC day at most (and not within metadataMaxAgeHours), like contributor counts.
      sql<boolean>`metadata_updated_at is null
        or (metadata_updated_at < ${now}::timestamptz - make_interval(hours => ${metadataMaxAgeHours})
            and metadata_updated_at < date_trunc('day', ${now}::timestamptz at time zone 'UTC') at time zone 'UTC')`.as(
        'needsMetadata',
      ),
    ])
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['pending', 'active', 'error']),
        eb.and([
          eb('status', 'in', ['not_found', 'blocked']),
          eb.or([eb('next_check_at', 'is', null), eb('next_check_at', '<=', now)]),
        ]),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows;
}

/**
 * Writes one batch's outcomes: snapshots (append-only; a rerun at the same served time adds
 * nothing), the repo's current name and description, name history, and status changes.
 * Call inside a transaction so a batch lands whole or not at all.
 */
export async function storeOutcomes(db: Kysely<Database>, runId: number, outcomes: Outcome[]): Promise<{ duplicates: string[] }> {
  const observed = outcomes.filter((o): o is Extract<Outcome, { kind: 'observed' }> => o.kind === 'observed');
  const duplicates: string[] = [];

  // One GitHub repo listed under two names (old and new): the row that already holds its id keeps it.
  const byGithubId = new Map<number, (typeof observed)[number]>();
  const owners = new Map<number, { id: number; name: string }>();
  if (observed.length > 0) {
    const holders = await db
      .selectFrom('repos')
      .select(['id', 'github_id', sql<string>`coalesce(current_full_name, owner || '/' || name)`.as('full_name')])
      .where('github_id', 'in', observed.map((o) => o.node.databaseId))
      .execute();
    for (const h of holders) owners.set(h.github_id as number, { id: h.id, name: h.full_name });
  }
  const fresh: typeof observed = [];
  const moved: Array<{ repo: DueRepo; reason: string }> = [];
  for (const o of observed) {
    const holder = owners.get(o.node.databaseId);
    const sameBatch = byGithubId.get(o.node.databaseId);
    if ((holder && holder.id !== o.repo.id) || sameBatch) {
      const other = holder && holder.id !== o.repo.id ? holder.name : requestName((sameBatch as (typeof observed)[number]).repo);
      moved.push({ repo: o.repo, reason: `same GitHub repository as ${other} (now ${o.node.nameWithOwner})` });
      duplicates.push(requestName(o.repo));
      continue;
    }
    byGithubId.set(o.node.databaseId, o);
    fresh.push(o);
  }

  if (fresh.length > 0) {
    await db
      .insertInto('repo_snapshots')
      .values(
        fresh.map(({ repo, node, servedAt, clockSource }) => ({
          repo_id: repo.id,
          observed_at: servedAt,
          run_id: runId,
          source: 'graphql' as const,
          clock_source: clockSource,
          full_name: node.nameWithOwner,
          stars: node.stargazerCount,
          forks: node.forkCount,
          watchers: node.watchers.totalCount,
          open_issues: node.issues.totalCount,
          open_prs: node.pullRequests.totalCount,
          releases: node.releases.totalCount,
          latest_release_tag: node.latestRelease?.tagName ?? null,
          latest_release_at: node.latestRelease ? (node.latestRelease.publishedAt ?? node.latestRelease.createdAt) : null,
          pushed_at: node.pushedAt,
          archived: node.isArchived,
        })),
      )
      .onConflict((oc) => oc.columns(['repo_id', 'observed_at']).doNothing())
      .execute();

    await db
      .insertInto('repo_names')
      .values(fresh.map(({ repo, node, servedAt }) => ({ repo_id: repo.id, full_name: node.nameWithOwner, first_seen_at: servedAt, last_seen_at: servedAt })))
      .onConflict((oc) => oc.columns(['repo_id', 'full_name']).doUpdateSet({ last_seen_at: sql`excluded.last_seen_at` }))
      .execute();

    // One statement for the whole batch: the rows travel as one bound JSON value.
    const rows = fresh.map(({ repo, node, servedAt }) => ({
      id: repo.id,
      github_id: node.databaseId,
      node_id: node.id,
      full_name: node.nameWithOwner,
      observed_at: servedAt.toISOString(),
      archived: node.isArchived,
      meta: node.createdAt !== undefined,
      created_at: node.createdAt ?? null,
      description: node.description ?? null,
      homepage_url: node.homepageUrl ?? null,
      is_fork: node.isFork ?? null,
      fork_of: node.parent?.nameWithOwner ?? null,
      language: node.primaryLanguage?.name ?? null,
      license: node.licenseInfo?.spdxId ?? null,
      topics: node.repositoryTopics?.nodes.map((n) => n.topic.name) ?? [],
    }));
    await sql`
      update repos r set
        github_id = x.github_id,
        node_id = x.node_id,
        current_full_name = x.full_name,
        status_changed_at = case when r.status <> 'active' then x.observed_at else r.status_changed_at end,
        status = 'active',
        status_reason = null,
        next_check_at = null,
        failures = 0,
        last_observed_at = x.observed_at,
        archived = x.archived,
        github_created_at = case when x.meta then x.created_at else r.github_created_at end,
        description = case when x.meta then x.description else r.description end,
        homepage_url = case when x.meta then x.homepage_url else r.homepage_url end,
        is_fork = case when x.meta then x.is_fork else r.is_fork end,
        fork_of = case when x.meta then x.fork_of else r.fork_of end,
        primary_language = case when x.meta then x.language else r.primary_language end,
        license_spdx = case when x.meta then x.license else r.license_spdx end,
        topics = case when x.meta then x.topics else r.topics end,
        metadata_updated_at = case when x.meta then x.observed_at else r.metadata_updated_at end
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        id bigint, github_id bigint, node_id text, full_name text, observed_at timestamptz, archived boolean,
        meta boolean, created_at timestamptz, description text, homepage_url text, is_fork boolean,
        fork_of text, language text, license text, topics jsonb)
      where r.id = x.id`.execute(db);
  }

  for (const { repo, reason } of moved) await setStatus(db, repo.id, 'moved', reason, null);
  for (const o of outcomes) {
    if (o.kind === 'not_found' || o.kind === 'blocked') {
      await setStatus(db, o.repo.id, o.kind, o.reason, o.servedAt);
    } else if (o.kind === 'failed') {
      await db
        .updateTable('repos')
        .set((eb) => ({
          failures: eb('failures', '+', 1),
          status_reason: o.reason,
          // Three failures in a row (not a missing repo: GitHub answered something else) mark it as erroring.
          status: sql<RepoStatus>`case when failures + 1 >= 3 and status in ('pending', 'active') then 'error' else status end`,
        }))
        .where('id', '=', o.repo.id)
        .execute();
    }
  }
  return { duplicates };
}

/** Sets a repo's status; a missing or blocked one is asked for again RECHECK_MISSING_AFTER after `seenAt` (GitHub's time). */
async function setStatus(db: Kysely<Database>, id: number, status: RepoStatus, reason: string, seenAt: Date | null): Promise<void> {
  await db
    .updateTable('repos')
    .set({
      status,
      status_reason: reason,
      status_changed_at: sql<Date>`case when status <> ${status} then coalesce(${seenAt}::timestamptz, now()) else status_changed_at end`,
      next_check_at: seenAt ? sql<Date>`${seenAt}::timestamptz + ${RECHECK_MISSING_AFTER}::interval` : null,
    })
    .where('id', '=', id)
    .execute();
}
