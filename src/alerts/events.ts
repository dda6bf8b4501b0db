import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AlertDraft } from './store.js';

/**
 * Maturity changes seen since `since` (project_maturity_changes.changed_at: when greenshoots saw
 * the landscape say so), not alerted yet. One alert per change row.
 */
export async function maturityAlerts(db: Kysely<Database>, since: Date): Promise<AlertDraft[]> {
  const { rows } = await sql<{
    id: number;
    project_id: number;
    project: string;
    homepage_url: string | null;
    from_maturity: string;
    to_maturity: string;
    changed_at: Date;
    effective_on: string | null;
    repo_id: number | null;
    repo: string | null;
  }>`
    select c.id, c.project_id, p.name as project, p.homepage_url, c.from_maturity, c.to_maturity,
           c.changed_at, c.effective_on, pr.repo_id, pr.repo
    from project_maturity_changes c
    join projects p on p.id = c.project_id
    left join lateral (
      select r.id as repo_id, coalesce(r.current_full_name, r.owner || '/' || r.name) as repo
      from project_repos x join repos r on r.id = x.repo_id
      where x.project_id = p.id and x.removed_at is null
      order by (x.role = 'primary') desc, r.id
      limit 1
    ) pr on true
    where c.changed_at >= ${since}
      and not exists (select 1 from alerts a where a.idempotency_key = 'maturity:' || c.id)
    order by c.id`.execute(db);
  return rows.map((r) => ({
    idempotencyKey: `maturity:${r.id}`,
    episodeKey: `maturity:${r.id}`,
    kind: 'maturity_change' as const,
    signal: 'maturity' as const,
    escalation: false,
    repoId: r.repo_id,
    repo: r.repo,
    projectId: r.project_id,
    project: r.project,
    windowEnd: r.effective_on ?? new Date(r.changed_at).toISOString().slice(0, 10),
    details: {
      from: r.from_maturity,
      to: r.to_maturity,
      seen_at: new Date(r.changed_at).toISOString(),
      effective_on: r.effective_on,
      project_url: r.homepage_url,
    },
  }));
}

interface ReleaseRow {
  repo_id: number;
  tag_name: string;
  name: string | null;
  published_at: Date;
}

/** A version in a tag: `v2.0.0`, `2.1`, `release-3.0.0`, `chart/v1.0.0` (prefix, major). */
export function parseVersion(tag: string): { prefix: string; major: number } | null {
  const m = /^(.*?)[vV]?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(tag.trim());
  if (!m) return null;
  return { prefix: (m[1] ?? '').toLowerCase(), major: Number(m[2]) };
}

/**
 * Releases published since `since` (no drafts, no prereleases) that are a repo's first release or
 * a new major version, not alerted yet. "First" needs proof that nothing came before: the release
 * history read back to the repo's creation, or a snapshot before it counting 0 releases.
 */
export async function releaseAlerts(
  db: Kysely<Database>,
  since: Date,
  until: Date,
  repos: ReadonlyMap<number, { repo: string; projectId: number | null; project: string | null; projectUrl: string | null }>,
): Promise<AlertDraft[]> {
  const { rows: recent } = await sql<ReleaseRow>`
    select rl.repo_id, rl.tag_name, rl.name, coalesce(rl.published_at, rl.created_at) as published_at
    from repo_releases rl
    where not rl.is_draft and not rl.is_prerelease
      and coalesce(rl.published_at, rl.created_at) >= ${since}
      and coalesce(rl.published_at, rl.created_at) < ${until}
      and not exists (select 1 from alerts a where a.idempotency_key = 'release:' || rl.repo_id || ':' || rl.tag_name)
    order by rl.repo_id, coalesce(rl.published_at, rl.created_at)`.execute(db);
  const drafts: AlertDraft[] = [];
  for (const release of recent) {
    const repo = repos.get(release.repo_id);
    if (!repo) continue;
    const { rows: earlier } = await sql<{ tag_name: string }>`
      select tag_name from repo_releases
      where repo_id = ${release.repo_id} and not is_draft and not is_prerelease
        and coalesce(published_at, created_at) < ${release.published_at}
      order by coalesce(published_at, created_at)`.execute(db);
    const base = {
      idempotencyKey: `release:${release.repo_id}:${release.tag_name}`,
      episodeKey: `release:${release.repo_id}:${release.tag_name}`,
      signal: 'releases' as const,
      escalation: false,
      repoId: release.repo_id,
      repo: repo.repo,
      projectId: repo.projectId,
      project: repo.project,
      windowEnd: new Date(release.published_at).toISOString().slice(0, 10),
    };
    const details = {
      tag: release.tag_name,
      name: release.name,
      published_at: new Date(release.published_at).toISOString(),
      project_url: repo.projectUrl,
    };
    if (earlier.length === 0) {
      if (await nothingBefore(db, release.repo_id, release.published_at)) drafts.push({ ...base, kind: 'first_release', details });
      continue;
    }
    const version = parseVersion(release.tag_name);
    if (!version) continue;
    const sameLine = earlier
      .map((e) => ({ tag: e.tag_name, v: parseVersion(e.tag_name) }))
      .filter((e) => e.v !== null && e.v.prefix === version.prefix);
    if (sameLine.length === 0) continue;
    // the latest release of the highest major so far
    const previous = sameLine.reduce((a, b) => ((b.v?.major ?? 0) >= (a.v?.major ?? 0) ? b : a));
    if (version.major > (previous.v?.major ?? 0)) {
      drafts.push({ ...base, kind: 'major_release', details: { ...details, previous_major: previous.v?.major, previous_tag: previous.tag } });
    }
  }
  return drafts;
}

async function nothingBefore(db: Kysely<Database>, repoId: number, at: Date): Promise<boolean> {
  const { rows } = await sql<{ proven: boolean }>`
    select exists (
             select 1 from repo_streams s join repos r on r.id = s.repo_id
             where s.repo_id = ${repoId} and s.stream = 'releases' and s.backfill_done
               and (s.horizon_at is null or s.horizon_at <= r.github_created_at)
           )
        or exists (
             select 1 from repo_snapshots s
             where s.repo_id = ${repoId} and s.observed_at < ${at} and s.releases = 0
           ) as proven`.execute(db);
  return rows[0]?.proven === true;
}
