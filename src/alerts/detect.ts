import { negativeBinomialTail } from './stats.js';

/** The daily counts alerts watch (repo_daily: stars_new, forks_new, new_contributors). */
export type CountSignal = 'stars' | 'forks' | 'new_contributors';
export const COUNT_SIGNALS: readonly CountSignal[] = ['stars', 'forks', 'new_contributors'];

/** What a window must pass to alert; one set per signal (docs/metrics.md, "Alerts"). */
export interface SignalThresholds {
  /** At least this many (stars, forks, new contributors) in the window. */
  minGain: number;
  /** Breakout (2–7 days): observed / expected at least this. */
  minRatio: number;
  /** Spike (one day): observed / expected at least this. */
  spikeRatio: number;
  /** P(count ≥ observed | baseline) at most this. */
  maxP: number;
}

export interface DetectionSettings {
  thresholds: Readonly<Record<CountSignal, SignalThresholds>>;
  /** Usable days the baseline needs before a repo can alert. */
  minBaselineDays: number;
}

/** How far back (days before the 7-day window) the baseline may reach for its usable days. */
export const BASELINE_DAYS = 90;
/** The longest breakout window; the baseline ends before it so a breakout never raises its own baseline. */
export const LONG_WINDOW = 7;
/** A window of 2+ days needs at least this many usable days. */
const MIN_WINDOW_DAYS = 2;
/** Sustained: no single day carries more than this share of the window's excess over the baseline. */
const SUSTAINED_MAX_SHARE = 2 / 3;
/** The episode is over once the 7-day window is this unremarkable (and nothing is flagged). */
const CALM_P = 0.05;

/** One signal of one repo: a usable count per consecutive day (null: not usable that day). */
export interface DailySeries {
  firstDay: string;
  values: ReadonlyArray<number | null>;
}

export interface Baseline {
  days: number;
  /** Mean per day. */
  mean: number;
  /** Negative binomial size r (variance = mean + mean²/r); Infinity: Poisson. */
  size: number;
}

export interface WindowTest {
  days: number;
  start: string;
  end: string;
  usableDays: number;
  observed: number;
  expected: number;
  ratio: number;
  pValue: number;
  /** The largest day in the window. */
  peak: number;
  values: ReadonlyArray<number | null>;
  sustained: boolean;
}

export type DayVerdict =
  | { state: 'unknown'; reason: 'no data' | 'short baseline'; baselineDays: number }
  | { state: 'flagged'; kind: 'spike' | 'breakout'; window: WindowTest; baseline: Baseline; thresholds: SignalThresholds }
  | { state: 'quiet'; calm: boolean; baseline: Baseline };

/** Evaluates one day of a series: does a window ending that day stand out from the repo's baseline? */
export function evaluateDay(
  series: DailySeries,
  day: string,
  thresholds: SignalThresholds,
  settings: Pick<DetectionSettings, 'minBaselineDays'>,
): DayVerdict {
  const i = daysBetween(series.firstDay, day);
  const values = series.values;
  // The most recent usable days before the 7-day window: 28 of them (minBaselineDays), reaching
  // back at most 90 days over gaps. Recent, so a repo's steady growth is its baseline, not news.
  const baselineValues: number[] = [];
  for (let j = Math.min(i - LONG_WINDOW, values.length - 1); j >= Math.max(0, i - LONG_WINDOW - BASELINE_DAYS + 1); j--) {
    const v = values[j];
    if (v !== null && v !== undefined) baselineValues.push(v);
    if (baselineValues.length === settings.minBaselineDays) break;
  }
  if (i < 0 || i >= values.length || values[i] === null || values[i] === undefined) {
    return { state: 'unknown', reason: 'no data', baselineDays: baselineValues.length };
  }
  if (baselineValues.length < settings.minBaselineDays) {
    return { state: 'unknown', reason: 'short baseline', baselineDays: baselineValues.length };
  }
  const baseline = estimateBaseline(baselineValues, thresholds.spikeRatio);

  const spike = testWindow(series, i, 1, baseline);
  const spikeFlagged =
    spike !== null && spike.observed >= thresholds.minGain && spike.ratio >= thresholds.spikeRatio && spike.pValue <= thresholds.maxP;

  // Breakout: the most significant sustained window of 2–7 days ending today that passes.
  let breakout: WindowTest | null = null;
  for (let days = 2; days <= LONG_WINDOW; days++) {
    const w = testWindow(series, i, days, baseline);
    if (!w || !w.sustained) continue;
    if (w.observed < thresholds.minGain || w.ratio < thresholds.minRatio || w.pValue > thresholds.maxP) continue;
    if (!breakout || w.pValue < breakout.pValue) breakout = w;
  }
  if (breakout) return { state: 'flagged', kind: 'breakout', window: breakout, baseline, thresholds };
  if (spikeFlagged) return { state: 'flagged', kind: 'spike', window: spike, baseline, thresholds };

  const week = testWindow(series, i, LONG_WINDOW, baseline);
  const calmRatio = 1 + (thresholds.minRatio - 1) / 2;
  const calm = week !== null && (week.ratio < calmRatio || week.pValue > CALM_P);
  return { state: 'quiet', calm, baseline };
}

/**
 * Mean and dispersion of the baseline days, fitted by moments to a negative binomial (a Poisson
 * when the days vary no more than one would). Days that were spikes themselves (above
 * `spikeRatio` × the median, at least 1) are left out, so one launch day does not hide the next
 * jump for five weeks; nothing else is trimmed: leaving out merely large days understated the
 * dispersion of bursty repos and doubled false alerts on synthetic series.
 */
export function estimateBaseline(values: readonly number[], spikeRatio: number): Baseline {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  const kept = sorted.filter((v) => v <= spikeRatio * Math.max(median, 1));
  const n = kept.length;
  const sum = kept.reduce((s, v) => s + v, 0);
  // Half an event over the baseline keeps a dormant repo's mean above zero (ratios stay finite).
  const mean = Math.max(sum, 0.5) / n;
  const variance = n > 1 ? kept.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : mean;
  const size = variance > mean * 1.05 ? (mean * mean) / (variance - mean) : Number.POSITIVE_INFINITY;
  return { days: values.length, mean, size };
}

function testWindow(series: DailySeries, end: number, days: number, baseline: Baseline): WindowTest | null {
  const start = end - days + 1;
  if (start < 0) return null;
  const values = series.values.slice(start, end + 1);
  const usable = values.filter((v): v is number => v !== null);
  if (usable.length < (days === 1 ? 1 : Math.min(days, Math.max(MIN_WINDOW_DAYS, Math.ceil(days * 0.6))))) return null;
  const observed = usable.reduce((s, v) => s + v, 0);
  const expected = usable.length * baseline.mean;
  const excess = usable.map((v) => Math.max(0, v - baseline.mean));
  const totalExcess = excess.reduce((s, v) => s + v, 0);
  return {
    days,
    start: addDays(series.firstDay, start),
    end: addDays(series.firstDay, end),
    usableDays: usable.length,
    observed,
    expected,
    ratio: observed / expected,
    pValue: negativeBinomialTail(observed, expected, usable.length * baseline.size),
    peak: Math.max(...usable),
    values,
    sustained: days > 1 && totalExcess > 0 && Math.max(...excess) <= SUSTAINED_MAX_SHARE * totalExcess,
  };
}

/** 'YYYY-MM-DD' + n days. */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` ('YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The UTC day of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
