import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log/logger.js';
import { compactSnapshots, type CompactResult } from './compact.js';
import { buildDailyInParallel } from './parallel-daily.js';
import { runSqlFile } from './sql-files.js';

export interface RefreshOptions {
  /** Recompute everything instead of what changed since the last refresh. */
  full?: boolean;
  /** Compact hourly snapshots older than this many days to one per day first (unset: no compaction). */
  retentionDays?: number;
  /** "Now" for retention (default: the database's clock). */
  now?: Date;
  /**
   * Sessions that build the daily series of a full refresh at once, on a Postgres server (default
   * 2; 1: in the refresh's own session). PGlite has one session: there it is always 1.
   */
  workers?: number;
  /** How long a builder of the parallel series waits for a lock before the refresh fails (30 s). */
  builderLockTimeoutMs?: number;
  logger?: Logger;
}

export interface RefreshResult {
  mode: 'full' | 'incremental';
  /** Repos whose daily series and trends were recomputed. */
  repos: number;
  /** repo_daily rows written. */
  days: number;
  projects: number;
  compacted: CompactResult | null;
  durationMs: number;
}

/**
 * The statements of one refresh, in order (sql/trends/NN_*.sql). `full`: only on a full refresh.
 * `series`: only when the daily series and the author windows are built in the refresh's session
 * (an incremental refresh, PGlite, or workers: 1), not by buildDailyInParallel, which does these
 * steps per range of repos up to 12_repo_trends (09, 10_move and 10_drop_gone have nothing to do on
 * a full refresh).
 * `off`: join methods the planner may not use for that statement.
 */
const STEPS: ReadonlyArray<{ file: string; only?: 'full'; series?: 'one'; off?: ReadonlyArray<'enable_hashjoin' | 'enable_mergejoin'> }> = [
  { file: '01_reset_dirty' },
  { file: '02_full_reset', only: 'full' },
  { file: '02_full_reset_daily', only: 'full', series: 'one' },
  { file: '02_full_drop_daily_key', only: 'full', series: 'one' },
  { file: '03_claim_changes' },
  { file: '04_extend_dirty' },
  // The old rows of each dirty repo through its key range, repo by repo (a nested loop): a hash
  // join would read all of repo_daily.
  { file: '05_clear_repo_daily', series: 'one', off: ['enable_hashjoin', 'enable_mergejoin'] },
  // No merge joins for the daily series: the planner cannot estimate its rows (generate_series
  // per repo), and on a full refresh of 3,000 repos it chose merge joins that took 235 s of CPU
  // where hash joins take 28 s (measured, Postgres 15). Only there: elsewhere (project trends on
  // PGlite, which never analyzes its tables) turning them off cost 4x.
  { file: '06_repo_daily', series: 'one', off: ['enable_mergejoin'] },
  { file: '06_full_add_daily_key', only: 'full', series: 'one' },
  { file: '07_dirty_as_of', series: 'one' },
  { file: '09_clear_repo_authors', series: 'one' },
  { file: '10_move_repo_authors', series: 'one' },
  { file: '10_drop_gone_authors', series: 'one' },
  { file: '10_full_clear_queue', only: 'full', series: 'one' },
  { file: '10_repo_authors', series: 'one' },
  { file: '11_full_clear_repo_trends', only: 'full', series: 'one' },
  { file: '11_clear_repo_trends', series: 'one' },
  { file: '12_repo_trends', series: 'one' },
  { file: '13_repo_percentiles' },
  { file: '14_clear_project_trends' },
  { file: '15_project_trends' },
  { file: '16_full_mark_daily_intact', only: 'full' },
  { file: '16_finish' },
];

/**
 * Brings repo_daily, repo_trends and project_trends up to date in one transaction: only the repos
 * and days whose data changed since the last refresh (noted by triggers), or everything with
 * `full` (and on the first refresh). Call it after every collect run.
 */
