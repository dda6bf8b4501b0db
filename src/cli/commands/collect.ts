import type { Command } from 'commander';
import { collect, type CollectSummary } from '../../collect/index.js';
import { UsageError } from '../../errors/index.js';
import { GitHubRequestError, createGitHubClient } from '../../github/index.js';
import { progressBar } from '../progress.js';
import { print, withDatabase, type CommandContext } from '../context.js';

interface CollectFlags {
  batchSize?: string;
  contributors: boolean;
}

export function registerCollect(program: Command, context: () => CommandContext): void {
  program
    .command('collect')
    .description('take a snapshot of every tracked repo (batched GraphQL), then refresh contributor counts (REST, daily)')
    .option('--batch-size <n>', 'repos per GraphQL query to start with (shrinks by itself on timeouts)', '100')
    .option('--no-contributors', 'skip the contributor counts')
    .action(async (flags: CollectFlags) => {
      const ctx = context();
      const batchSize = Number(flags.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) {
        throw new UsageError('--batch-size must be a whole number from 1 to 100');
      }
      const client = createGitHubClient({
        apiUrl: ctx.config.github.apiUrl,
        tokens: ctx.config.github.tokens,
        concurrency: ctx.config.github.concurrency,
        budgetShare: ctx.config.github.budgetShare,
        logger: ctx.logger.child({ component: 'github' }),
      });
      await withDatabase(ctx, async ({ db, logger }) => {
        const bar = progressBar(ctx.io.stderr);
        const abort = new AbortController();
        const onSignal = (): void => abort.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const summary = await collect(db, client, {
            logger: logger.child({ job: 'collect' }),
            batchSize,
            contributorsMaxAgeHours: flags.contributors ? 20 : 0,
            concurrency: ctx.config.github.concurrency,
            signal: abort.signal,
            onProgress: (p) => bar.update(p),
          });
          bar.stop();
          print(ctx, describeCollect(summary));
        } catch (err) {
          if (err instanceof GitHubRequestError && err.status === null) {
            throw new GitHubRequestError(null, `${err.message}: check GITHUB_API_URL (${ctx.config.github.apiUrl}) and the network`, { cause: err });
          }
          throw err;
        } finally {
          bar.stop();
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      });
    });
}

/** The end-of-run paragraph a person reads. */
export function describeCollect(s: CollectSummary): string {
  const c = s.counters;
  const parts = [
    `Collect run #${s.runId} ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s:`,
    `${c.repos_observed} of ${c.repos_total} repos observed`,
    c.repos_failed > 0 ? `${c.repos_failed} failed (${s.notFound} not found, ${s.blocked} blocked)` : null,
    c.repos_skipped > 0 ? `${c.repos_skipped} skipped` : null,
    s.renamed.length > 0 ? `${s.renamed.length} renamed (${s.renamed.slice(0, 3).join(', ')}${s.renamed.length > 3 ? ', …' : ''})` : null,
    `${c.graphql_requests} GraphQL requests costing ${c.graphql_points} points`,
    s.contributors
      ? `${s.contributors.checked} contributor counts checked (${s.contributors.notModified} unchanged at no cost${s.contributors.tooLarge > 0 ? `, ${s.contributors.tooLarge} too large to list` : ''})`
      : null,
    `${c.rest_requests} REST requests (${c.rest_not_modified} answered 304)`,
    c.rate_limit_waits > 0 ? `${c.rate_limit_waits} rate-limit waits` : null,
    c.retries > 0 ? `${c.retries} retries` : null,
  ].filter((p): p is string => p !== null);
  const lines = [`${parts[0]} ${parts.slice(1).join('; ')}.`];
  if (s.message) lines.push(s.message);
  if (c.errors.length > 0) lines.push(`See the failures: greenshoots query "select errors from collect_runs where id = ${s.runId}"`);
  return lines.join('\n');
}
