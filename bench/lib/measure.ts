/**
 * One collect, measured twice over: what the collector recorded in `collect_runs` (GraphQL points
 * are the sum of `rateLimit { cost }` of its queries) and what the simulator saw on the wire.
 */
import type { Simulator, StatsSnapshot } from '../../test/simulator/index.js';
import { collect } from '../../src/collect/index.js';
import { openDatabase } from '../../src/db/connect.js';
import { createGitHubClient } from '../../src/github/index.js';
import { createLogger } from '../../src/log/logger.js';
import { runCli, type MemoryPeaks } from './cli-run.js';
import type { BenchDatabase } from './databases.js';

const CONTRIBUTORS_ROUTE = 'GET /repos/:owner/:repo/contributors';

/** What the simulator counted, minus the free `GET /rate_limit`. */
export interface WireCounts {
  graphqlRequests: number;
  graphqlPoints: number;
  /** REST answers charged to the core budget (not 304, not /rate_limit). */
  restCharged: number;
  notModified: number;
  contributorRequests: number;
  /** Answers other than 200/204/304, by status. */
  errors: Record<string, number>;
  exhaustedBudgetRequests: number;
}

/** What the collector recorded for its run. */
export interface RunCounts {
  status: string;
  reposTotal: number;
  reposObserved: number;
  reposFailed: number;
  graphqlRequests: number;
  graphqlPoints: number;
  /** Charged REST requests (collect_runs.rest_requests counts 304s too). */
  restCharged: number;
  notModified: number;
  collectorMs: number;
}

export interface CollectMeasurement {
  label: string;
  db: BenchDatabase['kind'];
  simulatedAt: string;
  run: RunCounts;
  wire: WireCounts;
  /** CLI runs only: process wall time (start-up included) and memory peaks. */
  wallMs: number | null;
  memory: MemoryPeaks | null;
}

export function wireCounts(s: StatsSnapshot): WireCounts {
  const rateLimit = s.byRoute['GET /rate_limit'] ?? 0;
  const errors: Record<string, number> = {};
  for (const [status, n] of Object.entries(s.byStatus)) if (!['200', '204', '304'].includes(status)) errors[status] = n;
  return {
    graphqlRequests: s.graphqlRequests,
    graphqlPoints: s.graphqlPoints,
    // A request on a spent budget answers 403 and is not charged.
    restCharged: s.restRequests - s.notModified - rateLimit - s.exhaustedBudgetRequests,
    notModified: s.notModified,
    contributorRequests: s.byRoute[CONTRIBUTORS_ROUTE] ?? 0,
    errors,
    exhaustedBudgetRequests: s.exhaustedBudgetRequests,
  };
}

/** The newest snapshot run's counters (history runs share the table). */
export async function readLastRun(database: BenchDatabase): Promise<RunCounts> {
  const handle = await openDatabase(database.config);
  try {
    const row = await handle.db.selectFrom('collect_runs').selectAll().where('kind', '=', 'snapshot').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    return {
      status: row.status,
      reposTotal: row.repos_total,
      reposObserved: row.repos_observed,
      reposFailed: row.repos_failed,
      graphqlRequests: row.graphql_requests,
      graphqlPoints: row.graphql_points,
      restCharged: row.rest_requests - row.rest_not_modified,
      notModified: row.rest_not_modified,
      collectorMs: row.finished_at ? new Date(row.finished_at).getTime() - new Date(row.started_at).getTime() : Number.NaN,
    };
  } finally {
    await handle.close();
  }
}

/** The tracked repos' names, as the collector asks for them. */
export async function trackedRepoNames(database: BenchDatabase): Promise<string[]> {
  const handle = await openDatabase(database.config);
  try {
    const rows = await handle.db.selectFrom('tracked_repos').select(['owner', 'name', 'current_full_name']).orderBy('id').execute();
    return rows.map((r) => r.current_full_name ?? `${r.owner}/${r.name}`);
  } finally {
    await handle.close();
  }
}

let collectArgs: string[] | null = null;

/**
 * `collect`, without the history backfill where the CLI has one (`--no-history`): history spends
 * whatever budget the snapshot leaves, by design, so it would hide the snapshot's own cost.
 */
async function collectCommand(): Promise<string[]> {
  if (collectArgs === null) {
    const help = await runCli(['collect', '--help'], {});
    collectArgs = help.stdout.includes('--no-history') ? ['collect', '--no-history'] : ['collect'];
  }
  return collectArgs;
}

/** `greenshoots collect` as a child process with default settings (GraphQL spaced 1 s apart). */
export async function measureCliCollect(label: string, database: BenchDatabase, sim: Simulator, token: string): Promise<CollectMeasurement> {
  const args = await collectCommand();
  sim.stats.reset();
  const child = await runCli(args, { ...database.env, GITHUB_API_URL: sim.url, GITHUB_TOKEN: token, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const wire = wireCounts(sim.stats.snapshot());
  return { label, db: database.kind, simulatedAt: sim.clock.now().toISOString(), run: await readLastRun(database), wire, wallMs: child.wallMs, memory: child.memory };
}

/**
 * The same collect in this process, with GraphQL spacing off so a simulated day of 24 runs takes
 * seconds. Budget figures are the same as the CLI's; wall time is not reported from these runs.
 */
export async function measureInProcessCollect(label: string, database: BenchDatabase, sim: Simulator, token: string): Promise<CollectMeasurement> {
  sim.stats.reset();
  const logger = createLogger({ level: 'silent' });
  const client = createGitHubClient({ apiUrl: sim.url, tokens: [token], concurrency: 2, budgetShare: 1, logger, graphqlSpacingMs: 0 });
  const handle = await openDatabase(database.config);
  try {
    // The CLI's settings (src/cli/commands/collect.ts): batches of 100, contributors when 20 h old.
    const summary = await collect(handle.db, client, { logger, batchSize: 100, contributorsMaxAgeHours: 20, concurrency: 2 });
    const c = summary.counters;
    const run: RunCounts = {
      status: summary.status,
      reposTotal: c.repos_total,
      reposObserved: c.repos_observed,
      reposFailed: c.repos_failed,
      graphqlRequests: c.graphql_requests,
      graphqlPoints: c.graphql_points,
      restCharged: c.rest_requests - c.rest_not_modified,
      notModified: c.rest_not_modified,
      collectorMs: summary.durationMs,
    };
    return { label, db: database.kind, simulatedAt: sim.clock.now().toISOString(), run, wire: wireCounts(sim.stats.snapshot()), wallMs: null, memory: null };
  } finally {
    await handle.close();
  }
}

/** Differences between what the collector recorded and what the simulator served; empty when they agree. */
export function crossCheck(m: CollectMeasurement): string[] {
  const problems: string[] = [];
  const expect = (what: string, recorded: number, served: number): void => {
    if (recorded !== served) problems.push(`${m.db} ${m.label}: ${what} recorded ${recorded}, simulator served ${served}`);
  };
  expect('GraphQL requests', m.run.graphqlRequests, m.wire.graphqlRequests);
  expect('GraphQL points', m.run.graphqlPoints, m.wire.graphqlPoints);
  expect('charged REST requests', m.run.restCharged, m.wire.restCharged);
  expect('304 answers', m.run.notModified, m.wire.notModified);
  if (m.wire.exhaustedBudgetRequests > 0) problems.push(`${m.db} ${m.label}: ${m.wire.exhaustedBudgetRequests} requests on a spent budget`);
  if (m.run.status !== 'succeeded') problems.push(`${m.db} ${m.label}: run ${m.run.status}`);
  return problems;
}
