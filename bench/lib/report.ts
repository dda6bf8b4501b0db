/** Turns the benchmark's measurements into the targets' verdicts, a console summary and docs/benchmarks.md. */
import { cpus, release, totalmem } from 'node:os';
import type { StatsSnapshot } from '../../test/simulator/index.js';
import type { NaiveResult } from '../naive-rest-collector.js';
import type { MemoryPeaks } from './cli-run.js';
import type { BenchDbKind } from './databases.js';
import { wireCounts, type CollectMeasurement } from './measure.js';

/** One token's hourly budget, REST and GraphQL alike (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api). */
const HOURLY_BUDGET = 5000;
const RSS_TARGET_MIB = 256;

export interface MemoryProbe {
  what: string;
  memory: MemoryPeaks | null;
}

export interface DbResults {
  kind: BenchDbKind;
  /** CLI runs: first full collect, +1 h, +24 h. */
  cli: CollectMeasurement[];
  /** In-process hourly runs +25 h … +48 h. */
  day: CollectMeasurement[];
  memory: MemoryProbe[];
}

export interface BenchResults {
  simulatorRepos: number;
  trackedRepos: number;
  dbs: DbResults[];
  naive: { cold: NaiveResult; coldWire: StatsSnapshot; conditional: NaiveResult; conditionalWire: StatsSnapshot } | null;
  /** Disagreements between the collector's records and the simulator's counts. */
  problems: string[];
  benchMs: number;
}

interface Target {
  target: string;
  measured: string;
  pass: boolean;
}

const units = (m: CollectMeasurement): number => m.wire.graphqlPoints + m.wire.restCharged;
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(2)} %`;
const mib = (n: number | undefined): string => (n === undefined ? '–' : n.toFixed(0));
const secs = (ms: number | null): string => (ms === null ? '–' : (ms / 1000).toFixed(1));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function table(head: string[], rows: Array<Array<string | number>>): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function dayStats(db: DbResults) {
  const points = db.day.map((m) => m.wire.graphqlPoints);
  const rest = db.day.map((m) => m.wire.restCharged);
  const contributorRuns = db.day.filter((m) => m.wire.contributorRequests > 0);
  return {
    hours: db.day.length,
    pointsAvg: sum(points) / db.day.length,
    pointsMax: Math.max(...points),
    restAvg: sum(rest) / db.day.length,
    restMax: Math.max(...rest),
    unitsAvg: sum(db.day.map(units)) / db.day.length,
    contributorChecks: sum(db.day.map((m) => m.wire.contributorRequests)),
    contributorRuns: contributorRuns.map((m) => m.label),
    notModified: sum(db.day.map((m) => m.wire.notModified)),
  };
}

function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const first = r.dbs.map((d) => d.cli[0]).filter((m): m is CollectMeasurement => m !== undefined);
  const firstPoints = Math.max(...first.map((m) => m.wire.graphqlPoints));
  const hourlyPoints = Math.max(...r.dbs.map((d) => d.cli[1]?.wire.graphqlPoints ?? Number.NaN));
  out.push({
    target: 'one full snapshot of the landscape in ≤ 60 GraphQL points',
    measured: `${firstPoints} points for the first (metadata included), ${hourlyPoints} for an hourly one (${r.trackedRepos} repos, sum of \`rateLimit { cost }\`)`,
    pass: firstPoints <= 60 && hourlyPoints <= 60,
  });
  for (const db of r.dbs) {
    const daily = db.cli[2];
    const d = dayStats(db);
    if (!daily) continue;
    const share = daily.wire.contributorRequests > 0 ? daily.wire.notModified / daily.wire.contributorRequests : 0;
    // Hours between the +24 h refresh and the next one in the hourly runs that follow.
    const nextRefresh = d.contributorRuns[0] ? Number(/\+(\d+) h/.exec(d.contributorRuns[0])?.[1]) : Number.NaN;
    const interval = daily.wire.contributorRequests > 0 ? nextRefresh - 24 : Number.NaN;
    out.push({
      target: `contributor counts at most daily, mostly 304 on unchanged repos (${db.kind})`,
      measured: `a day later: ${daily.wire.notModified} of ${daily.wire.contributorRequests} checks answered 304 (${pct(daily.wire.notModified, daily.wire.contributorRequests)}); under the hourly cadence the next refresh came at ${d.contributorRuns.join(', ') || 'none'}: every ${interval} h (${(24 / interval).toFixed(1)} refreshes a day, ${d.contributorChecks} checks)`,
      pass: share > 0.5 && interval >= 24,
    });
    out.push({
      target: `hourly cadence under 5 % of one token's hourly budget (${db.kind})`,
      measured: `average over 24 runs: GraphQL ${d.pointsAvg.toFixed(1)} points/h = ${pct(d.pointsAvg, HOURLY_BUDGET)}, REST ${d.restAvg.toFixed(1)} requests/h = ${pct(d.restAvg, HOURLY_BUDGET)}; busiest hour ${d.pointsMax} points (${pct(d.pointsMax, HOURLY_BUDGET)}), ${d.restMax} REST (${pct(d.restMax, HOURLY_BUDGET)})`,
      pass: d.pointsAvg < 0.05 * HOURLY_BUDGET && d.restAvg < 0.05 * HOURLY_BUDGET,
    });
  }
  if (r.naive && r.dbs[0]) {
    const d = dayStats(r.dbs[0]);
    const hourly = r.dbs[0].cli[1];
    const ratio = r.naive.cold.budgetUnits / d.unitsAvg;
    out.push({
      target: '≥ 20× fewer budget units per hourly snapshot than REST-per-repo',
      measured: `naive ${r.naive.cold.budgetUnits} units (${r.naive.cold.tokensUsed} tokens' hours) vs greenshoots ${d.unitsAvg.toFixed(1)} units/h averaged over the day = ${ratio.toFixed(0)}×${hourly ? `; plain hourly run ${units(hourly)} units = ${(r.naive.cold.budgetUnits / units(hourly)).toFixed(0)}×` : ''}; naive with ETags ${r.naive.conditional.budgetUnits} units = ${(r.naive.conditional.budgetUnits / d.unitsAvg).toFixed(0)}×`,
      pass: ratio >= 20,
    });
  }
  for (const db of r.dbs) {
    const peak = Math.max(...db.cli.map((m) => m.memory?.maxRss ?? Number.NaN));
    const hourly = db.cli[1]?.memory?.maxRss;
    out.push({
      target: `peak RSS under ${RSS_TARGET_MIB} MB, CLI collect (${db.kind})`,
      measured: `${mib(peak)} MiB (first/daily collect), ${mib(hourly)} MiB hourly`,
      pass: peak < RSS_TARGET_MIB,
    });
  }
  return out;
}

