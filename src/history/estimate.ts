import type { StreamState } from './stream-state.js';

export const PAGE_SIZE = 100;

/**
 * Pages a stream's backfill still needs, estimated from the pace of what is stored (items per day
 * between its oldest and newest row) over the time left to the horizon, capped by what GitHub
 * reports and is not stored yet. At least one page while it is not done.
 */
export function pagesLeft(s: StreamState): number {
  if (!s.exists || s.backfillDone || s.restricted) return 0;
  const unstored = s.reportedTotal === null ? null : Math.max(0, s.reportedTotal - s.storedTotal);
  let items: number | null = null;
  if (s.horizonAt !== null && s.oldestAt !== null && s.newestAt !== null) {
    const spanDays = Math.max(1, (s.newestAt.getTime() - s.oldestAt.getTime()) / 86_400_000);
    const leftDays = Math.max(0, (s.oldestAt.getTime() - s.horizonAt.getTime()) / 86_400_000);
    items = (s.storedTotal / spanDays) * leftDays;
  }
  if (items === null || (unstored !== null && unstored < items)) items = unstored ?? PAGE_SIZE;
  return Math.max(1, Math.ceil(items / PAGE_SIZE));
}

/**
 * GraphQL points to finish backfills needing `pages` pages each, paged round-robin with up to
 * `pagesPerQuery` streams' pages in one query (which costs 1 point): each round of one page per
 * unfinished stream costs ceil(unfinished / pagesPerQuery) points.
 */
export function pointsToFinish(pages: readonly number[], pagesPerQuery: number): number {
  const sorted = pages.filter((p) => p > 0).sort((a, b) => a - b);
  let points = 0;
  let round = 0;
  for (let i = 0; i < sorted.length; ) {
    const active = sorted.length - i;
    const until = sorted[i] as number;
    // Rounds `round` … until-1 all have `active` streams left.
    points += (until - round) * Math.ceil(active / pagesPerQuery);
    round = until;
    while (i < sorted.length && (sorted[i] as number) <= round) i++;
  }
  return points;
}
