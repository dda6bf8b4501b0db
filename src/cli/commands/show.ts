import { Option, type Command } from 'commander';
import { InputError, UsageError } from '../../errors/index.js';
import type { RepoTrendsTable } from '../../db/schema.js';
import { repoReport } from '../../trends/queries.js';
import { sparkline } from '../../trends/sparkline.js';
import { OUTPUT_FORMATS, formatCount, formatFixed, formatPercent, formatRows, formatSigned, type OutputFormat } from '../format.js';
import { print, withDatabase, type CommandContext } from '../context.js';

interface ShowFlags {
  days: string;
  format: OutputFormat;
}

export function registerShow(program: Command, context: () => CommandContext): void {
  program
    .command('show')
    .description("one repo's trends and its recent daily series")
    .argument('<owner/name>', 'the repository, e.g. kubernetes/kubernetes')
    .option('--days <n>', 'days of the daily series to show', '30')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .action(async (name: string, flags: ShowFlags) => {
      const ctx = context();
      const days = Number(flags.days);
      if (!Number.isInteger(days) || days < 1 || days > 3660) throw new UsageError('--days must be a whole number from 1 to 3660');
      if (!/^[\w.-]+\/[\w.-]+$/.test(name.trim())) throw new UsageError(`"${name}" is not owner/name (e.g. kubernetes/kubernetes)`);
      await withDatabase(ctx, async ({ db }) => {
        const report = await repoReport(db, name, days);
        if (!report) throw new InputError(`${name} is not a tracked repo (greenshoots projects list shows them; add it to your list and import it)`);
        if (!report.trends) {
          throw new InputError(`no trends for ${report.name} yet: run greenshoots collect, then greenshoots trends refresh`);
        }
        if (flags.format === 'json') {
          print(ctx, formatRows([{ trends: report.trends, daily: report.daily }], 'json'));
          return;
        }
        if (flags.format === 'csv') {
          print(ctx, formatRows(report.daily as unknown as Array<Record<string, unknown>>, 'csv'));
          return;
        }
        print(ctx, describeTrends(report.name, report.trends));
        print(ctx, `\nNew stars, last ${report.daily.length} days: ${sparkline(report.daily.map((d) => d.stars_new))}\n`);
        const columns = ['day', 'stars', 'stars_new', 'stars_source', 'forks', 'forks_new', 'contributors', 'new_contributors', 'commits', 'releases', 'open_issues', 'open_prs'];
        print(ctx, formatRows(report.daily as unknown as Array<Record<string, unknown>>, 'table', columns));
      });
    });
}

const n = formatCount;
const pct = formatPercent;
const signed = formatSigned;
const fixed = formatFixed;

/** The trends as labelled lines; '—' is a figure without enough data (NULL). */
export function describeTrends(name: string, t: RepoTrendsTable): string {
  const home = t.project ? ` — ${t.project} (${[t.maturity, t.category].filter(Boolean).join(', ')})` : '';
  return [
    `${name}${home}`,
    `as of ${t.as_of} (data since ${t.first_day}; ${t.coverage_days} of the last 90 days observed)`,
    '',
    `stars         ${n(t.stars)}   1d ${signed(t.stars_gained_1d)}   7d ${signed(t.stars_gained_7d)} (${pct(t.stars_growth_7d)})   30d ${signed(t.stars_gained_30d)} (${pct(t.stars_growth_30d)})   90d ${signed(t.stars_gained_90d)} (${pct(t.stars_growth_90d)})`,
    `              annualised ${pct(t.stars_growth_annualised)}   ${fixed(t.stars_per_day_7d, 1)}/day last 7d vs ${fixed(t.stars_per_day_prior_28d, 1)}/day the 28 before: acceleration ${fixed(t.stars_acceleration, 2, 'x')}`,
    `              30d growth percentile: ${fixed(t.stars_growth_30d_pct_category, 0)} in category, ${fixed(t.stars_growth_30d_pct_maturity, 0)} in maturity`,
    `forks         ${n(t.forks)}   7d ${signed(t.forks_gained_7d)}   30d ${signed(t.forks_gained_30d)} (${pct(t.forks_growth_30d)})   acceleration ${fixed(t.forks_acceleration, 2, 'x')}`,
    `contributors  new ${n(t.new_contributors_30d)} in 30d (${n(t.new_contributors_prev_30d)} the 30 before), ${n(t.new_contributors_90d)} in 90d (${n(t.new_contributors_prev_90d)} before); active ${n(t.active_contributors_30d)} in 30d (${n(t.active_contributors_prev_30d)} before)`,
    `commits       ${n(t.commits_30d)} in 30d, ${n(t.commits_365d)} in 365d; bus factor ${n(t.bus_factor)}`,
    `releases      ${n(t.releases_365d)} in 365d, median ${fixed(t.release_interval_median_days, 0, ' days')} apart; last ${t.days_since_last_release === null ? '—' : `${t.days_since_last_release} days ago`}; last push ${t.days_since_last_push === null ? '—' : `${t.days_since_last_push} days ago`}`,
  ].join('\n');
}
