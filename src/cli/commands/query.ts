import { Option, type Command } from 'commander';
import { sql } from 'kysely';
import { DatabaseError } from '../../errors/index.js';
import { errorCode } from '../../db/errors.js';
import { OUTPUT_FORMATS, formatRows, type OutputFormat } from '../format.js';
import { print, withDatabase, type CommandContext } from '../context.js';

interface QueryFlags {
  format: OutputFormat;
  write?: boolean;
}

export function registerQuery(program: Command, context: () => CommandContext): void {
  program
    .command('query')
    .description('run SQL against the configured database (embedded or Postgres) and print the result')
    .argument('<sql>', 'the SQL to run; read-only unless --write')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--write', 'allow statements that change data or schema')
    .action(async (text: string, flags: QueryFlags) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        try {
          // A read-only transaction keeps an exploratory query from changing tracked data by mistake.
          const rows = await db.transaction().execute(async (trx) => {
            if (!flags.write) await sql`set transaction read only`.execute(trx);
            const result = await sql.raw<Record<string, unknown>>(text).execute(trx);
            return result.rows ?? [];
          });
          print(ctx, formatRows(rows, flags.format));
        } catch (err) {
          if (errorCode(err) === '25006') {
            throw new DatabaseError('the query changes data, and query is read-only by default: add --write to allow it');
          }
          const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
          throw new DatabaseError(`query failed: ${message}`, { cause: err });
        }
      });
    });
}
