/**
 * A cumulative activity series (stars, forks, commits, ...) as a closed-form function of time,
 * so a count at any simulated instant costs O(1) and the i-th event's time is a binary search:
 * nothing per event is ever stored.
 */
import { unit } from '../rng.js';

export const DAY_MS = 86_400_000;

/** A change of pace from a date on: the daily rate is multiplied by `factor` (a planted breakout). */
export interface Breakout {
  from: number;
  factor: number;
}

/** The shape of one series of one repo. */
export interface SeriesSpec {
  /** The count at the anchor date (the simulator's start). */
  atAnchor: number;
  /** Growth curve exponent: count ∝ age^exponent (1 = steady, >1 = accelerating). */
  exponent: number;
  breakouts: Breakout[];
}

/** Where a series lives in time: the repo's birth, the anchor, and a key for its noise. */
export interface SeriesFrame {
  createdAt: number;
  anchor: number;
  noiseKey: string;
}

// Weekly rhythm and per-day noise are added as a wobble proportional to the daily rate. Their
// derivatives are bounded by 0.25 + 0.7 of the rate, so the cumulative count never goes down.
const WEEKLY_AMPLITUDE = 0.25;
const DAILY_NOISE = 0.35;

function smooth(spec: SeriesSpec, frame: SeriesFrame, t: number): number {
  const age = (t - frame.createdAt) / DAY_MS;
  if (age <= 0 || spec.atAnchor <= 0) return 0;
  const anchorAge = Math.max(1, (frame.anchor - frame.createdAt) / DAY_MS);
  return spec.atAnchor * Math.pow(age / anchorAge, spec.exponent);
}

function dailyRate(spec: SeriesSpec, frame: SeriesFrame, t: number): number {
  const age = (t - frame.createdAt) / DAY_MS;
  if (age <= 0 || spec.atAnchor <= 0) return 0;
  const anchorAge = Math.max(1, (frame.anchor - frame.createdAt) / DAY_MS);
  return (spec.atAnchor * spec.exponent * Math.pow(age / anchorAge, spec.exponent - 1)) / anchorAge;
}

function wobble(frame: SeriesFrame, t: number): number {
  const day = t / DAY_MS;
  const k = Math.floor(day);
  const f = day - k;
  const weekly = WEEKLY_AMPLITUDE * (7 / (2 * Math.PI)) * Math.sin((2 * Math.PI * day) / 7);
  const today = unit(frame.noiseKey, k) * 2 - 1;
  const tomorrow = unit(frame.noiseKey, k + 1) * 2 - 1;
  return weekly + DAILY_NOISE * (today * (1 - f) + tomorrow * f);
}

/** The (fractional) cumulative value of the series at time t. */
export function seriesValue(spec: SeriesSpec, frame: SeriesFrame, t: number): number {
  const base = smooth(spec, frame, t);
  if (base === 0) return 0;
  let total = base + dailyRate(spec, frame, t) * wobble(frame, t);
  for (const b of spec.breakouts) {
    if (t > b.from) total += (b.factor - 1) * (base - smooth(spec, frame, b.from));
  }
  return Math.max(0, total);
}

/** The whole count of events that happened up to time t. */
export function countAt(spec: SeriesSpec, frame: SeriesFrame, t: number): number {
  return Math.floor(seriesValue(spec, frame, t));
}

/** The time of the i-th event (0-based, oldest first): the first ms at which the count exceeds i. */
export function timeOfIndex(spec: SeriesSpec, frame: SeriesFrame, index: number, upTo: number): number {
  let lo = frame.createdAt;
  let hi = Math.max(upTo, lo);
  if (countAt(spec, frame, hi) <= index) return hi;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (countAt(spec, frame, mid) > index) hi = mid;
    else lo = mid;
  }
  return hi;
}