function cliTable(r: BenchResults): string {
  const rows = r.dbs.flatMap((db) =>
    db.cli.map((m) => [
      db.kind,
      m.label,
      m.run.graphqlRequests,
      `${m.run.graphqlPoints} (sim ${m.wire.graphqlPoints})`,
      `${m.run.restCharged} (sim ${m.wire.restCharged})`,
      `${m.run.notModified} (sim ${m.wire.notModified})`,
      `${m.run.reposObserved}/${m.run.reposTotal}`,
      secs(m.wallMs),
      secs(m.run.collectorMs),
      mib(m.memory?.maxRss),
      mib(m.memory?.heapUsed),
      mib(m.memory?.external),
    ]),
  );
  return table(['db', 'run (real CLI)', 'GraphQL req', 'points', 'REST charged', '304', 'repos observed', 'wall s', 'collect s', 'peak RSS MiB', 'peak JS heap MiB', 'peak external MiB (PGlite WASM)'], rows);
}

function memoryTable(r: BenchResults): string {
  const rows = r.dbs.flatMap((db) => [
    ...db.memory.map((p) => [db.kind, p.what, mib(p.memory?.maxRss), mib(p.memory?.heapUsed), mib(p.memory?.heapTotal), mib(p.memory?.external), mib(p.memory?.arrayBuffers)]),
    ...db.cli.map((m) => [db.kind, `greenshoots collect: ${m.label}`, mib(m.memory?.maxRss), mib(m.memory?.heapUsed), mib(m.memory?.heapTotal), mib(m.memory?.external), mib(m.memory?.arrayBuffers)]),
  ]);
  return table(['db', 'process', 'peak RSS', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'], rows);
}

function dayTable(r: BenchResults): string {
  const rows = r.dbs.map((db) => {
    const d = dayStats(db);
    return [db.kind, d.hours, d.pointsAvg.toFixed(1), d.pointsMax, d.restAvg.toFixed(1), d.restMax, d.notModified, d.contributorRuns.join(', ') || '–', d.unitsAvg.toFixed(1)];
  });
  return table(['db', 'runs', 'points/h avg', 'points/h max', 'REST/h avg', 'REST/h max', '304s', 'contributor refresh in', 'budget units/h avg'], rows);
}

function naiveTable(r: BenchResults): string {
  if (!r.naive) return '(not run)';
  const row = (what: string, n: NaiveResult, wire: StatsSnapshot) => [
    what,
    n.requests,
    `${n.budgetUnits} (sim ${wireCounts(wire).restCharged})`,
    `${n.notModified} (sim ${wire.notModified})`,
    n.tokensUsed,
    n.snapshots.length,
    n.failed.length,
    secs(n.wallMs),
  ];
  return table(
    ['naive REST-per-repo', 'requests', 'budget units', '304', 'tokens needed', 'repos observed', 'failed', 'wall s'],
    [row('same hour as the hourly run, no cache', r.naive.cold, r.naive.coldWire), row('an hour later, with the ETags of the first', r.naive.conditional, r.naive.conditionalWire)],
  );
}

/** The console summary and the whole docs/benchmarks.md. */
export function renderReport(r: BenchResults, meta: { command: string }): { summary: string; markdown: string } {
  const verdicts = table(['target', 'measured', ''], targets(r).map((t) => [t.target, t.measured, t.pass ? '**pass**' : '**FAIL**']));
  const checks = r.problems.length === 0 ? 'Every count the collector recorded matches what the simulator served.' : `Cross-check problems:\n${r.problems.map((p) => `- ${p}`).join('\n')}`;
  const sections = [
    `### Targets\n\n${verdicts}`,
    `### Collector runs (real CLI, default settings)\n\nCollector's own counts (points: sum of \`rateLimit { cost }\`), with the simulator's in brackets. "REST charged" excludes 304s and the free \`GET /rate_limit\`.\n\n${cliTable(r)}\n\n${checks}`,
    `### A simulated day of hourly runs (+25 h … +48 h, in-process)\n\n${dayTable(r)}`,
    `### Naive REST-per-repo collector (bench/naive-rest-collector.ts), same repos\n\n${naiveTable(r)}`,
    `### Where the memory goes (peaks, MiB)\n\n${memoryTable(r)}`,
  ];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, Node ${process.versions.node}`;
  const summary = `${sections.join('\n\n')}\n\n${r.simulatorRepos} repos in the simulator, ${r.trackedRepos} tracked after import; bench took ${(r.benchMs / 1000).toFixed(0)} s.`;
  const markdown = `${HEADER}
Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; the benchmark took ${(r.benchMs / 1000).toFixed(0)} s.
The simulator served the ${r.simulatorRepos} repos named in \`../shared/data/landscape.yml\`; the import tracks ${r.trackedRepos} of them
(the simulator takes every \`github.com/OWNER/NAME\` link in the file; the import only items' repos).

${sections.join('\n\n')}
${NOTES}`;
  return { summary, markdown };
}

const HEADER = `# Benchmarks

What one greenshoots collect of the whole CNCF landscape costs in GitHub budget, time and memory,
measured against the local GitHub simulator (\`test/simulator/\`), which prices GraphQL queries
with GitHub's published formula and answers REST conditional requests with free 304s.

## Reproduce

\`\`\`sh
npm run build
npx tsx bench/collect.bench.ts --db both        # or --db pglite | --db postgres [--pg-url postgres://…/postgres]
\`\`\`

It starts the simulator on loopback, makes throw-away databases (a PGlite folder in the temp
directory; \`greenshoots_bench_<random>\` on the Postgres server, dropped at the end), imports the
landscape with the CLI and runs \`node bin/greenshoots.js collect --no-history\` as a child process
with default settings (GraphQL requests ≥ 1 s apart, concurrency 2, batches of 100, contributors
when 20 h old), from a copy of \`bin/\`, \`dist/\` and \`sql/\` taken at the start so edits to the working
tree cannot change it mid-run. History backfill (\`collect\` without \`--no-history\`) is left out on
purpose: it spends what the snapshot leaves of the hour, by design, and is not part of this budget.
Peak RSS is the kernel's high-water mark of the child's address space (\`VmHWM\` in
\`/proc/self/status\` at exit; not \`ru_maxrss\`, which a forked child inherits from its parent on Linux);
the other memory columns are peaks of \`process.memoryUsage()\` sampled every 50 ms. Each database
replays the same simulated hours from the same start.
The simulated day runs \`collect()\` in-process with GraphQL spacing off: the same requests, faster.

## Results
`;

const NOTES = `
## Reading the figures

- **Budget units.** GraphQL points and REST requests are separate budgets of 5,000 an hour per
  token; "units" adds them up, so greenshoots' figure is the sum of what it takes from both.
  A 304 answer costs nothing on GitHub and nothing here.
- **The naive collector** asks five REST endpoints per repo (repo, open PRs, releases, latest
  release, contributors): about five times the repo count per snapshot, more than one token's
  hour, so it needs a second token for every hourly snapshot. With ETags it saves only what did
  not change within the hour; counts of active repos change every hour.
- **Memory on PGlite** is mostly PGlite itself: Postgres compiled to WebAssembly, whose linear
  memory (a \`WebAssembly.Memory\` of 128 MiB at start, growing as Postgres allocates; it shows under
  \`external\`) holds Postgres' buffer pool, plus the compiled WASM code. greenshoots starts it with
  \`shared_buffers = 16MB\` (\`src/db/connect.ts\`) instead of PGlite's default 128MB: compare the two
  \`PGlite.create … select 1\` rows, which run no greenshoots code. The collector's own share is the
  difference between the second of them and the collect rows, about the size of its JS heap. The
  very first open of an empty folder runs \`initdb\` inside WASM and peaks far higher (the
  \`migrate on an empty folder\` row); \`landscape import\` on a new folder pays the same once.
- **Wall time** of an hourly run is mostly the ≥ 1 s spacing of its 11 GraphQL requests (as
  Octokit's throttling plugin spaces them); the first and the daily run add ~1,000 contributor
  requests at concurrency 2. Wall time includes Node's and the database's start-up.
- **Contributor counts** are checked when older than 20 h (\`contributorsMaxAgeHours\` in
  \`src/cli/commands/collect.ts\`): under an hourly cadence that is every 20 h, not daily. The
  requests are conditional and nearly free either way.
- **On a Postgres server** the client process holds only the JavaScript heap; the server's own
  memory is not included (it is shared, and sized by its own settings).
`;
