import type { Command } from 'commander';
import { openDatabase } from '../../db/connect.js';
import { migrate } from '../../db/migrate.js';
import { print, type CommandContext } from '../context.js';

export function registerMigrate(program: Command, context: () => CommandContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations (every other command does this first)')
    .action(async () => {
      const ctx = context();
      const database = await openDatabase(ctx.config.database);
      try {
        const { applied, version } = await migrate(database.db);
        print(
          ctx,
          applied.length > 0
            ? `Applied ${applied.length} migration(s) to ${database.kind} (${database.location}): ${applied.join(', ')}; schema is at ${version}.`
            : `Nothing to apply: ${database.kind} (${database.location}) is at ${version}.`,
        );
      } finally {
        await database.close();
      }
    });
}
