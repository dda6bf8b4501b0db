/**
 * The collector benchmark: greenshoots against the GitHub simulator with the landscape's repos.
 *
 *   npm run build && npx tsx bench/collect.bench.ts [--db pglite|postgres|both] [--pg-url URL] [--no-write]
 *
 * Per database: the real CLI (`node bin/greenshoots.js collect`, default settings) for a first full
 * collect, an hourly run one simulated hour later and a run a simulated day later, each with wall
 * time and peak RSS; then a simulated day of 24 hourly runs in-process (GraphQL spacing off, budget
 * figures unchanged). Once: a naive REST-per-repo collector of the same fields in the same hour.
 * Loopback only; writes docs/benchmarks.md unless --no-write.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { collectNaive, type NaiveCache } from './naive-rest-collector.js';
import { REPO_ROOT, removeCliCopy, runCli, runNode } from './lib/cli-run.js';
import { createBenchDatabase, type BenchDatabase, type BenchDbKind } from './lib/databases.js';
import { PGLITE_SETTINGS } from '../src/db/connect.js';
import { crossCheck, measureCliCollect, measureInProcessCollect, trackedRepoNames, type CollectMeasurement } from './lib/measure.js';
import { renderReport, type BenchResults, type DbResults, type MemoryProbe } from './lib/report.js';

// graphql-js reads NODE_ENV when it loads: production skips its dev checks (the simulator runs ~30% faster).
process.env['NODE_ENV'] = 'production';
const { extractRepoNames, startSimulator } = await import('../test/simulator/index.js');

const HOUR = 3_600_000;
const LANDSCAPE = join(REPO_ROOT, '../shared/data/landscape.yml');

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'no-write': { type: 'boolean', default: false },
  },
});
const kinds: BenchDbKind[] = values.db === 'both' ? ['pglite', 'postgres'] : values.db === 'pglite' || values.db === 'postgres' ? [values.db] : [];
if (kinds.length === 0) throw new Error(`--db must be pglite, postgres or both, got ${values.db}`);
if (!existsSync(join(REPO_ROOT, 'dist/src/cli/main.js'))) throw new Error('the CLI is not built: run `npm run build` first');

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const benchStarted = Date.now();
const sim = await startSimulator({ repos: extractRepoNames(readFileSync(LANDSCAPE, 'utf8')), seed: 1 });
const simulatedStart = sim.clock.nowMs();
const created: BenchDatabase[] = [];
const results: BenchResults = { simulatorRepos: sim.state.list().length, trackedRepos: 0, dbs: [], naive: null, problems: [], benchMs: 0 };

try {
  for (const [i, kind] of kinds.entries()) {
    const database = await createBenchDatabase(kind, values['pg-url']);
    created.push(database);
    results.dbs.push(await benchDatabase(database, i === 0));
  }
} finally {
  await sim.close();
  removeCliCopy();
  for (const database of created) await database.drop().catch((err: unknown) => log(`could not drop ${database.location}: ${String(err)}`));
}
results.benchMs = Date.now() - benchStarted;

const report = renderReport(results, { command: `npx tsx bench/collect.bench.ts --db ${values.db}` });
process.stdout.write(`${report.summary}\n`);
if (!values['no-write']) {
  // Only this benchmark's block is replaced: other benchmarks write their own sections of the file.
  const file = join(REPO_ROOT, 'docs/benchmarks.md');
  const [start, end] = ['<!-- collect-bench:start -->', '<!-- collect-bench:end -->'];
  const block = `${start}\n${report.markdown.trim()}\n${end}`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const next =
    old.includes(start) && old.includes(end)
      ? old.slice(0, old.indexOf(start)) + block + old.slice(old.indexOf(end) + end.length)
      : `${block}\n${old}`;
  writeFileSync(file, next);
  log('wrote the collector section of docs/benchmarks.md');
}
if (results.problems.length > 0) process.exitCode = 1;

/** The CLI runs, the memory probes, the simulated day and (once) the naive collector on one database. */
async function benchDatabase(database: BenchDatabase, withNaive: boolean): Promise<DbResults> {
  const token = `bench-${database.kind}`;
  const env = { ...database.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
  log(`[${database.kind}] ${database.location}`);
  const memory: MemoryProbe[] = [];
  const probe = async (what: string, run: Promise<{ memory: MemoryProbe['memory'] }>): Promise<void> => {
    memory.push({ what, memory: (await run).memory });
  };
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const openPGlite = (options: string): string[] => [
    '--input-type=module',
    '-e',
    `const { PGlite } = await import(${JSON.stringify(pglite)}); const p = await PGlite.create(process.env.DIR, ${options}); await p.query('select 1'); await p.close();`,
  ];
  const dataDir = database.env['GREENSHOOTS_DATA_DIR'] ?? '';
  await probe('node, empty script', runNode(['-e', '0'], {}));
  await probe(`greenshoots migrate on an empty ${database.kind === 'pglite' ? 'folder (PGlite runs initdb)' : 'database'}`, runCli(['migrate'], env));
  await runCli(['landscape', 'import', '--file', LANDSCAPE], env);
  if (database.kind === 'pglite') {
    // What PGlite weighs before any greenshoots code runs, with its own defaults and as greenshoots starts it.
    await probe('PGlite.create on the imported database + select 1, PGlite defaults (shared_buffers 128MB)', runNode(openPGlite('{}'), { DIR: dataDir }));
    await probe(
      'PGlite.create on the imported database + select 1, greenshoots settings (shared_buffers 16MB)',
      runNode(openPGlite(`{ startParams: [...PGlite.defaultStartParams, ...${JSON.stringify(PGLITE_SETTINGS)}] }`), { DIR: dataDir }),
    );
  }
  const repos = await trackedRepoNames(database);
  results.trackedRepos = repos.length;

  // Every database sees the same simulated world: the same hours, the same changes.
  sim.clock.set(simulatedStart);
  const start = simulatedStart;
  const cli: CollectMeasurement[] = [];
  log(`[${database.kind}] first full collect`);
  cli.push(await measureCliCollect('first full collect', database, sim, token));
  sim.clock.set(start + HOUR);
  log(`[${database.kind}] hourly collect, +1 h`);
  cli.push(await measureCliCollect('hourly collect, +1 h', database, sim, token));

  if (withNaive) {
    log('naive REST-per-repo collector, same hour, no cache');
    sim.stats.reset();
    const cache: NaiveCache = new Map();
    const cold = await collectNaive({ apiUrl: sim.url, tokens: ['naive-1', 'naive-2', 'naive-3'], repos, cache });
    const coldWire = sim.stats.snapshot();
    sim.clock.set(start + 2 * HOUR);
    log('naive REST-per-repo collector, +2 h, with the ETags of +1 h');
    sim.stats.reset();
    const conditional = await collectNaive({ apiUrl: sim.url, tokens: ['naive-4', 'naive-5', 'naive-6'], repos, cache });
    const conditionalWire = sim.stats.snapshot();
    results.naive = { cold, coldWire, conditional, conditionalWire };
  }

  sim.clock.set(start + 24 * HOUR);
  log(`[${database.kind}] collect a day later, +24 h`);
  cli.push(await measureCliCollect('a day later, +24 h', database, sim, token));

  // A day of hourly runs right after: +25 h … +48 h.
  const day: CollectMeasurement[] = [];
  for (let h = 25; h <= 48; h++) {
    sim.clock.set(start + h * HOUR);
    day.push(await measureInProcessCollect(`+${h} h`, database, sim, token));
  }
  log(`[${database.kind}] simulated day done`);

  for (const m of [...cli, ...day]) results.problems.push(...crossCheck(m));
  return { kind: database.kind, cli, day, memory };
}
