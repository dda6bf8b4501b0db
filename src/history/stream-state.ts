import type { HistoryStream } from '../db/schema.js';
import type { PageMode } from './page-query.js';
import { OVERLAP_MS, type ParsedPage, type StreamItem } from './streams.js';

/** Where one repo's stream stands (a row of repo_streams, or a fresh one never read). */
export interface StreamState {
  repoId: number;
  stream: HistoryStream;
  /** False until a first page was stored: the row does not exist yet. */
  exists: boolean;
  newestAt: Date | null;
  oldestAt: Date | null;
  backfillCursor: string | null;
  backfillDone: boolean;
  /** Null: the whole history (HISTORY_HORIZON_DAYS=all). */
  horizonAt: Date | null;
  catchupCursor: string | null;
  catchupUntil: Date | null;
  restricted: boolean;
  restrictedReason: string | null;
  checkedAt: Date | null;
  nextCheckAt: Date | null;
  reportedTotal: number | null;
  storedTotal: number;
  beforeHorizonTotal: number | null;
  driftNotedAt: Date | null;
}

export function freshState(repoId: number, stream: HistoryStream): StreamState {
  return {
    repoId,
    stream,
    exists: false,
    newestAt: null,
    oldestAt: null,
    backfillCursor: null,
    backfillDone: false,
    horizonAt: null,
    catchupCursor: null,
    catchupUntil: null,
    restricted: false,
    restrictedReason: null,
    checkedAt: null,
    nextCheckAt: null,
    reportedTotal: null,
    storedTotal: 0,
    beforeHorizonTotal: null,
    driftNotedAt: null,
  };
}

export interface AppliedPage {
  /** Rows to store (inserts that meet an existing key are skipped by the database). */
  items: StreamItem[];
  next: StreamState;
  /** The page was read from the top and everything new is stored: the reported total can be compared. */
  settled: boolean;
}

const maxDate = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null ? a : a > b ? a : b);
const minDate = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null ? a : a < b ? a : b);
const newestOf = (items: StreamItem[]): Date | null => items.reduce<Date | null>((m, i) => maxDate(m, i.at), null);
const oldestOf = (items: StreamItem[]): Date | null => items.reduce<Date | null>((m, i) => minDate(m, i.at), null);

/**
 * What one page does to a stream: which of its items to store and the stream's next state. Pure,
 * so the rules (stop at the watermark, read on to the horizon, never leave a gap) are tested alone.
 *
 * - probe, stream never read: the page is the start of the backfill; its cursor is where it goes on.
 * - probe, stream with a watermark W: everything down to W − overlap is new. When the page ends above
 *   that, a catch-up cursor is kept and the next pages read on down to it. The watermark moves up at
 *   once: the catch-up state, written in the same transaction, remembers what is left.
 * - catchup / backfill: read on from the cursor to the floor (old watermark / horizon).
 */
export function applyPage(state: StreamState, mode: PageMode, page: ParsedPage, horizonAt: Date | null): AppliedPage {
  const items = page.items;
  const last = items[items.length - 1];
  const next: StreamState = { ...state, newestAt: maxDate(state.newestAt, newestOf(items)) };

  if (mode === 'probe' && state.newestAt === null) {
    next.horizonAt = horizonAt;
    const keep = items.filter((i) => horizonAt === null || i.at >= horizonAt);
    const reachedHorizon = horizonAt !== null && items.some((i) => i.at < horizonAt);
    if (!page.hasNextPage || reachedHorizon || !last) {
      next.backfillDone = true;
      // Stopped by the horizon: keep the place, so a longer horizon later goes on from here.
      next.backfillCursor = reachedHorizon ? (keep[keep.length - 1]?.cursor ?? null) : null;
      next.beforeHorizonTotal = reachedHorizon ? null : 0;
    } else {
      next.backfillDone = false;
      next.backfillCursor = last.cursor;
    }
    next.oldestAt = minDate(state.oldestAt, oldestOf(keep));
    return { items: keep, next, settled: true };
  }

  if (mode === 'probe') {
    const floor = new Date((state.newestAt as Date).getTime() - OVERLAP_MS[state.stream]);
    const keep = items.filter((i) => i.at >= floor && (state.horizonAt === null || i.at >= state.horizonAt));
    const caughtUp = !page.hasNextPage || !last || last.at < floor;
    if (!caughtUp) {
      // A catch-up already pending reads down to its own (older) floor: keep that one.
      next.catchupUntil = state.catchupUntil ?? floor;
      next.catchupCursor = last.cursor;
    }
    next.oldestAt = minDate(state.oldestAt, oldestOf(keep));
    return { items: keep, next, settled: caughtUp && next.catchupCursor === null };
  }

  if (mode === 'catchup') {
    const until = state.catchupUntil ?? new Date(0);
    const keep = items.filter((i) => i.at >= until && (state.horizonAt === null || i.at >= state.horizonAt));
    const done = !page.hasNextPage || !last || last.at < until;
    next.catchupCursor = done ? null : last.cursor;
    next.catchupUntil = done ? null : until;
    next.oldestAt = minDate(state.oldestAt, oldestOf(keep));
    return { items: keep, next, settled: false };
  }

  // backfill
  const horizon = state.horizonAt;
  const keep = items.filter((i) => horizon === null || i.at >= horizon);
  const reachedHorizon = horizon !== null && items.some((i) => i.at < horizon);
  if (!page.hasNextPage || reachedHorizon || !last) {
    next.backfillDone = true;
    next.backfillCursor = reachedHorizon ? (keep[keep.length - 1]?.cursor ?? state.backfillCursor) : null;
    next.beforeHorizonTotal = reachedHorizon ? null : 0;
  } else {
    next.backfillCursor = last.cursor;
  }
  next.oldestAt = minDate(state.oldestAt, oldestOf(keep));
  return { items: keep, next, settled: false };
}

/**
 * Moves a stream's horizon back when a longer one is asked (never forward: what is stored stays
 * covered). A backfill that had stopped at the old horizon opens again from where it stopped.
 */
export function widenHorizon(state: StreamState, horizonAt: Date | null): StreamState {
  if (!state.exists || state.newestAt === null) return state;
  const earlier = state.horizonAt !== null && (horizonAt === null || horizonAt.getTime() < state.horizonAt.getTime() - 86_400_000);
  if (!earlier) return state;
  const stoppedByHorizon = state.backfillDone && state.beforeHorizonTotal !== 0;
  return {
    ...state,
    horizonAt,
    backfillDone: stoppedByHorizon ? false : state.backfillDone,
    beforeHorizonTotal: stoppedByHorizon ? null : state.beforeHorizonTotal,
  };
}