export async function refreshTrends(db: Kysely<Database>, options: RefreshOptions = {}): Promise<RefreshResult> {
  const started = performance.now();
  const result = await db.transaction().execute(async (trx) => {
    const state = await runSqlFile<{ refreshed_at: Date | null; daily_intact: boolean }>(trx, '00_lock_state');
    // Sorts of a full refresh (millions of daily rows) spill to disk at the default 4 MB. JIT off:
    // the refresh's estimated costs are high (generate_series guesses 1,000 rows), so Postgres
    // would spend ~2.5 s compiling each statement that then runs in milliseconds (measured).
    // PGlite takes the same settings (it has no JIT to compile with).
    await sql`set local work_mem = '128MB'`.execute(trx);
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    const previous = state.rows[0];
    // repo_daily is unlogged (migration 0016): a crash recovery of the server empties it, and the
    // series is rebuilt in full, whatever was asked
    const rebuild = previous?.refreshed_at != null && !previous.daily_intact;
    if (rebuild) options.logger?.warn('repo_daily was emptied by a crash recovery of the database server (it is unlogged): rebuilding the trends in full');
    let full = options.full === true || previous?.refreshed_at == null || rebuild;
    // Several sessions need a Postgres server (PGlite has one) and the right to create the
    // builders' schemas in the database; without either, the series is built in this session.
    const workers = options.workers ?? 2;
    let series: 'parallel' | 'one' = full && workers > 1 && (await canBuildInParallel(trx)) ? 'parallel' : 'one';
    const compacted =
      options.retentionDays === undefined
        ? null
        : await compactSnapshots(trx, { retentionDays: options.retentionDays, now: options.now });
    let repos = 0;
    let days = 0;
    let projects = 0;
    for (let i = 0; i < STEPS.length; i++) {
      const step = STEPS[i]!;
      if (step.only === 'full' && !full) continue;
      if (step.file === '07_dirty_as_of' && series === 'parallel') {
        days = await buildDailyInParallel(db, trx, {
          workers,
          lockTimeoutMs: options.builderLockTimeoutMs,
          logger: options.logger,
        });
        await sql`analyze trend_dirty_repos`.execute(trx); // as after 07 (below)
      }
      if (step.series === 'one' && series === 'parallel') continue;
      const t0 = performance.now();
      for (const setting of step.off ?? []) await sql`select set_config(${setting}, 'off', true)`.execute(trx);
      const res = await runSqlFile(trx, step.file, { full });
      for (const setting of step.off ?? []) await sql`select set_config(${setting}, 'on', true)`.execute(trx);
      const affected = Number(res.numAffectedRows ?? 0);
      if (step.file === '03_claim_changes') repos = affected;
      // Fresh statistics on the small working table once it is filled (03) and once as_of is set
      // (07): otherwise the planner guesses one repo and nests loops a thousand times over.
      if (step.file === '03_claim_changes' || step.file === '07_dirty_as_of') await sql`analyze trend_dirty_repos`.execute(trx);
      if (step.file === '06_repo_daily') days = affected;
      if (step.file === '15_project_trends') projects = affected;
      options.logger?.debug({ step: step.file, rows: affected, ms: Math.round(performance.now() - t0) }, 'trends step');
      // An incremental refresh about to recompute most of the series (a backfill reaching back into
      // every repo) starts over as a full one when several sessions can build it (04_dirty_share).
      if (step.file === '04_extend_dirty' && !full && workers > 1 && (await mostOfSeriesDirty(trx)) && (await canBuildInParallel(trx))) {
        options.logger?.info('most of the daily series changed: refreshing the trends in full instead');
        full = true;
        series = 'parallel';
        i = -1; // from the first step again, in this transaction (01 empties the working table)
      }
    }
    return { mode: full ? ('full' as const) : ('incremental' as const), repos, days, projects, compacted };
  });
  const durationMs = Math.round(performance.now() - started);
  options.logger?.info({ ...result, durationMs }, 'trends refreshed');
  return { ...result, durationMs };
}

/**
 * Whether an incremental refresh would recompute half of the daily series or more, and at least
 * PROMOTE_AT_DAYS days: below that one session is quick anyway (and small series keep the
 * incremental path they test).
 */
async function mostOfSeriesDirty(trx: Kysely<Database>): Promise<boolean> {
  const { rows } = await runSqlFile<{ dirty_days: number; share: number | null }>(trx, '04_dirty_share');
  const row = rows[0];
  return row !== undefined && row.dirty_days >= PROMOTE_AT_DAYS && (row.share ?? 0) >= 0.5;
}

/** See mostOfSeriesDirty: ~2 s in one session (365,000 days took 8.0 s, measured). */
const PROMOTE_AT_DAYS = 100_000;

/** When trends were last refreshed (null: never). */
export async function lastRefresh(db: Kysely<Database>): Promise<Date | null> {
  const { rows } = await sql<{ refreshed_at: Date | null }>`select refreshed_at from trend_refresh_state`.execute(db);
  return rows[0]?.refreshed_at ?? null;
}

/**
 * A Postgres server (PGlite names itself in version(): it has one session) where this user may
 * create schemas (the builders work in their own) and tables in the current schema.
 */
async function canBuildInParallel(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select version() not like '%PGlite%'
       and has_database_privilege(current_database(), 'CREATE')
       and has_schema_privilege(current_schema(), 'CREATE') as ok`.execute(db);
  return rows[0]?.ok === true;
}
