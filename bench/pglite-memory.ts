/**
 * What the embedded database weighs: opens PGlite through `openDatabase` (the settings greenshoots
 * uses), applies the migrations, runs a few queries and, with `--workload landscape`, imports the
 * landscape and refreshes the trends. Prints the peak RSS after each step.
 *
 *   npx tsx bench/pglite-memory.ts [--workload none|landscape] [--dir PATH]
 *
 * Without `--dir` it starts from an empty folder (PGlite runs initdb), then measures a second open
 * of the same folder in a fresh process: an hourly `greenshoots collect` is that second kind.
 * `--dir` measures only the open of that folder (migrated, and imported into with `landscape`).
 * Peaks are high-water marks, so each case needs its own process. Peak RSS is VmHWM from
 * /proc/self/status; `resourceUsage().maxRSS` is printed too, but a forked child (tsx runs the
 * script in one) inherits its parent's into it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { importList } from '../src/landscape/index.js';
import { refreshTrends } from '../src/trends/index.js';

const LANDSCAPE = new URL('../../shared/data/landscape.yml', import.meta.url).pathname;
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'none' },
    dir: { type: 'string' },
  },
});
if (values.workload !== 'none' && values.workload !== 'landscape') throw new Error(`--workload must be none or landscape, got ${values.workload}`);

if (values.dir === undefined) {
  // Parent: a fresh folder in this process, then a reopen of it in a child of its own.
  const parent = mkdtempSync(join(tmpdir(), 'greenshoots-pglite-memory-'));
  const dataDir = join(parent, 'data');
  try {
    await measure(dataDir, 'empty folder (initdb)');
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, '--workload', values.workload, '--dir', dataDir], {
      stdio: 'inherit',
    });
    if (child.status !== 0) process.exitCode = 1;
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
} else {
  await measure(values.dir, 'existing folder');
}

async function measure(dataDir: string, what: string): Promise<void> {
  console.log(`# ${what}: ${dataDir}`);
  const started = performance.now();
  report('node + tsx, before opening');
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  report('openDatabase');
  try {
    const migrated = await migrate(handle.db);
    report(`migrate (${migrated.applied.length} applied)`);
    const settings = await sql<{ name: string; value: string }>`
      select name, current_setting(name) as value from pg_settings
      where name in ('shared_buffers', 'wal_buffers', 'work_mem', 'temp_buffers', 'maintenance_work_mem')
      order by name`.execute(handle.db);
    console.log(`  settings: ${settings.rows.map((r) => `${r.name}=${r.value}`).join(', ')}`);
    await sql`select count(*) from pg_class`.execute(handle.db);
    await sql`select count(*) from repos`.execute(handle.db);
    report('a few queries');
    if (values.workload === 'landscape') {
      const t = performance.now();
      const imported = await importList(handle.db, { source: { file: LANDSCAPE } });
      report(`landscape import (${imported.plan.repos.length} repos, ${seconds(t)})`);
      const r = performance.now();
      await refreshTrends(handle.db);
      report(`trends refresh (${seconds(r)})`);
    }
  } finally {
    await handle.close();
  }
  report(`closed (${seconds(started)} in all)`);
}

function report(step: string): void {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const usage = process.memoryUsage();
  console.log(
    `  ${step.padEnd(44)} peak RSS ${mib(kib('VmHWM') * 1024)} MiB (maxRSS ${mib(process.resourceUsage().maxRSS * 1024)})` +
      `, RSS now ${mib(usage.rss)}, external ${mib(usage.external)}, heap ${mib(usage.heapUsed)}`,
  );
}

function mib(bytes: number): number {
  return Math.round(bytes / MiB);
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
