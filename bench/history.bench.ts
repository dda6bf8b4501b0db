/**
 * The history benchmark: a one-year backfill of the landscape's repos from the GitHub simulator,
 * then one daily incremental run, in-process on loopback.
 *
 *   npx tsx bench/history.bench.ts [--db pglite|postgres] [--pg-url URL] [--horizon DAYS] [--no-write]
 *
 * Budget figures are what the simulator charged (GitHub's cost formula, `rateLimit { cost }`).
 * Wall time is measured with the GraphQL spacing off; the real CLI spaces GraphQL requests 1 s
 * apart (plugin-throttling), which adds about one second per query. Writes a `## History` section
 * into docs/benchmarks.md (replacing only that section) unless --no-write.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';

// graphql-js reads NODE_ENV when it loads: production skips its dev checks.
process.env['NODE_ENV'] = 'production';
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    horizon: { type: 'string', default: '365' },
    'no-write': { type: 'boolean', default: false },
  },
});
if (values.db === 'postgres') process.env['TEST_DATABASE_URL'] = values['pg-url'];
const { extractRepoNames, startSimulator } = await import('../test/simulator/index.js');
const { createTestDatabase } = await import('../test/helpers/database.js');
const { collect } = await import('../src/collect/index.js');
const { createGitHubClient } = await import('../src/github/index.js');
const { runHistory } = await import('../src/history/index.js');
const { importList } = await import('../src/landscape/index.js');
const { createLogger } = await import('../src/log/logger.js');

const ROOT = join(import.meta.dirname, '..');
const LANDSCAPE = join(ROOT, '../shared/data/landscape.yml');
const DAY = 86_400_000;
const horizonDays = Number(values.horizon);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const silent = createLogger({ level: 'silent' });

const sim = await startSimulator({ repos: extractRepoNames(readFileSync(LANDSCAPE, 'utf8')), seed: 1 });
const database = await createTestDatabase(values.db === 'postgres' ? 'postgres' : 'pglite');
const client = () =>
  createGitHubClient({
    apiUrl: sim.url,
    tokens: ['bench-history'],
    logger: silent,
    graphqlSpacingMs: 0,
    now: () => sim.clock.nowMs(),
    sleep: async (ms) => sim.clock.advance(ms),
  });

interface Measure {
  what: string;
  seconds: number;
  queries: number;
  points: number;
  pages: number;
  rows: number;
  status: string;
  peakRssMb: number;
}
const results: Measure[] = [];

try {
  const dir = mkdtempSync(join(os.tmpdir(), 'greenshoots-bench-history-'));
  writeFileSync(join(dir, 'landscape.yml'), readFileSync(LANDSCAPE));
  await importList(database.db, { source: { file: join(dir, 'landscape.yml') } });
  const snapshot = await collect(database.db, client(), { logger: silent, contributorsMaxAgeHours: 0 });
  log(`snapshots: ${snapshot.counters.repos_observed} repos, ${snapshot.counters.graphql_points} points`);

  const measure = async (what: string): Promise<void> => {
    sim.stats.reset();
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const summary = await runHistory(database.db, client(), { logger: silent, horizonDays, reservePoints: 100, now: () => sim.clock.now() });
    clearInterval(timer);
    const stats = sim.stats.snapshot();
    const m: Measure = {
      what,
      seconds: (performance.now() - started) / 1000,
      queries: stats.byRoute['POST /graphql'] ?? 0,
      points: stats.graphqlPoints,
      pages: summary.pages.probe + summary.pages.catchup + summary.pages.backfill,
      rows: Object.values(summary.rows).reduce((a, b) => a + b, 0),
      status: `${summary.status}${summary.backfillLeft.streams > 0 ? `, ${summary.backfillLeft.streams} streams left` : ''}`,
      peakRssMb: Math.round(peak / 1_048_576),
    };
    results.push(m);
    log(`${what}: ${JSON.stringify(m)}`);
  };

  await measure(`backfill of ${horizonDays} days, first run`);
  // A run right after: anything the budget stopped, else a quiet run.
  sim.clock.advance(DAY);
  sim.resetBudgets();
  await collect(database.db, client(), { logger: silent, contributorsMaxAgeHours: 0 });
  await measure('daily incremental run, +24 h');
  const { rows } = await sql<{ forks: number; releases: number; commits: number; stars: number; streams: number }>`
    select (select count(*) from repo_forks)::int as forks, (select count(*) from repo_releases)::int as releases,
      (select count(*) from repo_commits)::int as commits, (select count(*) from repo_stars)::int as stars,
      (select count(*) from repo_streams)::int as streams`.execute(database.db);
  const totals = rows[0];
  const repos = snapshot.counters.repos_observed;

  const table = [
    '| run | wall time | GraphQL queries | points | pages | new rows | peak RSS | outcome |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map((m) => `| ${m.what} | ${m.seconds.toFixed(1)} s | ${m.queries} | ${m.points} | ${m.pages.toLocaleString('en-US')} | ${m.rows.toLocaleString('en-US')} | ${m.peakRssMb} MB | ${m.status} |`),
  ];
  const section = [
    '## History',
    '',
    `Measured by \`npx tsx bench/history.bench.ts --db ${values.db}\` on ${new Date().toISOString().slice(0, 10)}: the GitHub simulator (seed 1, loopback)`,
    `serving the ${repos} landscape repos the snapshot collector observed, ${values.db === 'postgres' ? 'a local Postgres server' : 'the embedded PGlite'}, in-process,`,
    'GraphQL spacing off (the CLI spaces GraphQL requests 1 s apart: add ~1 s per query). Peak RSS includes the simulator,',
    'which runs in the same process.',
    '',
    ...table,
    '',
    `Stored after both runs: ${totals?.forks.toLocaleString('en-US')} forks, ${totals?.releases.toLocaleString('en-US')} releases,`,
    `${totals?.commits.toLocaleString('en-US')} commits, ${totals?.stars} stars (every star list refused: the simulator's token is no collaborator),`,
    `over ${totals?.streams.toLocaleString('en-US')} streams. A page holds up to 100 items and up to 100 pages go in one query, which GitHub`,
    'prices at one point (connections / 100): the backfill costs about a point per hundred pages, and the daily run',
    `reads the newest page of every stream in ${results[1]?.queries ?? '?'} queries. Stars are not read where GitHub refuses the list; a refused`,
    'list is asked again after 30 days.',
    '',
  ].join('\n');
  process.stdout.write(`${section}\n`);
  if (!values['no-write']) {
    const file = join(ROOT, 'docs/benchmarks.md');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    // Replace only our section (up to the next `## ` heading), or append it.
    const start = current.indexOf('\n## History\n');
    let next: string;
    if (start === -1) next = `${current.trimEnd()}\n\n${section}`;
    else {
      const end = current.indexOf('\n## ', start + 1);
      next = `${current.slice(0, start + 1)}${section}${end === -1 ? '' : current.slice(end)}`;
    }
    writeFileSync(file, next);
    log('wrote the History section of docs/benchmarks.md');
  }
} finally {
  await sim.close();
  await database.drop();
}
