import type { CountSignal, SignalThresholds } from './detect.js';

/**
 * Default thresholds per signal, tuned with bench/alerts-quality.ts on a synthetic population
 * (docs/metrics.md, "Alerts", has the figures). The environment overrides each one
 * (ALERT_STARS_MIN_GAIN, …; see .env.example).
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<CountSignal, SignalThresholds>> = {
  stars: { minGain: 25, minRatio: 2, spikeRatio: 8, maxP: 1e-6 },
  forks: { minGain: 10, minRatio: 2, spikeRatio: 8, maxP: 1e-6 },
  new_contributors: { minGain: 5, minRatio: 2.5, spikeRatio: 8, maxP: 1e-5 },
};

export const DEFAULT_RECENT_DAYS = 3;
export const DEFAULT_ESCALATION_FACTOR = 2;
export const DEFAULT_MIN_BASELINE_DAYS = 28;
