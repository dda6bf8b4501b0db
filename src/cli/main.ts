import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { GreenshootsError, messageOf } from '../errors/index.js';
import { GitHubRequestError } from '../github/index.js';
import { registerAlerts } from './commands/alerts.js';
import { registerCollect } from './commands/collect.js';
import { registerHistory } from './commands/history.js';
import { registerLandscape } from './commands/landscape.js';
import { registerMigrate } from './commands/migrate.js';
import { registerProjects } from './commands/projects.js';
import { registerQuery } from './commands/query.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerStart } from './commands/start.js';
import { registerShow } from './commands/show.js';
import { registerStatus } from './commands/status.js';
import { registerTop } from './commands/top.js';
import { registerTrends } from './commands/trends.js';
import { createContext, type CliIO, type CommandContext } from './context.js';

/** Runs the greenshoots command line and returns the exit code; never throws. */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const fullIO: CliIO = {
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
  let context: CommandContext | null = null;
  const getContext = (): CommandContext => (context ??= createContext(fullIO));

  const program = buildProgram(getContext, fullIO);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (thrown) {
    let err: unknown = thrown;
    if (err instanceof CommanderError) {
      // --help and --version end with code 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 64;
    }
    if (err instanceof GitHubRequestError && err.status === null && context) {
      // No answer at all: most often a wrong GITHUB_API_URL or no network.
      err = new GitHubRequestError(null, `${(err as GitHubRequestError).message}: check GITHUB_API_URL (${(context as CommandContext).config.github.apiUrl}) and the network`, { cause: err });
    }
    const code = err instanceof GreenshootsError ? err.exitCode : 1;
    const known = err instanceof GreenshootsError;
    fullIO.stderr.write(`greenshoots: ${oneLine(known ? (err as GreenshootsError).message : `unexpected error: ${messageOf(err)}`)}\n`);
    if (!known) {
      const ctx = context as CommandContext | null;
      ctx?.logger.error({ err }, 'command failed');
    }
    return code;
  } finally {
    const ctx = context as CommandContext | null;
    ctx?.logger.flush();
  }
}

function buildProgram(getContext: () => CommandContext, io: CliIO): Command {
  const program = new Command('greenshoots')
    .description('Watch GitHub traction of the CNCF landscape (or your own repo list) in Postgres.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`greenshoots: ${oneLine(text.replace(/^error: /, ''))} (see --help)\n`),
    });
  registerMigrate(program, getContext);
  registerLandscape(program, getContext);
  registerCollect(program, getContext);
  registerHistory(program, getContext);
  registerProjects(program, getContext);
  registerQuery(program, getContext);
  registerStatus(program, getContext);
  registerTrends(program, getContext);
  registerTop(program, getContext);
  registerShow(program, getContext);
  registerReport(program, getContext);
  registerStart(program, getContext);
  registerRun(program, getContext);
  registerAlerts(program, getContext);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    if (pkg.version) return pkg.version;
  } catch {
    // running from src/ in tests: one level less
  }
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
