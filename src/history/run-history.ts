import type { Kysely } from 'kysely';
import { emptyCounters, finishRun, saveCounters, startRun, type RunCounters, spendSince } from '../collect/run-record.js';
import type { CollectRunStatus, Database, HistoryStream } from '../db/schema.js';
import { GreenshootsError, messageOf } from '../errors/index.js';
import { BudgetExhaustedError, GitHubAuthError, GitHubRequestError, GraphqlTooLargeError, type GitHubClient } from '../github/index.js';
import type { Logger } from '../log/logger.js';
import { githubClock } from '../github/index.js';
import { withSessionLock } from '../db/locks.js';
import { pagesLeft } from './estimate.js';
import { effectsOf } from './page-outcomes.js';
import { estimateCost, fetchPages, type PageRequest } from './page-query.js';
import { isDue, markRestricted } from './restriction.js';
import { backfillRequest, catchupRequest, probeRequest, selectHistoryRepos, type HistoryRepo } from './requests.js';
import { widenHorizon, type StreamState } from './stream-state.js';
import { loadStates, stateKey, writePages } from './stream-store.js';
import { HISTORY_STREAMS } from './streams.js';

export interface HistoryOptions {
  logger: Logger;
  /** How far back a backfill reaches, in days; null: the whole history. */
  horizonDays: number | null;
  /** Only these repos (`owner/name`, as listed or as GitHub now names them). */
  repos?: readonly string[];
  /** GraphQL points left untouched for the next snapshot run (default 100: a landscape snapshot costs ~45). */
  reservePoints?: number;
  /** Pages per GraphQL query at the start (≤ 100: a hundred pages cost one point); halved when GitHub cuts a query off. */
  pagesPerQuery?: number;
  /** Items asked in a regular run's first page of each stream (default 25): a quiet repo answers in it. */
  probeSize?: number;
  /** Read only the newest pages (no backfill), e.g. for a quick run. */
  skipBackfill?: boolean;
  /** At most this many GraphQL points on backfill pages in this run (unset: no cap beyond the budget). */
  backfillPoints?: number;
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: HistoryProgress) => void;
}

export interface HistoryProgress {
  phase: 'history updates' | 'history backfill';
  done: number;
  total: number;
  unit: 'streams' | 'pages';
  graphqlRemaining: number;
  coreRemaining: number;
}

export interface HistorySummary {
  runId: number;
  status: CollectRunStatus;
  /** How far back new backfills aim (null: the whole history). */
  horizonAt: Date | null;
  repos: number;
  pages: { probe: number; catchup: number; backfill: number };
  /** New rows stored, per stream. */
  rows: Record<HistoryStream, number>;
  /** Streams whose backfill is not finished after this run, and the pages that is estimated to take. */
  backfillLeft: { streams: number; pages: number };
  restricted: number;
  drift: number;
  counters: RunCounters;
  message: string | null;
  durationMs: number;
}

/** Another process runs history on this database (exit 75: try again later). */
export class HistoryBusyError extends GreenshootsError {
  constructor() {
    super('HISTORY_BUSY', 'another greenshoots history run is going on this database: let it finish, or try again later', { exitCode: 75 });
  }
}

const MAX_CONSECUTIVE_FAILURES = 3;

/**
 * One history run: the newest page of every stream of every repo (a quiet one costs its share of
 * one batched query), then catch-ups and backfill pages round-robin across streams, many per query,
 * until done or the budget share (minus a reserve for snapshots) is spent. Every answer is written
 * in one transaction with the cursors it moves, so a killed run loses at most the answer in flight.
 */
export async function runHistory(db: Kysely<Database>, client: GitHubClient, options: HistoryOptions): Promise<HistorySummary> {
  return withSessionLock(db, 'greenshoots.history', () => new HistoryBusyError(), (conn) => runLocked(conn, client, options));
}

