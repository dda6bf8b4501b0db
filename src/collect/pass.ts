import type { Kysely } from 'kysely';
import { checkAlerts, type CheckAlertsResult } from '../alerts/index.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/schema.js';
import type { GitHubClient } from '../github/index.js';
import { HistoryBusyError, runHistory, type HistoryProgress, type HistorySummary } from '../history/index.js';
import type { Logger } from '../log/logger.js';
import { refreshTrends, type RefreshResult } from '../trends/index.js';
import { collect, type CollectProgress, type CollectSummary } from './collect.js';

export interface PassOptions {
  logger: Logger;
  signal?: AbortSignal;
  batchSize?: number;
  contributors?: boolean;
  history?: boolean;
  onProgress?: (progress: CollectProgress | HistoryProgress) => void;
  /** Called as each step ends, so a terminal can show it at once. */
  onStep?: (step: Partial<PassResult>) => void;
}

export interface PassResult {
  snapshots: CollectSummary;
  /** Null when skipped (--no-history, or the snapshots did not finish); a string says why. */
  history: HistorySummary | string | null;
  trends: RefreshResult | null;
  alerts: CheckAlertsResult | null;
}

/**
 * One collect pass, the hourly unit of work of `greenshoots collect` and the scheduled job:
 * snapshots first (never starved), then history — new items, then a bounded slice of the
 * backfill (HISTORY_BACKFILL_POINTS per pass, so an hourly pass stays short; `history backfill`
 * pushes further on demand) — then the trend refresh and the alert check on GitHub's clock.
 */
export async function collectPass(
  db: Kysely<Database>,
  client: GitHubClient,
  config: Readonly<Config>,
  options: PassOptions,
): Promise<PassResult> {
  const log = options.logger;
  const snapshots = await collect(db, client, {
    logger: log.child({ step: 'snapshots' }),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    contributorsMaxAgeHours: options.contributors === false ? 0 : 20,
    concurrency: config.github.concurrency,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const result: PassResult = { snapshots, history: null, trends: null, alerts: null };
  options.onStep?.({ snapshots });
  if (options.signal?.aborted) return result;

  if (options.history !== false && snapshots.status === 'succeeded') {
    // Keep enough for the next snapshot pass, and spend at most the per-pass backfill allowance.
    const reserve = Math.max(100, 2 * snapshots.counters.graphql_points);
    try {
      result.history = await runHistory(db, client, {
        logger: log.child({ step: 'history' }),
        horizonDays: config.history.horizonDays,
        reservePoints: reserve,
        backfillPoints: config.history.backfillPointsPerPass,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (err) {
      if (!(err instanceof HistoryBusyError)) throw err;
      result.history = err.message;
    }
  } else if (options.history !== false) {
    result.history = `history skipped: the snapshots ended ${snapshots.status}`;
  }
  if (result.history !== null) options.onStep?.({ history: result.history });
  if (options.signal?.aborted) return result;

  result.trends = await refreshTrends(db, {
    retentionDays: config.trends.retentionDays,
    workers: config.trends.workers,
    now: snapshots.githubNow,
    logger: log.child({ step: 'trends' }),
  });
  options.onStep?.({ trends: result.trends });
  result.alerts = await checkAlerts(db, config, { now: snapshots.githubNow, logger: log.child({ step: 'alerts' }) });
  options.onStep?.({ alerts: result.alerts });
  return result;
}
