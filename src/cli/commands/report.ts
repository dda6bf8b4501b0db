import { accessSync, constants, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Maturity } from '../../db/schema.js';
import { GreenshootsError, UsageError } from '../../errors/index.js';
import { buildReport, describeDatabase } from '../../report/index.js';
import { print, withDatabase, type CommandContext } from '../context.js';

/** The report could not be written where --out says (exit 73, EX_CANTCREAT). */
export class ReportWriteError extends GreenshootsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_WRITE', message, { ...options, exitCode: 73 });
  }
}

interface ReportFlags {
  out: string;
  category?: string;
  maturity?: Maturity | 'cncf';
  top: string;
}

export const DEFAULT_REPORT_FILE = 'greenshoots-report.html';

export function registerReport(program: Command, context: () => CommandContext): void {
  program
    .command('report')
    .description('write a self-contained HTML report: the green-shoots ranking, top movers, recent alerts and a chart per project')
    .option('--out <file>', 'the HTML file to write', DEFAULT_REPORT_FILE)
    .option('--category <text>', 'only categories or subcategories containing this text (case-insensitive)')
    .addOption(
      new Option('--maturity <level>', 'only this CNCF maturity').choices(['sandbox', 'incubating', 'graduated', 'archived', 'none', 'cncf']),
    )
    .option('--top <n>', 'projects in the ranking, and charts', '20')
    .action(async (flags: ReportFlags) => {
      const ctx = context();
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 1 || top > 1000) throw new UsageError('--top must be a whole number from 1 to 1000');
      const out = path.resolve(ctx.io.cwd, flags.out);
      // Say so before reading anything: a report that cannot be written is wasted work.
      checkWritable(out);
      await withDatabase(ctx, async ({ db, database }) => {
        const { html, model } = await buildReport(db, {
          top,
          now: new Date(),
          database: describeDatabase(database.kind, database.location),
          ...(flags.category ? { category: flags.category } : {}),
          ...(flags.maturity ? { maturity: flags.maturity } : {}),
        });
        try {
          await writeFile(out, html, 'utf8');
        } catch (err) {
          throw new ReportWriteError(`cannot write ${out} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): choose another --out`, { cause: err });
        }
        const size = `${Math.max(1, Math.round(Buffer.byteLength(html) / 1024)).toLocaleString('en-US')} KB`;
        const summary =
          model.asOf === null
            ? `no data yet: run ${model.projects === 0 ? 'greenshoots landscape import, then ' : ''}greenshoots collect (hourly) and make the report again`
            : `data as of ${model.asOf}: ${plural(model.ranking.length, 'project')} ranked, ${plural(model.alerts.length, 'recent alert')}, ${plural(model.charts.length, 'chart')}`;
        print(ctx, `wrote ${out} (${size})\n${summary}`);
      });
    });
}

/** The folder must exist and be writable, and the file, if there, must be a writable file. */
function checkWritable(file: string): void {
  const dir = path.dirname(file);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
    const existing = statSync(file, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    if (existing) accessSync(file, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const why = code === 'ENOENT' ? `the folder ${dir} does not exist` : code === 'EISDIR' ? `${file} is a folder` : code;
    throw new ReportWriteError(`cannot write ${file} (${why}): choose another --out`, { cause: err });
  }
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
