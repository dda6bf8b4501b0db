import type { Command } from 'commander';
import { type CollectSummary } from '../../collect/index.js';
import { collectPass } from '../../collect/pass.js';
import type { CheckAlertsResult } from '../../alerts/index.js';
import { describeRefresh } from './trends.js';
import { UsageError } from '../../errors/index.js';
import { progressBar } from '../progress.js';
import { githubClient, print, untilInterrupted, withDatabase, type CommandContext } from '../context.js';
import { describeHistory } from './history.js';

interface CollectFlags {
  batchSize?: string;
  contributors: boolean;
  history: boolean;
}

export function registerCollect(program: Command, context: () => CommandContext): void {
  program
    .command('collect')
    .description('take a snapshot of every tracked repo (batched GraphQL), refresh contributor counts (REST, daily), then read new history (forks, releases, commits, stars) and push its backfill on within the budget')
    .option('--batch-size <n>', 'repos per GraphQL query to start with (shrinks by itself on timeouts)', '100')
    .option('--no-contributors', 'skip the contributor counts')
    .option('--no-history', 'skip the history (snapshots and contributor counts only)')
    .action(async (flags: CollectFlags) => {
      const ctx = context();
      const batchSize = Number(flags.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) {
        throw new UsageError('--batch-size must be a whole number from 1 to 100');
      }
      const client = githubClient(ctx);
      await withDatabase(ctx, async ({ db, logger }) => {
        const bar = progressBar(ctx.io.stderr);
        try {
          await untilInterrupted(async (signal) => {
            await collectPass(db, client, ctx.config, {
              logger: logger.child({ job: 'collect' }),
              batchSize,
              contributors: flags.contributors,
              history: flags.history,
              signal,
              onProgress: (p) => bar.update(p),
              onStep: (step) => {
                bar.stop();
                if (step.snapshots) print(ctx, describeCollect(step.snapshots));
                if (typeof step.history === 'string') print(ctx, `History skipped: ${step.history}.`);
                else if (step.history) print(ctx, describeHistory(step.history));
                if (step.trends) print(ctx, describeRefresh(step.trends, ctx.config.trends.retentionDays));
                if (step.alerts) print(ctx, describeAlertCheck(step.alerts));
              },
            });
          });
        } finally {
          bar.stop();
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

/** One line on the alert check that ends a collect. */
function describeAlertCheck(r: CheckAlertsResult): string {
  const created = r.created.length;
  return created > 0
    ? `Alerts: ${created} new (${r.created.map((a) => `${a.repo ?? a.project ?? '?'} ${a.kind}`).slice(0, 5).join(', ')}${created > 5 ? ', …' : ''}): greenshoots alerts list`
    : `Alerts: nothing new over ${r.from} … ${r.through}${r.lackingBaseline > 0 ? ` (${r.lackingBaseline} repo signals lack a baseline yet)` : ''}.`;
}
