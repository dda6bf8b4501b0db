import { sql, type Kysely } from 'kysely';
import type { Database, HistoryStream } from '../db/schema.js';
import { reconcile } from './reconcile.js';
import { freshState, type StreamState } from './stream-state.js';
import type { StreamItem } from './streams.js';

export const stateKey = (repoId: number, stream: HistoryStream): string => `${repoId}:${stream}`;

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** The stored state of every stream of `repoIds`; streams never read come back fresh. */
export async function loadStates(db: Kysely<Database>, repoIds: readonly number[], streams: readonly HistoryStream[]): Promise<Map<string, StreamState>> {
  const states = new Map<string, StreamState>();
  for (const repoId of repoIds) for (const stream of streams) states.set(stateKey(repoId, stream), freshState(repoId, stream));
  if (repoIds.length === 0) return states;
  const rows = await db.selectFrom('repo_streams').selectAll().where('repo_id', 'in', [...repoIds]).where('stream', 'in', [...streams]).execute();
  for (const r of rows) {
    states.set(stateKey(r.repo_id, r.stream), {
      repoId: r.repo_id,
      stream: r.stream,
      exists: true,
      newestAt: asDate(r.newest_at),
      oldestAt: asDate(r.oldest_at),
      backfillCursor: r.backfill_cursor,
      backfillDone: r.backfill_done,
      horizonAt: asDate(r.horizon_at),
      catchupCursor: r.catchup_cursor,
      catchupUntil: asDate(r.catchup_until),
      restricted: r.restricted,
      restrictedReason: r.restricted_reason,
      checkedAt: asDate(r.checked_at),
      nextCheckAt: asDate(r.next_check_at),
      reportedTotal: r.reported_total,
      storedTotal: r.stored_total ?? 0,
      beforeHorizonTotal: r.before_horizon_total,
      driftNotedAt: asDate(r.drift_noted_at),
    });
  }
  return states;
}

/** One stream's page to write: its rows and its state after them. */
export interface StreamWrite {
  next: StreamState;
  items: StreamItem[];
  /** The count GitHub reported with the page (null: keep the last one). */
  reported: number | null;
  /** The page was a caught-up read from the top: the reported count can be reconciled. */
  settled: boolean;
}

/**
 * Writes the rows of a query's pages and every stream's new cursor/watermark in ONE transaction:
 * killed at any moment, the database holds either all of it or none, and the next run reads the
 * same pages again. Rows are keyed, so a page read twice adds nothing. `seenAt` is GitHub's Date.
 * Returns the states as written and how many rows were new, per stream.
 */
export async function writePages(
  db: Kysely<Database>,
  writes: readonly StreamWrite[],
  seenAt: Date,
): Promise<{ states: StreamState[]; inserted: Record<HistoryStream, number> }> {
  const inserted: Record<HistoryStream, number> = { forks: 0, releases: 0, commits: 0, stars: 0 };
  if (writes.length === 0) return { states: [], inserted };
  return db.transaction().execute(async (trx) => {
    const insertedBy = new Map<string, number>();
    for (const stream of ['forks', 'releases', 'commits', 'stars'] as const) {
      const rows = writes.flatMap((w) => w.items.filter((i) => i.stream === stream).map((i) => ({ repo_id: w.next.repoId, ...i.row })));
      if (rows.length === 0) continue;
      for (const repoId of await insertRows(trx, stream, rows, seenAt)) {
        const key = stateKey(repoId, stream);
        insertedBy.set(key, (insertedBy.get(key) ?? 0) + 1);
        inserted[stream]++;
      }
    }

    // A stream's first write counts what is there (rows may predate its state row); later ones add.
    const fresh = writes.filter((w) => !w.next.exists);
    const counted = new Map<string, number>();
    for (const stream of new Set(fresh.map((w) => w.next.stream))) {
      const ids = fresh.filter((w) => w.next.stream === stream).map((w) => w.next.repoId);
      for (const row of await countRows(trx, stream, ids)) counted.set(stateKey(row.repo_id, stream), row.n);
    }
    const states = writes.map((w) => {
      const key = stateKey(w.next.repoId, w.next.stream);
      const storedTotal = w.next.exists ? w.next.storedTotal + (insertedBy.get(key) ?? 0) : (counted.get(key) ?? 0);
      const withTotal: StreamState = { ...w.next, exists: true, storedTotal, checkedAt: seenAt };
      return reconcile(withTotal, w.reported, w.settled, seenAt);
    });
    await saveStates(trx, states);
    return { states, inserted };
  });
}

