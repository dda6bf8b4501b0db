import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { InputError } from '../errors/index.js';
import type { PageRequest } from './page-query.js';
import type { StreamState } from './stream-state.js';
import { OVERLAP_MS } from './streams.js';
import { PAGE_SIZE } from './estimate.js';

/** A repo whose history is read: only ones the snapshot collector has seen live on GitHub. */
export interface HistoryRepo {
  id: number;
  fullName: string;
}

/**
 * Tracked repos GitHub answered for (status active), by their current name. With `only`, just
 * those (matched on the listed or the current name, any case); a name that matches none is an error.
 */
export async function selectHistoryRepos(db: Kysely<Database>, only?: readonly string[]): Promise<HistoryRepo[]> {
  const rows = await db
    .selectFrom('tracked_repos')
    .select(['id', 'status', 'full_name_key', sql<string>`coalesce(current_full_name, owner || '/' || name)`.as('full_name')])
    .orderBy('id')
    .execute();
  let chosen = rows;
  if (only && only.length > 0) {
    const wanted = new Set(only.map((n) => n.trim().toLowerCase()));
    chosen = rows.filter((r) => wanted.has(r.full_name_key) || wanted.has(r.full_name.toLowerCase()));
    const found = new Set(chosen.flatMap((r) => [r.full_name_key, r.full_name.toLowerCase()]));
    const unknown = [...wanted].filter((n) => !found.has(n));
    if (unknown.length > 0) throw new InputError(`not tracked: ${unknown.join(', ')} (import them with 'greenshoots landscape import' first)`);
    const unseen = chosen.filter((r) => r.status !== 'active');
    if (unseen.length > 0) {
      throw new InputError(`not observed on GitHub yet: ${unseen.map((r) => `${r.full_name} (${r.status})`).join(', ')}; run 'greenshoots collect' first`);
    }
  }
  return chosen.filter((r) => r.status === 'active').map((r) => ({ id: r.id, fullName: r.full_name }));
}

/** The newest page of a stream; for commits with a watermark, only the history since it (minus the overlap). */
export function probeRequest(repo: HistoryRepo, s: StreamState, probeSize: number): PageRequest {
  // A pending catch-up's cursor belongs to the window from its floor: keep asking that window.
  const since = s.stream === 'commits' && s.newestAt !== null ? (s.catchupUntil ?? new Date(s.newestAt.getTime() - OVERLAP_MS.commits)) : null;
  return { repoId: repo.id, fullName: repo.fullName, stream: s.stream, mode: 'probe', first: probeSize, after: null, since };
}

/** The next page of a catch-up, down to the old watermark. */
export function catchupRequest(repo: HistoryRepo, s: StreamState): PageRequest {
  // The same `since` as the probe that made the cursor: the cursor belongs to that window.
  const since = s.stream === 'commits' ? s.catchupUntil : null;
  return { repoId: repo.id, fullName: repo.fullName, stream: s.stream, mode: 'catchup', first: PAGE_SIZE, after: s.catchupCursor, since };
}

/** The next page of a backfill, going back towards the horizon. */
export function backfillRequest(repo: HistoryRepo, s: StreamState): PageRequest {
  return { repoId: repo.id, fullName: repo.fullName, stream: s.stream, mode: 'backfill', first: PAGE_SIZE, after: s.backfillCursor, since: null };
}
