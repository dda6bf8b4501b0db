import type { Command } from 'commander';
import { refreshTrends, type RefreshResult } from '../../trends/index.js';
import { print, withDatabase, type CommandContext } from '../context.js';

interface RefreshFlags {
  full?: boolean;
  compact: boolean;
}

export function registerTrends(program: Command, context: () => CommandContext): void {
  const trends = program.command('trends').description('the trend tables (repo_daily, repo_trends, project_trends, green_shoots)');
  trends
    .command('refresh')
    .description('bring the trend tables up to date with what was collected (collect does this after every run)')
    .option('--full', 'recompute everything, not only what changed since the last refresh')
    .option('--no-compact', `skip compacting hourly snapshots older than RETENTION_DAYS to one per day`)
    .action(async (flags: RefreshFlags) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db, logger }) => {
        const result = await refreshTrends(db, {
          full: flags.full === true,
          workers: ctx.config.trends.workers,
          ...(flags.compact ? { retentionDays: ctx.config.trends.retentionDays } : {}),
          logger: logger.child({ job: 'trends' }),
        });
        print(ctx, describeRefresh(result, ctx.config.trends.retentionDays));
      });
    });
}

/** The one paragraph a person reads after a refresh. */
export function describeRefresh(r: RefreshResult, retentionDays: number): string {
  const parts = [
    `Trends refreshed (${r.mode}) in ${(r.durationMs / 1000).toFixed(1)} s:`,
    `${r.repos} repo${r.repos === 1 ? '' : 's'} recomputed (${r.days} daily rows), ${r.projects} projects`,
  ];
  if (r.compacted && r.compacted.deleted > 0) {
    parts.push(`; ${r.compacted.deleted} snapshots older than ${retentionDays} days compacted to one per day`);
  }
  const lines = [`${parts[0]} ${parts.slice(1).join('')}.`];
  if (r.projects === 0 && r.repos === 0) lines.push('Nothing collected yet: run greenshoots collect first.');
  else if (r.repos === 0) lines.push('Nothing new since the last refresh.');
  return lines.join('\n');
}
