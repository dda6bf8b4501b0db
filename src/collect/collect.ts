import type { Kysely } from 'kysely';
import { withSessionLock } from '../db/locks.js';
import type { Database, CollectRunStatus } from '../db/schema.js';
import { GreenshootsError, messageOf } from '../errors/index.js';
import { BudgetExhaustedError, GitHubAuthError, GraphqlTooLargeError, githubClock, type GitHubClient } from '../github/index.js';
import type { Logger } from '../log/logger.js';
import { refreshContributorCounts, type ContributorSummary } from './contributors.js';
import { emptyCounters, finishRun, saveCounters, startRun, type RunCounters, spendSince } from './run-record.js';
import { observeBatch } from './snapshot-batch.js';
import { requestName, selectDueRepos, storeOutcomes, type DueRepo } from './snapshot-store.js';

export interface CollectOptions {
  logger: Logger;
  /** Repos per GraphQL query at the start; halved when GitHub answers a timeout or resource limit. */
  batchSize?: number;
  /** Refresh a repo's description (topics, license, …) when older than this. */
  metadataMaxAgeHours?: number;
  /** Check contributor counts (REST) older than this; 0 disables the check. */
  contributorsMaxAgeHours?: number;
  concurrency?: number;
  /** GitHub's time, for deciding what is due; default: the local clock. */
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
}

export interface CollectProgress {
  phase: 'snapshots' | 'contributors';
  done: number;
  total: number;
  graphqlRemaining: number;
  coreRemaining: number;
}

export interface CollectSummary {
  runId: number;
  status: CollectRunStatus;
  counters: RunCounters;
  notFound: number;
  blocked: number;
  renamed: string[];
  duplicates: string[];
  contributors: ContributorSummary | null;
  message: string | null;
  durationMs: number;
  /** GitHub's clock at the end of the run (its Date header; the local clock if it sent none). */
  githubNow: Date;
}

/** Another process holds the collector lock (exit 75, EX_TEMPFAIL: try again later). */
export class CollectorBusyError extends GreenshootsError {
  constructor() {
    super('COLLECT_BUSY', 'another greenshoots collect is running on this database: let it finish, or try again later', { exitCode: 75 });
  }
}

export const DEFAULT_BATCH_SIZE = 100;

/**
 * One collector run: a snapshot of every due repo through batched GraphQL, then contributor counts
 * by conditional REST. Holds a session advisory lock so two collectors never run at once; each batch
 * is written in its own transaction, so a killed run keeps every finished batch and the next run
 * simply observes the rest.
 */
export async function collect(db: Kysely<Database>, client: GitHubClient, options: CollectOptions): Promise<CollectSummary> {
  return withSessionLock(db, 'greenshoots.collect', () => new CollectorBusyError(), (conn) => collectLocked(conn, client, options));
}

