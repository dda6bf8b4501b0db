import type { Command } from 'commander';
import { sql } from 'kysely';
import { schemaVersion } from '../../db/migrate.js';
import { print, withDatabase, type CommandContext, githubClient } from '../context.js';
import { collectStatus, describeCollectStatus } from './status-collect.js';
import { describeHistoryStatus, historyStatus } from './status-history.js';
import { describeBudget, describeJobsStatus, jobsStatus } from './status-jobs.js';
import { alertsStatus, describeAlertsStatus } from './status-alerts.js';

export function registerStatus(program: Command, context: () => CommandContext): void {
  program
    .command('status')
    .description('show the database in use, its schema version, what is tracked and the last import')
    .option('--json', 'print the status as JSON')
    .option('--budget', "also ask GitHub for each token's budget left (GET /rate_limit, free)")
    .action(async (flags: { json?: boolean; budget?: boolean }) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db, database }) => {
        const version = await schemaVersion(db);
        const maturity = await db
          .selectFrom('projects')
          .select(['maturity', sql<number>`count(*)`.as('n')])
          .where('removed_at', 'is', null)
          .groupBy('maturity')
          .execute();
        const removed = await db
          .selectFrom('projects')
          .select(sql<number>`count(*)`.as('n'))
          .where('removed_at', 'is not', null)
          .executeTakeFirstOrThrow();
        const tracked = await db.selectFrom('tracked_repos').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
        const repoStatus = await db
          .selectFrom('repos')
          .select(['status', sql<number>`count(*)`.as('n')])
          .groupBy('status')
          .orderBy('status')
          .execute();
        const lastImport = await db
          .selectFrom('imports')
          .selectAll()
          .where('finished_at', 'is not', null)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();

        const collector = await collectStatus(db);
        const history = await historyStatus(db);
        const jobs = await jobsStatus(db, ctx.config);
        const alerts = await alertsStatus(db, ctx.config);
        const budget = flags.budget
          ? await githubClient(ctx).refreshBudget()
          : null;
        const status = {
          database: { kind: database.kind, location: database.location, schema_version: version },
          projects: {
            active: maturity.reduce((sum, row) => sum + row.n, 0),
            by_maturity: Object.fromEntries(maturity.map((row) => [row.maturity, row.n])),
            removed: removed.n,
          },
          repos: { tracked: tracked.n, by_status: Object.fromEntries(repoStatus.map((row) => [row.status, row.n])) },
          last_import: lastImport
            ? {
                id: lastImport.id,
                source: lastImport.source,
                location: lastImport.location,
                finished_at: lastImport.finished_at,
                counts: lastImport.counts,
              }
            : null,
          collect: collector,
          history,
          jobs,
          alerts,
          ...(budget ? { github: budget.tokens } : {}),
        };
        if (flags.json) {
          print(ctx, JSON.stringify(status, null, 2));
          return;
        }
        const order = ['graduated', 'incubating', 'sandbox', 'archived', 'none'];
        const byMaturity = order
          .filter((m) => status.projects.by_maturity[m] !== undefined)
          .map((m) => `${status.projects.by_maturity[m]} ${m}`)
          .join(', ');
        const lines = [
          `database      ${database.kind} — ${database.location}`,
          `schema        ${version ?? 'empty'}`,
          `projects      ${status.projects.active} active (${byMaturity || 'none yet'}), ${status.projects.removed} removed`,
          `repos         ${tracked.n} tracked; by status: ${repoStatus.map((r) => `${r.n} ${r.status}`).join(', ') || 'none'}`,
          lastImport
            ? `last import   #${lastImport.id} '${lastImport.source}' from ${lastImport.location} at ${lastImport.finished_at?.toISOString()}`
            : `last import   none yet: run 'greenshoots landscape import'`,
          ...describeCollectStatus(collector),
          ...describeHistoryStatus(history),
          ...describeJobsStatus(jobs),
          ...describeAlertsStatus(alerts),
          ...(budget ? describeBudget(budget) : []),
        ];
        print(ctx, lines.join('\n'));
      });
    });
}
