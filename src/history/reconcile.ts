import type { StreamState } from './stream-state.js';

/**
 * How far stored and reported may differ before it is noted: 0.1% of the reported count, rounded
 * down, so a small repo's single deleted fork is noted and a giant's rounding is not.
 */
export function driftAllowance(reported: number): number {
  return Math.floor(reported * 0.001);
}

/** Reported − stored − what lies before the horizon: 0 when the events account for GitHub's count. */
export function driftOf(s: Pick<StreamState, 'reportedTotal' | 'storedTotal' | 'beforeHorizonTotal'>): number | null {
  if (s.reportedTotal === null || s.beforeHorizonTotal === null) return null;
  return s.reportedTotal - s.storedTotal - s.beforeHorizonTotal;
}

/**
 * Compares what GitHub reports with what is stored, once a stream is settled (read from the top,
 * nothing left to catch up, backfill ended). The first time after a backfill stopped at the horizon
 * the difference is what lies before it; after that any change of the difference is drift (forks
 * deleted, history rewritten, stars taken back). The stored count is never adjusted: the events are
 * what was seen, and the difference stays visible.
 */
export function reconcile(state: StreamState, reported: number | null, settled: boolean, at: Date): StreamState {
  const next = { ...state, reportedTotal: reported ?? state.reportedTotal };
  if (!settled || reported === null || !next.backfillDone || next.catchupCursor !== null) return next;
  if (next.beforeHorizonTotal === null) next.beforeHorizonTotal = Math.max(0, reported - next.storedTotal);
  const drift = driftOf(next);
  if (drift !== null && Math.abs(drift) > driftAllowance(reported)) next.driftNotedAt = at;
  return next;
}
