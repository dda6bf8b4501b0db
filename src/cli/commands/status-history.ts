import { sql, type Kysely } from 'kysely';
import type { Database, HistoryStream } from '../../db/schema.js';
import { HISTORY_STREAMS, driftOf, loadStates, pagesLeft, pointsToFinish, type StreamState } from '../../history/index.js';

export interface StreamCoverage {
  stream: HistoryStream;
  /** Repos whose stream was read at least once. */
  repos: number;
  rows: number;
  /** Backfill reached its horizon (or the first item). */
  complete: number;
  backfilling: number;
  /** The oldest item stored, over all repos. */
  reaches_back_to: Date | null;
  /** The horizon the least-reaching backfill still aims at. */
  horizon: Date | null;
  pages_left: number;
  catchups_pending: number;
  restricted: number;
}

export interface HistoryStatus {
  last_run: { id: number; status: string; started_at: Date; graphql_points: number; message: string | null } | null;
  streams: StreamCoverage[];
  /** GraphQL points the remaining backfill is estimated to cost (round-robin, 100 pages per query). */
  points_to_finish: number;
  /** Repos furthest from their horizon: name, stream, how far back they reach, pages left. */
  behind: Array<{ repo: string; stream: HistoryStream; reaches_back_to: Date | null; pages_left: number }>;
  restricted: Array<{ repo: string; reason: string | null; next_check_at: Date | null }>;
  drift: Array<{ repo: string; stream: HistoryStream; reported: number; stored: number; before_horizon: number; drift: number; noted_at: Date }>;
}

/** How far each stream's history reaches, what is left to backfill and its cost, refused star lists, and drift. */
export async function historyStatus(db: Kysely<Database>): Promise<HistoryStatus> {
  const last = await db
    .selectFrom('collect_runs')
    .select(['id', 'status', 'started_at', 'graphql_points', 'message'])
    .where('kind', '=', 'history')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const repos = await db
    .selectFrom('repos')
    .innerJoin('repo_streams', 'repo_streams.repo_id', 'repos.id')
    .select(['repos.id', sql<string>`coalesce(repos.current_full_name, repos.owner || '/' || repos.name)`.as('name')])
    .distinct()
    .execute();
  const names = new Map(repos.map((r) => [r.id, r.name]));
  const states = [...(await loadStates(db, [...names.keys()], HISTORY_STREAMS)).values()].filter((s) => s.exists);

  const streams = HISTORY_STREAMS.map((stream): StreamCoverage => {
    const of = states.filter((s) => s.stream === stream);
    const backfilling = of.filter((s) => !s.backfillDone && !s.restricted);
    return {
      stream,
      repos: of.length,
      rows: of.reduce((sum, s) => sum + s.storedTotal, 0),
      complete: of.filter((s) => s.backfillDone && !s.restricted).length,
      backfilling: backfilling.length,
      reaches_back_to: minOf(of.map((s) => s.oldestAt)),
      horizon: minOf(backfilling.map((s) => s.horizonAt)),
      pages_left: backfilling.reduce((sum, s) => sum + pagesLeft(s), 0),
      catchups_pending: of.filter((s) => s.catchupCursor !== null).length,
      restricted: of.filter((s) => s.restricted).length,
    };
  });
  const pending = states.filter((s) => !s.backfillDone && !s.restricted);
  const nameOf = (s: StreamState): string => names.get(s.repoId) ?? String(s.repoId);
  return {
    last_run: last ? { ...last, started_at: last.started_at as Date } : null,
    streams,
    points_to_finish: pointsToFinish(pending.map(pagesLeft), 100),
    behind: pending
      .map((s) => ({ repo: nameOf(s), stream: s.stream, reaches_back_to: s.oldestAt, pages_left: pagesLeft(s) }))
      .sort((a, b) => b.pages_left - a.pages_left)
      .slice(0, 5),
    restricted: states
      .filter((s) => s.stream === 'stars' && s.restricted)
      .map((s) => ({ repo: nameOf(s), reason: s.restrictedReason, next_check_at: s.nextCheckAt }))
      .sort((a, b) => a.repo.localeCompare(b.repo)),
    drift: states
      .filter((s) => s.driftNotedAt !== null)
      .map((s) => ({
        repo: nameOf(s),
        stream: s.stream,
        reported: s.reportedTotal ?? 0,
        stored: s.storedTotal,
        before_horizon: s.beforeHorizonTotal ?? 0,
        drift: driftOf(s) ?? 0,
        noted_at: s.driftNotedAt as Date,
      }))
      .sort((a, b) => a.repo.localeCompare(b.repo) || a.stream.localeCompare(b.stream)),
  };
}

