import { Option, type Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { TOP_ORDERS, topProjects, type TopOrder, type TopRow } from '../../trends/queries.js';
import { sparkline } from '../../trends/sparkline.js';
import { OUTPUT_FORMATS, formatRows, type OutputFormat } from '../format.js';
import { print, withDatabase, type CommandContext } from '../context.js';

interface TopFlags {
  by: TopOrder;
  category?: string;
  maturity?: 'sandbox' | 'incubating' | 'graduated' | 'archived' | 'none' | 'cncf';
  limit: string;
  format: OutputFormat;
}

export function registerTop(program: Command, context: () => CommandContext): void {
  program
    .command('top')
    .description('projects ranked by a trend, with a sparkline of their new stars over the last 30 days')
    .addOption(new Option('--by <metric>', 'what to rank by').choices(Object.keys(TOP_ORDERS)).default('green_shoots'))
    .option('--category <text>', 'only categories or subcategories containing this text (case-insensitive)')
    .addOption(
      new Option('--maturity <level>', 'only this CNCF maturity').choices(['sandbox', 'incubating', 'graduated', 'archived', 'none', 'cncf']),
    )
    .option('--limit <n>', 'how many projects', '20')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .action(async (flags: TopFlags) => {
      const ctx = context();
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be a whole number from 1 to 10000');
      await withDatabase(ctx, async ({ db }) => {
        const rows = await topProjects(db, {
          by: flags.by,
          limit,
          ...(flags.category ? { category: flags.category } : {}),
          ...(flags.maturity ? { maturity: flags.maturity } : {}),
        });
        if (rows.length === 0 && flags.format === 'table') {
          const needs = NEEDS[flags.by] ?? 'more data';
          print(ctx, `No project has a ${flags.by} figure yet: it needs ${needs}. Collect more (greenshoots collect runs hourly)${flags.by === 'stars_7d' ? '' : ', or try --by stars_7d'}.`);
          return;
        }
        print(ctx, flags.format === 'table' ? formatRows(rows.map(tableRow), 'table') : formatRows(rows.map(dataRow), flags.format));
      });
    });
}

/** What a ranking needs before any project has the figure (docs/metrics.md). */
const NEEDS: Partial<Record<TopOrder, string>> = {
  green_shoots: 'a 30-day star gain (snapshots 30 days apart)',
  stars_30d: 'snapshots 30 days apart',
  growth_30d: 'snapshots 30 days apart',
  acceleration: 'snapshots 35 days apart',
  stars_7d: 'snapshots 7 days apart',
  growth_7d: 'snapshots 7 days apart',
  forks_30d: 'snapshots 30 days apart',
  new_contributors_90d: 'commit history covering 90 days',
  releases_365d: 'release history covering a year',
};

/** For people: rounded, with units, and the sparkline. */
function tableRow(r: TopRow): Record<string, unknown> {
  return {
    '#': r.rank,
    project: r.project,
    maturity: r.maturity,
    category: r.category,
    score: r.score,
    stars: r.stars,
    '+7d': r.stars_gained_7d,
    '+30d': r.stars_gained_30d,
    growth_30d: r.stars_growth_30d === null ? null : `${(r.stars_growth_30d * 100).toFixed(1)}%`,
    accel: r.stars_acceleration === null ? null : `${r.stars_acceleration.toFixed(2)}x`,
    new_contrib_90d: r.new_contributors_90d,
    releases_1y: r.releases_365d,
    'new stars, last 30 days': sparkline(r.last_30d),
  };
}

/** For programs: the raw figures, and the daily series as numbers. */
function dataRow(r: TopRow): Record<string, unknown> {
  return { ...r };
}
