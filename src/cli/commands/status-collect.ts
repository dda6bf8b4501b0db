import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface CollectStatus {
  last_run: {
    id: number;
    status: string;
    started_at: Date;
    finished_at: Date | null;
    repos_total: number;
    repos_observed: number;
    repos_failed: number;
    graphql_points: number;
    rest_requests: number;
    rest_not_modified: number;
    message: string | null;
  } | null;
  snapshots: { total: number; repos: number; first: Date | null; last: Date | null };
  failing: Array<{ repo: string; status: string; reason: string | null; since: Date | null; next_check_at: Date | null }>;
}

/** What the collector has done: its last run, how far the observations reach, and repos it cannot observe. */
export async function collectStatus(db: Kysely<Database>): Promise<CollectStatus> {
  const last = await db
    .selectFrom('collect_runs')
    .select(['id', 'status', 'started_at', 'finished_at', 'repos_total', 'repos_observed', 'repos_failed', 'graphql_points', 'rest_requests', 'rest_not_modified', 'message'])
    .where('kind', '=', 'snapshot')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const { rows } = await sql<{ total: number; repos: number; first: Date | null; last: Date | null }>`
    select count(*) as total, count(distinct repo_id) as repos, min(observed_at) as first, max(observed_at) as last
    from repo_snapshots`.execute(db);
  const failing = await db
    .selectFrom('tracked_repos')
    .select([
      sql<string>`coalesce(current_full_name, owner || '/' || name)`.as('repo'),
      'status',
      sql<string | null>`status_reason`.as('reason'),
      sql<Date | null>`status_changed_at`.as('since'),
      sql<Date | null>`next_check_at`.as('next_check_at'),
    ])
    .where('status', 'in', ['not_found', 'blocked', 'error', 'moved'])
    .orderBy('status')
    .orderBy('repo')
    .execute();
  return {
    last_run: last ? { ...last, started_at: last.started_at as Date, finished_at: last.finished_at as Date | null } : null,
    snapshots: rows[0] ?? { total: 0, repos: 0, first: null, last: null },
    failing,
  };
}

/** Lines for the human status report. */
export function describeCollectStatus(s: CollectStatus): string[] {
  const lines: string[] = [];
  const r = s.last_run;
  lines.push(
    r
      ? `last collect  #${r.id} ${r.status} at ${r.started_at.toISOString()}: ${r.repos_observed}/${r.repos_total} repos, ` +
          `${r.graphql_points} GraphQL points, ${r.rest_requests} REST (${r.rest_not_modified} 304)${r.message ? ` — ${r.message}` : ''}`
      : `last collect  none yet: run 'greenshoots collect'`,
  );
  lines.push(
    s.snapshots.total > 0
      ? `snapshots     ${s.snapshots.total} of ${s.snapshots.repos} repos, ${s.snapshots.first?.toISOString()} → ${s.snapshots.last?.toISOString()}`
      : 'snapshots     none yet',
  );
  if (s.failing.length > 0) {
    lines.push(`not observed  ${s.failing.length} repos:`);
    for (const f of s.failing.slice(0, 20)) {
      const next = f.next_check_at ? `, asked again after ${f.next_check_at.toISOString().slice(0, 10)}` : '';
      lines.push(`  ${f.repo}: ${f.status}${f.reason ? ` (${f.reason})` : ''}${next}`);
    }
    if (s.failing.length > 20) lines.push(`  … ${s.failing.length - 20} more: greenshoots query "select * from repos where status <> 'active'"`);
  }
  return lines;
}
