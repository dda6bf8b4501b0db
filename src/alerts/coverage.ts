import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { addDays, BASELINE_DAYS, COUNT_SIGNALS, LONG_WINDOW, type CountSignal } from './detect.js';
import { loadAlertRepos, loadSignalSeries } from './series.js';

export interface BaselineCoverage {
  /** The day a check would evaluate next (yesterday, UTC). */
  day: string;
  minBaselineDays: number;
  repos: number;
  /** Repos whose baseline for that day has enough usable days, per signal. */
  ready: Record<CountSignal, number>;
  /** Repos that cannot alert on stars yet, fewest usable days first (stars: the signal most want). */
  lacking: Array<{ repo: string; stars: number; forks: number; new_contributors: number }>;
}

/** Which tracked repos have enough usable days for an alert baseline, per signal. */
export async function baselineCoverage(db: Kysely<Database>, now: Date, minBaselineDays: number): Promise<BaselineCoverage> {
  const day = addDays(now.toISOString().slice(0, 10), -1);
  const to = addDays(day, -LONG_WINDOW);
  const from = addDays(to, -(BASELINE_DAYS - 1));
  const repos = await loadAlertRepos(db);
  const series = await loadSignalSeries(db, from, to);
  const ready: Record<CountSignal, number> = { stars: 0, forks: 0, new_contributors: 0 };
  const lacking: BaselineCoverage['lacking'] = [];
  for (const [repoId, repo] of repos) {
    const s = series.get(repoId);
    const usable = Object.fromEntries(
      COUNT_SIGNALS.map((signal) => [signal, s ? s[signal].values.filter((v) => v !== null).length : 0]),
    ) as Record<CountSignal, number>;
    for (const signal of COUNT_SIGNALS) if (usable[signal] >= minBaselineDays) ready[signal]++;
    if (usable.stars < minBaselineDays) lacking.push({ repo: repo.repo, ...usable });
  }
  lacking.sort((a, b) => a.stars - b.stars || a.repo.localeCompare(b.repo));
  return { day, minBaselineDays, repos: repos.size, ready, lacking };
}