async function runLocked(db: Kysely<Database>, client: GitHubClient, o: HistoryOptions): Promise<HistorySummary> {
  const started = Date.now();
  const log = o.logger;
  const runId = await startRun(db, 'history');
  const counters = emptyCounters();
  const summary: HistorySummary = {
    runId,
    status: 'running',
    horizonAt: null,
    repos: 0,
    pages: { probe: 0, catchup: 0, backfill: 0 },
    rows: { forks: 0, releases: 0, commits: 0, stars: 0 },
    backfillLeft: { streams: 0, pages: 0 },
    restricted: 0,
    drift: 0,
    counters,
    message: null,
    durationMs: 0,
  };
  const syncSpend = spendSince(client, counters);
  const reserve = o.reservePoints ?? 100;
  // Counted from the answers' own cost, not from budget headers: a pass's allowance holds whatever clock GitHub keeps.
  let backfillSpent = 0;
  let perQuery = Math.min(100, Math.max(1, o.pagesPerQuery ?? 100));
  let states = new Map<string, StreamState>();
  let repos: HistoryRepo[] = [];
  let stop: string | null = null;

  try {
    await client.refreshBudget();
    const now = o.now ?? (await githubClock(client));
    const startedAt = now();
    const horizonAt = o.horizonDays === null ? null : new Date(startedAt.getTime() - o.horizonDays * 86_400_000);
    summary.horizonAt = horizonAt;
    repos = await selectHistoryRepos(db, o.repos);
    const names = new Map(repos.map((r) => [r.id, r.fullName]));
    summary.repos = counters.repos_total = repos.length;
    states = await loadStates(db, repos.map((r) => r.id), HISTORY_STREAMS);
    for (const [key, s] of states) states.set(key, widenHorizon(s, horizonAt));
    await saveCounters(db, runId, counters);
    log.info({ runId, repos: repos.length, horizonAt }, 'history started');

    const skipRepos = new Set<number>();
    const failedRepos = new Set<number>();
    let consecutiveFailures = 0;
    const progress = (phase: HistoryProgress['phase'], done: number, total: number, unit: HistoryProgress['unit']): void =>
      o.onProgress?.({ phase, done, total, unit, graphqlRemaining: client.remainingShare('graphql'), coreRemaining: client.remainingShare('core') });

    /** Sends one query; false when the run must stop (budget, abort, repeated failures). */
    const send = async (requests: PageRequest[]): Promise<'sent' | 'stop' | 'smaller'> => {
      if (o.signal?.aborted) {
        stop = 'stopped on request';
        return 'stop';
      }
      if (client.remainingShare('graphql') < estimateCost(requests) + reserve) {
        stop = `stopped at the budget share (GITHUB_BUDGET_SHARE, keeping ${reserve} GraphQL points for snapshots)`;
        return 'stop';
      }
      const backfill = requests.some((r) => r.mode === 'backfill');
      if (backfill && o.backfillPoints !== undefined && backfillSpent + estimateCost(requests) > o.backfillPoints) {
        stop = `backfill allowance of this pass spent (${o.backfillPoints} points, HISTORY_BACKFILL_POINTS): the next pass continues`;
        return 'stop';
      }
      const pointsBefore = client.budget().spend.graphqlPoints;
      let result;
      try {
        result = await fetchPages(client, requests);
        if (backfill) backfillSpent += Math.max(1, client.budget().spend.graphqlPoints - pointsBefore);
      } catch (err) {
        if (err instanceof GraphqlTooLargeError && requests.length > 1) {
          perQuery = Math.max(1, Math.floor(requests.length / 2));
          log.warn({ pagesPerQuery: perQuery }, 'GitHub cut the query off: asking fewer pages per query');
          return 'smaller';
        }
        if (err instanceof BudgetExhaustedError) {
          stop = 'stopped at the budget share (GITHUB_BUDGET_SHARE)';
          return 'stop';
        }
        if (err instanceof GitHubAuthError) throw err;
        if (err instanceof GitHubRequestError && err.status === 403 && requests.some((r) => r.stream === 'stars')) {
          // A star list refused with a 403 for the whole query: record it, ask the rest without stars.
          const at = now();
          const refused = requests.filter((r) => r.stream === 'stars').map((r) => markRestricted(states.get(stateKey(r.repoId, r.stream)) as StreamState, `GitHub: 403 ${err.message}`, at));
          const written = await writePages(db, refused.map((next) => ({ next, items: [], reported: null, settled: false })), at);
          for (const s of written.states) states.set(stateKey(s.repoId, s.stream), s);
          summary.restricted += refused.length;
          const rest = requests.filter((r) => r.stream !== 'stars');
          return rest.length > 0 ? send(rest) : 'sent';
        }
        consecutiveFailures++;
        const reason = messageOf(err);
        log.warn({ err, pages: requests.length }, 'a history query failed');
        for (const id of new Set(requests.map((r) => r.repoId))) counters.errors.push({ repo: names.get(id) ?? String(id), reason });
        if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
          stop = `stopped after ${consecutiveFailures} failed queries in a row: ${reason}`;
          return 'stop';
        }
        return 'sent';
      }
      consecutiveFailures = 0;
      const at = result.servedAt ?? now();
      const effects = effectsOf(result.outcomes, states, horizonAt, at);
      const driftBefore = new Set([...states.values()].filter((s) => s.driftNotedAt !== null).map((s) => stateKey(s.repoId, s.stream)));
      const written = await writePages(db, effects.writes, at);
      for (const s of written.states) {
        const key = stateKey(s.repoId, s.stream);
        if (s.driftNotedAt !== null && s.driftNotedAt.getTime() === at.getTime() && !driftBefore.has(key)) summary.drift++;
        states.set(key, s);
      }
      for (const stream of HISTORY_STREAMS) summary.rows[stream] += written.inserted[stream];
      summary.restricted += effects.restricted;
      summary.pages.probe += effects.pages.probe;
      summary.pages.catchup += effects.pages.catchup;
      summary.pages.backfill += effects.pages.backfill;
      for (const id of effects.missing) skipRepos.add(id);
      for (const f of effects.failures) {
        failedRepos.add(f.repoId);
        counters.errors.push({ repo: names.get(f.repoId) ?? String(f.repoId), reason: f.reason });
      }
      counters.batch_size_final = perQuery;
      syncSpend();
      await saveCounters(db, runId, counters);
      return 'sent';
    };

    // 1. Updates: the newest page of every due stream, many streams per query.
    const at = startedAt;
    const probes = repos.flatMap((repo) =>
      HISTORY_STREAMS.map((stream) => states.get(stateKey(repo.id, stream)) as StreamState)
        .filter((s) => isDue(s, at))
        .map((s) => probeRequest(repo, s, o.probeSize ?? 25)),
    );
    let done = 0;
    progress('history updates', 0, probes.length, 'streams');
    while (done < probes.length && stop === null) {
      const batch = probes.slice(done, done + perQuery);
      const sent = await send(batch);
      if (sent === 'stop') break;
      if (sent === 'smaller') continue;
      done += batch.length;
      progress('history updates', done, probes.length, 'streams');
    }

    // 2. Catch-ups first, then backfill pages, round-robin: one page per stream per turn.
    const byId = new Map(repos.map((r) => [r.id, r]));
    const pendingCatchup = (s: StreamState): boolean => s.catchupCursor !== null && !skipRepos.has(s.repoId);
    const pendingBackfill = (s: StreamState): boolean =>
      !o.skipBackfill && s.exists && !s.backfillDone && !s.restricted && s.newestAt !== null && !skipRepos.has(s.repoId);
    const byLastRead = (a: StreamState, b: StreamState): number => (a.checkedAt?.getTime() ?? 0) - (b.checkedAt?.getTime() ?? 0);
    const catchups = [...states.values()].filter(pendingCatchup).map((s) => stateKey(s.repoId, s.stream));
    const backfills = [...states.values()].filter(pendingBackfill).sort(byLastRead).map((s) => stateKey(s.repoId, s.stream));
    let pagesDone = 0;
    let pagesTotal = [...states.values()].reduce((sum, s) => sum + (pendingBackfill(s) ? pagesLeft(s) : 0) + (pendingCatchup(s) ? 1 : 0), 0);
    while (stop === null && (catchups.length > 0 || backfills.length > 0)) {
      const taken = new Set<string>();
      const requests: PageRequest[] = [];
      for (const queue of [catchups, backfills]) {
        let skipped = 0;
        while (requests.length < perQuery && queue.length > skipped) {
          const key = queue.shift() as string;
          if (taken.has(key)) {
            queue.push(key);
            skipped++;
            continue;
          }
          const s = states.get(key) as StreamState;
          const repo = byId.get(s.repoId) as HistoryRepo;
          if (queue === catchups && pendingCatchup(s)) requests.push(catchupRequest(repo, s));
          else if (queue === backfills && pendingBackfill(s)) requests.push(backfillRequest(repo, s));
          else continue;
          taken.add(key);
        }
      }
      if (requests.length === 0) break;
      const sent = await send(requests);
      if (sent === 'stop') break;
      if (sent === 'smaller') {
        // Not sent: back to the front, in order.
        for (const r of [...requests].reverse()) (r.mode === 'catchup' ? catchups : backfills).unshift(stateKey(r.repoId, r.stream));
        continue;
      }
      pagesDone += requests.length;
      for (const r of requests) {
        const key = stateKey(r.repoId, r.stream);
        const s = states.get(key) as StreamState;
        // Round-robin: a stream with more to read goes to the back of its queue. One whose page failed waits for the next run.
        if (failedRepos.has(r.repoId)) continue;
        if (r.mode === 'catchup' && pendingCatchup(s)) catchups.push(key);
        if (r.mode === 'backfill' && pendingBackfill(s)) backfills.push(key);
      }
      pagesTotal = Math.max(pagesTotal, pagesDone + catchups.length + backfills.length);
      progress('history backfill', pagesDone, pagesTotal, 'pages');
    }

    const left = [...states.values()].filter((s) => s.exists && !s.backfillDone && !s.restricted);
    summary.backfillLeft = { streams: left.length, pages: left.reduce((sum, s) => sum + pagesLeft(s), 0) };
    counters.repos_skipped = skipRepos.size;
    counters.repos_failed = failedRepos.size;
    counters.repos_observed = repos.length - skipRepos.size - failedRepos.size;
    summary.status = stop !== null ? 'partial' : 'succeeded';
    summary.message = stop !== null ? `${stop}: ${left.length} streams left to backfill for the next run` : null;
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
  log.info({ runId, status: summary.status, pages: summary.pages, rows: summary.rows, points: counters.graphql_points }, 'history finished');
  return summary;
}
