import { Option, type Command } from 'commander';
import { sql } from 'kysely';
import { OUTPUT_FORMATS, formatRows, type OutputFormat } from '../format.js';
import { print, withDatabase, type CommandContext } from '../context.js';

interface ListFlags {
  maturity?: string;
  category?: string;
  source?: string;
  removed?: boolean;
  format: OutputFormat;
}

export function registerProjects(program: Command, context: () => CommandContext): void {
  const projects = program.command('projects').description('the tracked projects');
  projects
    .command('list')
    .description('list projects with their maturity, category and repos')
    .addOption(
      new Option('--maturity <level>', 'only this CNCF maturity').choices([
        'sandbox',
        'incubating',
        'graduated',
        'archived',
        'none',
        'cncf',
      ]),
    )
    .option('--category <text>', 'only categories or subcategories containing this text (case-insensitive)')
    .option('--source <name>', "only this list (e.g. 'landscape')")
    .option('--removed', 'include projects no longer on their list')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .action(async (flags: ListFlags) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        let query = db
          .selectFrom('projects as p')
          .select([
            'p.name',
            'p.maturity',
            'p.category',
            'p.subcategory',
            'p.source',
            sql<string>`(select string_agg(coalesce(r.current_full_name, r.owner || '/' || r.name), ' '
                         order by pr.role desc, r.full_name_key)
                         from project_repos pr join repos r on r.id = pr.repo_id
                         where pr.project_id = p.id and pr.removed_at is null)`.as('repos'),
            sql<string | null>`to_char(p.removed_at at time zone 'UTC', 'YYYY-MM-DD')`.as('removed_on'),
          ])
          .orderBy('p.name');
        if (flags.maturity === 'cncf') query = query.where('p.maturity', '!=', 'none');
        else if (flags.maturity) query = query.where('p.maturity', '=', flags.maturity as 'none');
        if (flags.category) {
          const pattern = `%${flags.category.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query = query.where((eb) => eb.or([eb('p.category', 'ilike', pattern), eb('p.subcategory', 'ilike', pattern)]));
        }
        if (flags.source) query = query.where('p.source', '=', flags.source);
        if (!flags.removed) query = query.where('p.removed_at', 'is', null);
        const rows = await query.execute();
        const columns = ['name', 'maturity', 'category', 'subcategory', 'repos', ...(flags.removed ? ['removed_on'] : [])];
        print(ctx, formatRows(rows, flags.format, columns));
      });
    });
}
