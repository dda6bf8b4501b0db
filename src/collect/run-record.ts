import { sql, type Kysely } from 'kysely';
import type { CollectRunStatus, Database } from '../db/schema.js';
import type { GitHubClient } from '../github/index.js';

/** What a run did, kept in memory and written with each batch so a crash loses nothing counted. */
export interface RunCounters {
  repos_total: number;
  repos_observed: number;
  repos_failed: number;
  repos_skipped: number;
  graphql_requests: number;
  graphql_points: number;
  rest_requests: number;
  rest_not_modified: number;
  rate_limit_waits: number;
  retries: number;
  batch_size_final: number | null;
  errors: Array<{ repo: string; reason: string }>;
}

export const emptyCounters = (): RunCounters => ({
  repos_total: 0,
  repos_observed: 0,
  repos_failed: 0,
  repos_skipped: 0,
  graphql_requests: 0,
  graphql_points: 0,
  rest_requests: 0,
  rest_not_modified: 0,
  rate_limit_waits: 0,
  retries: 0,
  batch_size_final: null,
  errors: [],
});

/**
 * Opens a run record. Runs still marked running were killed (the caller holds the collector lock,
 * so none is alive): they are closed as interrupted first.
 */
export async function startRun(db: Kysely<Database>, kind: string): Promise<number> {
  await db
    .updateTable('collect_runs')
    .set({ status: 'interrupted', message: 'the process stopped before the run finished' })
    .where('status', '=', 'running')
    .where('kind', '=', kind)
    .execute();
  const { id } = await db.insertInto('collect_runs').values({ kind }).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Writes the counters so far (inside the batch's transaction). */
export async function saveCounters(db: Kysely<Database>, runId: number, counters: RunCounters): Promise<void> {
  await db
    .updateTable('collect_runs')
    .set({ ...counters, errors: JSON.stringify(counters.errors.slice(-500)) })
    .where('id', '=', runId)
    .execute();
}

/** Closes the run with its outcome. */
export async function finishRun(
  db: Kysely<Database>,
  runId: number,
  status: CollectRunStatus,
  counters: RunCounters,
  message: string | null,
): Promise<void> {
  await db
    .updateTable('collect_runs')
    .set({ ...counters, errors: JSON.stringify(counters.errors.slice(-500)), status, message, finished_at: sql<Date>`now()` })
    .where('id', '=', runId)
    .execute();
}

/**
 * Returns a function that copies what the client spent since now into `counters`. The client counts
 * every request on the wire (retries included): its spend is the truth.
 */
export function spendSince(client: GitHubClient, counters: RunCounters): () => void {
  const start = client.budget().spend;
  return () => {
    const spend = client.budget().spend;
    counters.graphql_requests = spend.graphqlRequests - start.graphqlRequests;
    counters.graphql_points = spend.graphqlPoints - start.graphqlPoints;
    counters.rest_requests = spend.restRequests + spend.notModified - (start.restRequests + start.notModified);
    counters.rest_not_modified = spend.notModified - start.notModified;
    counters.rate_limit_waits = spend.rateLimitWaits + spend.secondaryWaits - (start.rateLimitWaits + start.secondaryWaits);
    counters.retries = spend.retries - start.retries;
  };
}
