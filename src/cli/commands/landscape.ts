import path from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../../errors/index.js';
import { importList, type ImportOutcome, type ListSource } from '../../landscape/index.js';
import { print, withDatabase, type CommandContext } from '../context.js';

interface ImportFlags {
  file?: string;
  url?: string;
  only?: 'cncf';
  source?: string;
  dryRun?: boolean;
  showSkipped?: boolean;
}

export function registerLandscape(program: Command, context: () => CommandContext): void {
  const landscape = program.command('landscape').description('import the CNCF landscape or your own list of repos');
  landscape
    .command('import')
    .description(
      'read landscape.yml (or a YAML/JSON list of owner/name repos) and update the tracked projects and repos',
    )
    .option('--file <path>', 'read this file (default: LANDSCAPE_FILE, else LANDSCAPE_URL)')
    .option('--url <url>', 'fetch this URL')
    .addOption(new Option('--only <set>', 'import only CNCF projects (sandbox, incubating, graduated, archived)').choices(['cncf']))
    .option('--source <name>', "the list's name: default 'landscape', or the file's base name for a custom list")
    .option('--dry-run', 'read and check the file, print what would change, write nothing')
    .option('--show-skipped', 'list every entry that was left out, with why')
    .action(async (flags: ImportFlags) => {
      const ctx = context();
      if (flags.file && flags.url) throw new UsageError('give --file or --url, not both');
      // Stored as an absolute path: the daily re-import may run from another folder.
      const source: ListSource = flags.file
        ? { file: path.resolve(ctx.io.cwd, flags.file) }
        : flags.url
          ? { url: flags.url }
          : ctx.config.landscape.file
            ? { file: ctx.config.landscape.file }
            : { url: ctx.config.landscape.url };
      await withDatabase(ctx, async ({ db, logger }) => {
        const outcome = await importList(db, {
          source,
          ...(flags.source ? { sourceName: flags.source } : {}),
          onlyCncf: flags.only === 'cncf',
          dryRun: flags.dryRun ?? false,
        });
        logger.info({ source: outcome.sourceName, location: outcome.location, counts: outcome.result?.counts }, 'import finished');
        print(ctx, describeImport(outcome, flags.showSkipped ?? false));
      });
    });
}

/** The import report a person reads: what changed, what was left out and why. */
export function describeImport(outcome: ImportOutcome, showSkipped: boolean): string {
  const { plan, result } = outcome;
  const lines: string[] = [];
  lines.push(
    result
      ? `Imported '${outcome.sourceName}' from ${outcome.location} (import #${result.importId}).`
      : `Dry run of '${outcome.sourceName}' from ${outcome.location}: nothing written.`,
  );
  lines.push(`  items read        ${plan.itemCount}`);
  if (result) {
    const c = result.counts;
    lines.push(
      `  projects          ${plan.projects.length} listed: ${c.projects_added} added, ${c.projects_updated} updated, ` +
        `${c.projects_unchanged} unchanged, ${c.projects_restored} restored, ${c.projects_removed} marked removed`,
    );
    lines.push(`  repos             ${c.repos_listed} listed, ${c.repos_added} new`);
    lines.push(`  repo links        ${c.links_added} added, ${c.links_removed} removed`);
    for (const change of result.maturityChanges) {
      lines.push(`  maturity change   ${change.project}: ${change.from} → ${change.to}`);
    }
  } else {
    lines.push(`  projects          ${plan.projects.length}`);
    lines.push(`  repos             ${plan.repos.length}`);
  }
  const byReason = new Map<string, number>();
  for (const s of plan.skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  if (plan.skipped.length > 0) {
    const reasons = [...byReason].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${n} ${reason}`);
    lines.push(`  skipped           ${plan.skipped.length} entries: ${reasons.join(', ')}`);
  }
  if (plan.mergedNames.length > 0) {
    lines.push(`  merged            ${plan.mergedNames.length} names used by several items: ${plan.mergedNames.join(', ')}`);
  }
  if (plan.withoutRepo.length > 0) {
    lines.push(`  no GitHub repo    ${plan.withoutRepo.length} CNCF projects kept without a repo to watch: ${plan.withoutRepo.join(', ')}`);
  }
  if (plan.sharedRepos.length > 0) {
    lines.push(`  shared repos      ${plan.sharedRepos.length} repos listed by several projects, tracked once`);
  }
  if (plan.normalisedUrls > 0) lines.push(`  normalised URLs   ${plan.normalisedUrls} (http, www., trailing slash, .git, deeper path)`);
  for (const warning of plan.warnings) lines.push(`  warning           ${warning}`);
  if (showSkipped) {
    for (const s of plan.skipped) lines.push(`  - ${s.item}: ${s.reason}${s.url ? ` (${s.url})` : ''}`);
  } else if (plan.skipped.length > 0) {
    lines.push(`  (--show-skipped lists them${result ? `; or: greenshoots query "select skipped from imports where id = ${result.importId}"` : ''})`);
  }
  return lines.join('\n');
}