async function collectLocked(db: Kysely<Database>, client: GitHubClient, options: CollectOptions): Promise<CollectSummary> {
  const started = Date.now();
  const log = options.logger;
  const runId = await startRun(db, 'snapshot');
  const counters = emptyCounters();
  const summary: CollectSummary = {
    runId,
    status: 'running',
    counters,
    notFound: 0,
    blocked: 0,
    renamed: [],
    duplicates: [],
    contributors: null,
    message: null,
    durationMs: 0,
    githubNow: new Date(),
  };
  const syncSpend = spendSince(client, counters);
  const progress = (phase: CollectProgress['phase'], done: number, total: number): void => {
    options.onProgress?.({
      phase,
      done,
      total,
      graphqlRemaining: client.remainingShare('graphql'),
      coreRemaining: client.remainingShare('core'),
    });
  };

  let now = options.now ?? (() => new Date());
  try {
    await client.refreshBudget();
    if (!options.now) now = await githubClock(client);
    const due = await selectDueRepos(db, now(), options.metadataMaxAgeHours ?? 20);
    counters.repos_total = due.length;
    await saveCounters(db, runId, counters);
    log.info({ collectRunId: runId, repos: due.length }, 'collect started');

    let queue: DueRepo[] = due;
    let size = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    progress('snapshots', 0, due.length);
    while (queue.length > 0) {
      if (options.signal?.aborted) {
        summary.status = 'partial';
        summary.message = `stopped on request: ${queue.length} repos left for the next run`;
        break;
      }
      const batch = queue.slice(0, size);
      let result;
      try {
        result = await observeBatch(client, batch, now);
      } catch (err) {
        if (err instanceof GraphqlTooLargeError && size > 1) {
          size = Math.max(1, Math.floor(size / 2));
          log.warn({ batchSize: size }, 'GitHub cut the query off: asking for fewer repos per query');
          continue;
        }
        if (err instanceof BudgetExhaustedError) {
          summary.status = 'partial';
          summary.message = `stopped at the budget share (GITHUB_BUDGET_SHARE): ${queue.length} repos left for the next run`;
          break;
        }
        if (err instanceof GitHubAuthError) throw err;
        // The request failed as a whole after retries: these repos wait for the next run.
        const reason = messageOf(err);
        log.warn({ err, repos: batch.length }, 'a snapshot batch failed');
        await db.transaction().execute(async (trx) => {
          await storeOutcomes(trx, runId, batch.map((repo) => ({ kind: 'failed' as const, repo, reason })));
          counters.repos_failed += batch.length;
          for (const repo of batch) counters.errors.push({ repo: requestName(repo), reason });
          syncSpend();
          await saveCounters(trx, runId, counters);
        });
        queue = queue.slice(batch.length);
        progress('snapshots', due.length - queue.length, due.length);
        continue;
      }
      counters.batch_size_final = size;
      await db.transaction().execute(async (trx) => {
        const { duplicates } = await storeOutcomes(trx, runId, result.outcomes);
        summary.duplicates.push(...duplicates);
        for (const outcome of result.outcomes) {
          const name = requestName(outcome.repo);
          if (outcome.kind === 'observed') {
            if (duplicates.includes(name)) counters.repos_skipped++;
            else counters.repos_observed++;
            if (outcome.node.nameWithOwner.toLowerCase() !== name.toLowerCase()) {
              summary.renamed.push(`${name} → ${outcome.node.nameWithOwner}`);
            }
          } else {
            counters.repos_failed++;
            if (outcome.kind === 'not_found') summary.notFound++;
            if (outcome.kind === 'blocked') summary.blocked++;
            counters.errors.push({ repo: name, reason: outcome.kind === 'failed' ? outcome.reason : `${outcome.kind}: ${outcome.reason}` });
          }
        }
        syncSpend();
        await saveCounters(trx, runId, counters);
      });
      queue = queue.slice(batch.length);
      progress('snapshots', due.length - queue.length, due.length);
    }
    if (queue.length > 0) counters.repos_skipped += queue.length;

    if ((options.contributorsMaxAgeHours ?? 20) > 0 && summary.status === 'running' && !options.signal?.aborted) {
      summary.contributors = await refreshContributorCounts(db, client, runId, counters, {
        now: now(),
        maxAgeHours: options.contributorsMaxAgeHours ?? 20,
        concurrency: options.concurrency ?? 2,
        ...(options.signal ? { signal: options.signal } : {}),
        logger: log,
        onProgress: (done, total) => progress('contributors', done, total),
      });
      if (summary.contributors.stoppedForBudget) {
        summary.message = `contributor counts stopped at the budget share: ${summary.contributors.due - summary.contributors.checked} left for the next run`;
      }
    }
    if (summary.status === 'running') summary.status = 'succeeded';
  } catch (err) {
    summary.status = 'failed';
    summary.message = messageOf(err);
    syncSpend();
    await finishRun(db, runId, 'failed', counters, summary.message).catch(() => {});
    throw err;
  }
  syncSpend();
  await finishRun(db, runId, summary.status, counters, summary.message);
  summary.durationMs = Date.now() - started;
  summary.githubNow = now();
  log.info({ collectRunId: runId, status: summary.status, ...counters, errors: counters.errors.length }, 'collect finished');
  return summary;
}
