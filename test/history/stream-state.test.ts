import { describe, expect, it } from 'vitest';
import { pointsToFinish } from '../../src/history/estimate.js';
import { applyPage, freshState, widenHorizon } from '../../src/history/stream-state.js';
import type { ParsedPage, StreamItem } from '../../src/history/streams.js';

const fork = (n: number, at: string): StreamItem => ({ stream: 'forks', at: new Date(at), cursor: `c${n}`, row: { fork_id: n, full_name: `u${n}/r`, created_at: at } });
const page = (items: StreamItem[], hasNextPage: boolean, total = 1000): ParsedPage => ({ items, hasNextPage, total });
const H = new Date('2026-01-01T00:00:00Z');

describe('what a page does to a stream', () => {
  it('a first page starts the backfill where it ends, and the backfill stops at the horizon keeping its place', () => {
    const first = applyPage(freshState(1, 'forks'), 'probe', page([fork(9, '2026-11-01T00:00:00Z'), fork(8, '2026-10-01T00:00:00Z')], true), H);
    expect(first.next).toMatchObject({ newestAt: new Date('2026-11-01T00:00:00Z'), backfillCursor: 'c8', backfillDone: false, horizonAt: H });
    const last = applyPage(first.next, 'backfill', page([fork(7, '2026-02-01T00:00:00Z'), fork(6, '2025-12-01T00:00:00Z')], true), H);
    expect(last.items.map((i) => i.cursor)).toEqual(['c7']);
    expect(last.next).toMatchObject({ backfillDone: true, backfillCursor: 'c7', oldestAt: new Date('2026-02-01T00:00:00Z'), beforeHorizonTotal: null });
    // A longer horizon later goes on from c7.
    expect(widenHorizon({ ...last.next, exists: true }, null)).toMatchObject({ backfillDone: false, backfillCursor: 'c7', horizonAt: null });
  });

  it('a regular run whose page is all new keeps a catch-up down to the old watermark, then the catch-up ends there', () => {
    const s = { ...freshState(1, 'forks'), exists: true, newestAt: new Date('2026-11-01T00:00:00Z'), backfillDone: true, horizonAt: H };
    const probe = applyPage(s, 'probe', page([fork(30, '2026-11-20T00:00:00Z'), fork(29, '2026-11-10T00:00:00Z')], true), H);
    expect(probe.next).toMatchObject({ newestAt: new Date('2026-11-20T00:00:00Z'), catchupCursor: 'c29', catchupUntil: new Date('2026-10-31T23:00:00Z') });
    expect(probe.settled).toBe(false);
    // Another regular run before the catch-up ended: its floor stays the older one.
    const again = applyPage(probe.next, 'probe', page([fork(31, '2026-11-21T00:00:00Z'), fork(30, '2026-11-20T00:00:00Z')], true), H);
    expect(again.next).toMatchObject({ catchupCursor: 'c30', catchupUntil: new Date('2026-10-31T23:00:00Z') });
    const done = applyPage(again.next, 'catchup', page([fork(28, '2026-11-05T00:00:00Z'), fork(27, '2026-10-20T00:00:00Z')], true), H);
    expect(done.items.map((i) => i.cursor)).toEqual(['c28']);
    expect(done.next).toMatchObject({ catchupCursor: null, catchupUntil: null });
  });

  it('prices round-robin backfills: each turn costs one point per hundred unfinished streams', () => {
    expect(pointsToFinish([], 100)).toBe(0);
    expect(pointsToFinish([3, 1, 1], 100)).toBe(3);
    expect(pointsToFinish(Array.from({ length: 250 }, () => 2), 100)).toBe(6);
    expect(pointsToFinish([50, ...Array.from({ length: 150 }, () => 1)], 100)).toBe(2 + 49);
  });
});
