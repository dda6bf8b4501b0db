import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  BudgetExhaustedError,
  GitHubAuthError,
  GitHubNotFoundError,
  GitHubRequestError,
  lastPageFromLink,
  type GitHubClient,
} from '../github/index.js';
import type { Logger } from '../log/logger.js';
import type { RunCounters } from './run-record.js';

/** A contributor count check's result for one repo. */
type Check =
  | { repoId: number; kind: 'counted'; count: number; etag: string | null; servedAt: Date; status: 'ok' | 'empty' }
  | { repoId: number; kind: 'not_modified'; count: number; servedAt: Date }
  | { repoId: number; kind: 'too_large' | 'error'; reason: string; repo: string; at: Date };

export interface ContributorOptions {
  now: Date;
  /** A count younger than this is not asked again (GitHub computes it daily at best). */
  maxAgeHours: number;
  concurrency: number;
  signal?: AbortSignal;
  logger: Logger;
  onProgress?: (done: number, total: number) => void;
}

export interface ContributorSummary {
  due: number;
  checked: number;
  notModified: number;
  tooLarge: number;
  failed: number;
  stoppedForBudget: boolean;
}

const FLUSH_EVERY = 50;

/** Midnight UTC of `date`'s day. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/**
 * Refreshes contributor counts by REST, `/contributors?per_page=1&anon=true`: the Link header's last
 * page is the count (what landscape2 does). Sent with the stored ETag, so an unchanged repo answers
 * 304, which costs no budget. A repo too large for GitHub to list keeps its last good count.
 */
export async function refreshContributorCounts(
  db: Kysely<Database>,
  client: GitHubClient,
  runId: number,
  counters: RunCounters,
  options: ContributorOptions,
): Promise<ContributorSummary> {
  const due = await db
    .selectFrom('tracked_repos')
    .select(['id', 'current_full_name', 'contributors_etag', 'contributors_count'])
    .where('status', '=', 'active')
    .where('current_full_name', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('contributors_checked_at', 'is', null),
        // At most once per UTC day, and not within maxAgeHours: an hourly cadence checks each repo daily.
        eb.and([
          eb('contributors_checked_at', '<', new Date(options.now.getTime() - options.maxAgeHours * 3_600_000)),
          eb('contributors_checked_at', '<', startOfUtcDay(options.now)),
        ]),
      ]),
    )
    .orderBy('contributors_checked_at', (ob) => ob.asc().nullsFirst())
    .orderBy('id')
    .execute();

  const summary: ContributorSummary = { due: due.length, checked: 0, notModified: 0, tooLarge: 0, failed: 0, stoppedForBudget: false };
  let pending: Check[] = [];
  let next = 0;
  let done = 0;
  let fatal: unknown = null;

  const flush = async (): Promise<void> => {
    const checks = pending;
    pending = [];
    if (checks.length > 0) await storeChecks(db, runId, checks);
  };

  const worker = async (): Promise<void> => {
    while (next < due.length && !options.signal?.aborted && !summary.stoppedForBudget && fatal === null) {
      const repo = due[next++] as (typeof due)[number];
      if (client.remainingShare('core') < 1) {
        summary.stoppedForBudget = true;
        break;
      }
      const fullName = repo.current_full_name as string;
      const [owner, name] = fullName.split('/') as [string, string];
      try {
        const res = await client.rest<unknown[]>(
          'GET /repos/{owner}/{repo}/contributors',
          { owner, repo: name, per_page: 1, anon: 'true' },
          { etag: repo.contributors_etag },
        );
        const servedAt = res.servedAt ?? new Date();
        if (res.notModified && repo.contributors_count !== null) {
          summary.notModified++;
          pending.push({ repoId: repo.id, kind: 'not_modified', count: repo.contributors_count, servedAt });
        } else if (res.status === 204 || !res.data || res.data.length === 0) {
          pending.push({ repoId: repo.id, kind: 'counted', count: 0, etag: res.etag, servedAt, status: 'empty' });
        } else {
          const count = lastPageFromLink(res.link) ?? res.data.length;
          pending.push({ repoId: repo.id, kind: 'counted', count, etag: res.etag, servedAt, status: 'ok' });
        }
        summary.checked++;
      } catch (err) {
        if (err instanceof BudgetExhaustedError) {
          summary.stoppedForBudget = true;
          break;
        }
        if (err instanceof GitHubAuthError) {
          fatal = err;
          break;
        }
        if (err instanceof GitHubRequestError && err.status === 403 && /too large/i.test(err.message)) {
          // "The history or contributor list is too large to list contributors for this repository via the API."
          summary.tooLarge++;
          pending.push({ repoId: repo.id, kind: 'too_large', reason: 'contributor list too large for the API: last good count kept', repo: fullName, at: options.now });
          options.logger.info({ repo: fullName }, 'contributor list too large for GitHub to list: keeping the last good count');
        } else {
          summary.failed++;
          const reason = err instanceof GitHubNotFoundError ? 'not found' : err instanceof Error ? err.message : String(err);
          pending.push({ repoId: repo.id, kind: 'error', reason, repo: fullName, at: options.now });
          counters.errors.push({ repo: fullName, reason: `contributors: ${reason}` });
        }
      }
      options.onProgress?.(++done, due.length);
      if (pending.length >= FLUSH_EVERY) await flush();
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  await flush();
  if (fatal) throw fatal;
  return summary;
}

async function storeChecks(db: Kysely<Database>, runId: number, checks: Check[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const points = checks.filter((c): c is Extract<Check, { kind: 'counted' | 'not_modified' }> => c.kind === 'counted' || c.kind === 'not_modified');
    if (points.length > 0) {
      await trx
        .insertInto('repo_contributor_counts')
        .values(points.map((c) => ({ repo_id: c.repoId, observed_at: c.servedAt, run_id: runId, contributors: c.count, not_modified: c.kind === 'not_modified' })))
        .onConflict((oc) => oc.columns(['repo_id', 'observed_at']).doNothing())
        .execute();
    }
    for (const check of checks) {
      if (check.kind === 'counted') {
        await trx
          .updateTable('repos')
          .set({ contributors_count: check.count, contributors_etag: check.etag, contributors_checked_at: check.servedAt, contributors_status: check.status })
          .where('id', '=', check.repoId)
          .execute();
      } else if (check.kind === 'not_modified') {
        await trx.updateTable('repos').set({ contributors_checked_at: check.servedAt, contributors_status: 'ok' }).where('id', '=', check.repoId).execute();
      } else {
        await trx
          .updateTable('repos')
          .set({ contributors_checked_at: check.at, contributors_status: check.kind })
          .where('id', '=', check.repoId)
          .execute();
      }
    }
  });
}
