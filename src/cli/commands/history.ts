import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { runHistory, type HistorySummary } from '../../history/index.js';
import { progressBar } from '../progress.js';
import { githubClient, print, untilInterrupted, withDatabase, type CommandContext } from '../context.js';

interface BackfillFlags {
  repos?: string;
  horizon?: string;
  pagesPerQuery: string;
}

export function registerHistory(program: Command, context: () => CommandContext): void {
  const history = program.command('history').description('event history of the tracked repos: forks, releases, commits, and stars where GitHub lists them');
  history
    .command('backfill')
    .description('read each repo\'s history back to the horizon now, page by page (resumable), within the budget share')
    .option('--repos <list>', 'only these repos, comma-separated owner/name')
    .option('--horizon <days>', 'how many days back, or all (default HISTORY_HORIZON_DAYS)')
    .option('--pages-per-query <n>', 'pages of 100 items per GraphQL query (1-100; a full query costs 1 point)', '100')
    .action(async (flags: BackfillFlags) => {
      const ctx = context();
      const horizonDays = flags.horizon === undefined ? ctx.config.history.horizonDays : parseHorizon(flags.horizon);
      const repos = flags.repos?.split(',').map((r) => r.trim()).filter((r) => r !== '');
      if (repos?.some((r) => !/^[\w.-]+\/[\w.-]+$/.test(r))) throw new UsageError('--repos takes owner/name entries separated by commas');
      const pagesPerQuery = Number(flags.pagesPerQuery);
      if (!Number.isInteger(pagesPerQuery) || pagesPerQuery < 1 || pagesPerQuery > 100) throw new UsageError('--pages-per-query must be a whole number from 1 to 100');
      const client = githubClient(ctx);
      await withDatabase(ctx, async ({ db, logger }) => {
        const bar = progressBar(ctx.io.stderr);
        try {
          await untilInterrupted(async (signal) => {
            const summary = await runHistory(db, client, {
              logger: logger.child({ job: 'history' }),
              horizonDays,
              pagesPerQuery,
              ...(repos && repos.length > 0 ? { repos } : {}),
              signal,
              onProgress: (p) => bar.update(p),
            });
            bar.stop();
            print(ctx, describeHistory(summary));
          });
        } finally {
          bar.stop();
        }
      });
    });
}

/** `--horizon`: a whole number of days, or `all`. */
export function parseHorizon(text: string): number | null {
  if (text.trim().toLowerCase() === 'all') return null;
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1) throw new UsageError('--horizon must be a whole number of days (1 or more), or all');
  return days;
}

const n = (x: number): string => x.toLocaleString('en-US');

/** The end-of-run paragraph a person reads. */
export function describeHistory(s: HistorySummary): string {
  const c = s.counters;
  const rows = s.rows;
  const parts = [
    `History run #${s.runId} ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s:`,
    `${n(s.repos)} repos, back to ${s.horizonAt ? s.horizonAt.toISOString().slice(0, 10) : 'the first item'}`,
    `${n(s.pages.probe)} newest pages, ${n(s.pages.catchup)} catch-up pages, ${n(s.pages.backfill)} backfill pages`,
    `new rows: ${n(rows.forks)} forks, ${n(rows.releases)} releases, ${n(rows.commits)} commits, ${n(rows.stars)} stars`,
    s.restricted > 0 ? `${n(s.restricted)} star lists refused by GitHub (asked again in 30 days)` : null,
    s.drift > 0 ? `${n(s.drift)} streams drifted from GitHub's count (see greenshoots status)` : null,
    `${n(c.graphql_requests)} GraphQL requests costing ${n(c.graphql_points)} points`,
    c.repos_failed > 0 ? `${n(c.repos_failed)} repos with failed pages` : null,
    s.backfillLeft.streams > 0 ? `backfill left: ${n(s.backfillLeft.streams)} streams, about ${n(s.backfillLeft.pages)} pages` : 'backfill complete to the horizon',
  ].filter((p): p is string => p !== null);
  const lines = [`${parts[0]} ${parts.slice(1).join('; ')}.`];
  if (s.message) lines.push(s.message);
  if (c.errors.length > 0) lines.push(`See the failures: greenshoots query "select errors from collect_runs where id = ${s.runId}"`);
  return lines.join('\n');
}