function minOf(dates: Array<Date | null>): Date | null {
  return dates.reduce<Date | null>((m, d) => (d === null ? m : m === null || d < m ? d : m), null);
}

const day = (d: Date | null): string => (d ? d.toISOString().slice(0, 10) : '—');
const n = (x: number): string => x.toLocaleString('en-US');

/** Lines for the human status report. */
export function describeHistoryStatus(s: HistoryStatus): string[] {
  const r = s.last_run;
  const lines = [
    r
      ? `last history  #${r.id} ${r.status} at ${r.started_at.toISOString()}: ${n(r.graphql_points)} GraphQL points${r.message ? ` — ${r.message}` : ''}`
      : `last history  none yet: run 'greenshoots collect' or 'greenshoots history backfill'`,
  ];
  if (s.streams.every((c) => c.repos === 0)) return lines;
  lines.push('history       stream    repos  complete  backfilling  rows        furthest back    pages left');
  for (const c of s.streams) {
    const extra = c.stream === 'stars' && c.restricted > 0 ? `  (${n(c.restricted)} refused by GitHub)` : '';
    lines.push(
      `              ${c.stream.padEnd(9)} ${n(c.repos).padStart(5)}  ${n(c.complete).padStart(8)}  ${n(c.backfilling).padStart(11)}  ${n(c.rows).padEnd(10)}  ${day(c.reaches_back_to).padEnd(15)}  ${n(c.pages_left)}${extra}`,
    );
  }
  const left = s.streams.reduce((sum, c) => sum + c.backfilling, 0);
  lines.push(
    left > 0
      ? `backfill left ${n(left)} streams, about ${n(s.streams.reduce((sum, c) => sum + c.pages_left, 0))} pages ≈ ${n(s.points_to_finish)} GraphQL points; furthest behind: ${s.behind
          .map((b) => `${b.repo} ${b.stream} (${n(b.pages_left)} pages, back to ${day(b.reaches_back_to)})`)
          .join(', ')}`
      : 'backfill left none: every readable stream reaches its horizon',
  );
  if (s.restricted.length > 0) {
    const next = minOf(s.restricted.map((x) => x.next_check_at));
    lines.push(
      `stars refused ${n(s.restricted.length)} repos list no stargazers to this token (GitHub, since July 2026; asked again from ${day(next)}): ` +
        `${s.restricted.slice(0, 5).map((x) => x.repo).join(', ')}${s.restricted.length > 5 ? ', …' : ''}`,
    );
  }
  if (s.drift.length > 0) {
    lines.push(`drift         ${n(s.drift.length)} streams differ from GitHub's count (reported − stored − before horizon):`);
    for (const d of s.drift.slice(0, 10)) {
      lines.push(`  ${d.repo} ${d.stream}: GitHub ${n(d.reported)}, stored ${n(d.stored)}, before horizon ${n(d.before_horizon)} → ${d.drift > 0 ? '+' : ''}${n(d.drift)} (noted ${d.noted_at.toISOString()})`);
    }
    if (s.drift.length > 10) lines.push(`  … ${s.drift.length - 10} more: greenshoots query "select * from repo_streams where drift_noted_at is not null"`);
  }
  return lines;
}