/** Writes stream states (no rows), e.g. a star list found restricted. */
export async function saveStates(db: Kysely<Database>, states: readonly StreamState[]): Promise<void> {
  if (states.length === 0) return;
  const json = states.map((s) => ({
    repo_id: s.repoId,
    stream: s.stream,
    newest_at: s.newestAt?.toISOString() ?? null,
    oldest_at: s.oldestAt?.toISOString() ?? null,
    backfill_cursor: s.backfillCursor,
    backfill_done: s.backfillDone,
    horizon_at: s.horizonAt?.toISOString() ?? null,
    restricted: s.restricted,
    restricted_reason: s.restrictedReason,
    checked_at: s.checkedAt?.toISOString() ?? null,
    next_check_at: s.nextCheckAt?.toISOString() ?? null,
    reported_total: s.reportedTotal,
    stored_total: s.storedTotal,
    drift_noted_at: s.driftNotedAt?.toISOString() ?? null,
    catchup_cursor: s.catchupCursor,
    catchup_until: s.catchupUntil?.toISOString() ?? null,
    before_horizon_total: s.beforeHorizonTotal,
  }));
  await sql`
    insert into repo_streams (repo_id, stream, newest_at, oldest_at, backfill_cursor, backfill_done, horizon_at, restricted,
      restricted_reason, checked_at, next_check_at, reported_total, stored_total, drift_noted_at, catchup_cursor, catchup_until,
      before_horizon_total)
    select * from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as x(repo_id bigint, stream text, newest_at timestamptz,
      oldest_at timestamptz, backfill_cursor text, backfill_done boolean, horizon_at timestamptz, restricted boolean,
      restricted_reason text, checked_at timestamptz, next_check_at timestamptz, reported_total integer, stored_total integer,
      drift_noted_at timestamptz, catchup_cursor text, catchup_until timestamptz, before_horizon_total integer)
    on conflict (repo_id, stream) do update set
      newest_at = excluded.newest_at, oldest_at = excluded.oldest_at, backfill_cursor = excluded.backfill_cursor,
      backfill_done = excluded.backfill_done, horizon_at = excluded.horizon_at, restricted = excluded.restricted,
      restricted_reason = excluded.restricted_reason, checked_at = excluded.checked_at, next_check_at = excluded.next_check_at,
      reported_total = excluded.reported_total, stored_total = excluded.stored_total, drift_noted_at = excluded.drift_noted_at,
      catchup_cursor = excluded.catchup_cursor, catchup_until = excluded.catchup_until,
      before_horizon_total = excluded.before_horizon_total`.execute(db);
}

/** Inserts keyed rows (one bound JSON value, whatever the count); returns the repo_id of each new row. */
async function insertRows(db: Kysely<Database>, stream: HistoryStream, rows: object[], seenAt: Date): Promise<number[]> {
  const json = JSON.stringify(rows);
  const seen = seenAt.toISOString();
  let result;
  switch (stream) {
    case 'forks':
      result = await sql<{ repo_id: number }>`
        insert into repo_forks (repo_id, fork_id, full_name, created_at, source, seen_at)
        select repo_id, fork_id, full_name, created_at, 'graphql', ${seen}::timestamptz
        from jsonb_to_recordset(${json}::jsonb) as x(repo_id bigint, fork_id bigint, full_name text, created_at timestamptz)
        on conflict (repo_id, fork_id) do nothing returning repo_id`.execute(db);
      break;
    case 'releases':
      result = await sql<{ repo_id: number }>`
        insert into repo_releases (repo_id, tag_name, name, created_at, published_at, is_prerelease, is_draft, source, seen_at)
        select repo_id, tag_name, name, created_at, published_at, is_prerelease, is_draft, 'graphql', ${seen}::timestamptz
        from jsonb_to_recordset(${json}::jsonb) as x(repo_id bigint, tag_name text, name text, created_at timestamptz,
          published_at timestamptz, is_prerelease boolean, is_draft boolean)
        on conflict (repo_id, tag_name) do nothing returning repo_id`.execute(db);
      break;
    case 'commits':
      result = await sql<{ repo_id: number }>`
        insert into repo_commits (repo_id, oid, committed_at, author_key, author_login, source, seen_at)
        select repo_id, oid, committed_at, author_key, author_login, 'graphql', ${seen}::timestamptz
        from jsonb_to_recordset(${json}::jsonb) as x(repo_id bigint, oid text, committed_at timestamptz, author_key text, author_login text)
        on conflict (repo_id, oid) do nothing returning repo_id`.execute(db);
      break;
    case 'stars':
      result = await sql<{ repo_id: number }>`
        insert into repo_stars (repo_id, user_login, starred_at, source, seen_at)
        select repo_id, user_login, starred_at, 'graphql', ${seen}::timestamptz
        from jsonb_to_recordset(${json}::jsonb) as x(repo_id bigint, user_login text, starred_at timestamptz)
        on conflict (repo_id, user_login) do nothing returning repo_id`.execute(db);
      break;
  }
  return result.rows.map((r) => Number(r.repo_id));
}

const TABLES: Record<HistoryStream, 'repo_forks' | 'repo_releases' | 'repo_commits' | 'repo_stars'> = {
  forks: 'repo_forks',
  releases: 'repo_releases',
  commits: 'repo_commits',
  stars: 'repo_stars',
};

async function countRows(db: Kysely<Database>, stream: HistoryStream, repoIds: number[]): Promise<Array<{ repo_id: number; n: number }>> {
  return db
    .selectFrom(TABLES[stream])
    .select(['repo_id', sql<number>`count(*)::int`.as('n')])
    .where('repo_id', 'in', repoIds)
    .groupBy('repo_id')
    .execute();
}
