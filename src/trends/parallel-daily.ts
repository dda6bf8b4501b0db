import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log/logger.js';
import { runSqlFile } from './sql-files.js';

/** Schemas the builders work in; whatever is left of a failed refresh is dropped by the next one. */
export const BUILD_SCHEMA_PREFIX = 'greenshoots_build_';

export interface ParallelDailyOptions {
  /** Sessions building at once (each takes the next range of repos until none is left). */
  workers: number;
  /** How long a builder waits for a lock before the refresh fails (default 30 s). */
  lockTimeoutMs?: number;
  logger?: Logger;
}

/**
 * Ranges of repos per session (never more ranges than repos): each builder takes the next range
 * when it is done with one, so a session that runs slower (the other vCPU busy, a slower spell)
 * builds fewer. With one range per session, one builder often finished 1.5-2 s after the other.
 * Full refreshes of 3,000 repos on 2 vCPUs, paired runs: three ranges per session 0.0-1.3 s sooner
 * than two (three pairs), two 0.2-0.4 s sooner than one; six were 0.8-0.9 s later than one (each
 * range costs a snapshot import, its tables and statements, a key and a swap).
 */
const RANGES_PER_WORKER = 3;

interface Part {
  /** repo_id range [lo, hi); null: unbounded. */
  lo: bigint | null;
  hi: bigint | null;
  /** The builder's schema and, once swapped in, the partition's name. */
  schema: string;
  table: string;
}

/**
 * The daily series, the commit-author windows and the repo trends of a full refresh, built by
 * several sessions at once (Postgres servers only; one `insert … select` runs on one core). `trx`
 * is the refresh's transaction, after it has claimed every repo (03) and emptied the author windows
 * (02), in place of the steps from 05 to 12_repo_trends:
 *
 * 1. it empties the queue of new commits (10_full_clear_queue), exports its snapshot and splits
 *    the repos into ranges of ids; each builder, on a connection of its own, takes the next range,
 *    imports the snapshot (so it reads exactly what the refresh reads), lists the range's repos in
 *    a `trend_dirty_repos` of the range's own schema and, with that schema first on its search
 *    path, runs the same `06_repo_daily.sql` (into a `repo_daily` of its own, unlogged like the
 *    partitions it replaces, which checks its range), adds the key, runs `07_dirty_as_of`,
 *    `10_repo_authors` and `12_repo_trends` (into tables of its own), commits, and takes the next
 *    range;
 * 2. the refresh's transaction then detaches and drops the old partitions of `repo_daily`,
 *    attaches the new tables (the check spares the scan), and copies each range's as_of, author
 *    windows and trends. Readers see the old series until the refresh commits, then the new one; if
 *    anything fails, the refresh rolls back, the old series stays, and the builders' tables are
 *    dropped (now, or by the next full refresh).
 *
 * Returns the number of daily rows written.
 */
export async function buildDailyInParallel(
  db: Kysely<Database>,
  trx: Kysely<Database>,
  options: ParallelDailyOptions,
): Promise<number> {
  const { rows: schemaRows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(trx);
  const mainSchema = schemaRows[0]!.schema;
  await dropBuildSchemas(trx);
  // Before the snapshot the builders count commit authors in: the commits it shows are counted,
  // and any queued later wait for the TRUNCATE's lock, for the next refresh (10_full_clear_queue).
  const q0 = performance.now();
  await runSqlFile(trx, '10_full_clear_queue');
  options.logger?.debug({ step: '10_full_clear_queue', ms: Math.round(performance.now() - q0) }, 'trends step');
  const { rows: snapshotRows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
  const snapshot = snapshotRows[0]!.id;
  if (!/^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i.test(snapshot)) throw new Error(`unexpected snapshot id from Postgres: ${snapshot}`);

  const workers = Math.max(1, options.workers);
  const parts = await splitRepos(trx, workers);
  const queue = [...parts];
  let stop = false;
  const builder = (): Promise<number> =>
    db.connection().execute(async (conn) => {
      let days = 0;
      for (let part = queue.shift(); part !== undefined && !stop; part = queue.shift()) {
        try {
          days += await buildPart(conn, part, mainSchema, snapshot, options.lockTimeoutMs ?? 30_000, options.logger);
        } catch (error) {
          stop = true; // the refresh fails: the other builders take no further range
          throw error;
        }
      }
      return days;
    });
  const results = await Promise.allSettled(Array.from({ length: Math.min(workers, parts.length) }, builder));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // The builders that did commit leave their tables: drop them now (outside the refresh's
    // transaction, which is about to roll back), or the next full refresh will. Only this
    // refresh's: any older ones were dropped above by the refresh's transaction, whose locks on
    // them would make this wait for ever.
    await db
      .transaction()
      .execute(async (cleanup) => {
        await sql`set local lock_timeout = '10s'`.execute(cleanup);
        for (const part of parts) await sql`drop schema if exists ${sql.id(part.schema)} cascade`.execute(cleanup);
      })
      .catch(() => undefined);
    throw failed.reason;
  }
  const days = results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);

  const t0 = performance.now();
  const { rows: old } = await sql<{ name: string }>`
    select c.relname as name
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${`${quoteIdent(mainSchema)}.repo_daily`}::regclass`.execute(trx);
  for (const { name } of old) {
    await sql`alter table repo_daily detach partition ${sql.id(mainSchema, name)}`.execute(trx);
    await sql`drop table ${sql.id(mainSchema, name)}`.execute(trx);
  }
  await runSqlFile(trx, '11_full_clear_repo_trends');
  for (const part of parts) {
    await sql`alter table ${sql.id(part.schema, 'repo_daily')} rename to ${sql.id(part.table)}`.execute(trx);
    await sql`alter table ${sql.id(part.schema, part.table)} set schema ${sql.id(mainSchema)}`.execute(trx);
    await sql`alter table repo_daily attach partition ${sql.id(mainSchema, part.table)}
              for values from (${bound(part.lo, 'minvalue')}) to (${bound(part.hi, 'maxvalue')})`.execute(trx);
    await sql`update trend_dirty_repos d set as_of = b.as_of
              from ${sql.id(part.schema, 'trend_dirty_repos')} b where b.repo_id = d.repo_id`.execute(trx);
    await sql`insert into trend_repo_authors (repo_id, author_key, first_commit_at, commits_365d, commits_90d,
                                              commits_prev_90d, commits_30d, commits_prev_30d)
              select repo_id, author_key, first_commit_at, commits_365d, commits_90d, commits_prev_90d, commits_30d, commits_prev_30d
              from ${sql.id(part.schema, 'trend_repo_authors')}`.execute(trx);
    await sql`insert into repo_trends select * from ${sql.id(part.schema, 'repo_trends')}`.execute(trx);
    await sql`drop schema ${sql.id(part.schema)} cascade`.execute(trx);
  }
  options.logger?.debug({ step: 'parallel_daily_swap', partitions: parts.length, ms: Math.round(performance.now() - t0) }, 'trends step');
  return days;
}

/** Ranges of repo ids with as many repos each (the series' length per repo varies less than that). */
async function splitRepos(trx: Kysely<Database>, workers: number): Promise<Part[]> {
  const { rows } = await sql<{ lo: string }>`
    select min(id)::text as lo
    from (
      select id, ntile(${workers * RANGES_PER_WORKER}::int) over (order by id) as part
      from repos
    ) r
    group by part
    order by min(id)`.execute(trx);
  const lows = rows.map((r) => BigInt(r.lo));
  const nonce = randomBytes(4).toString('hex');
  const count = Math.max(1, lows.length);
  return Array.from({ length: count }, (_, k) => ({
    lo: k === 0 ? null : (lows[k] ?? null),
    hi: k + 1 < lows.length ? (lows[k + 1] ?? null) : null,
    schema: `${BUILD_SCHEMA_PREFIX}${nonce}_${k}`,
    table: `repo_daily_p${nonce}_${k}`,
  }));
}

/** One range's series into its own table, keyed and checked, committed (on a builder's connection). */
async function buildPart(
  conn: Kysely<Database>,
  part: Part,
  mainSchema: string,
  snapshot: string,
  lockTimeoutMs: number,
  logger?: Logger,
): Promise<number> {
  const t0 = performance.now();
  await sql`begin isolation level repeatable read`.execute(conn);
  try {
    await sql`set transaction snapshot ${sql.lit(snapshot)}`.execute(conn);
    await sql`set local work_mem = '128MB'`.execute(conn);
    await sql`set local maintenance_work_mem = '256MB'`.execute(conn);
    await sql`set local jit = off`.execute(conn);
    // as in the refresh itself (see refresh.ts): hash joins only, for the series
    await sql`set local enable_mergejoin = off`.execute(conn);
    // never wait long on a lock: a builder that waits on the refresh would wait forever
    await sql`select set_config('lock_timeout', ${`${Math.round(lockTimeoutMs)}ms`}, true)`.execute(conn);
    // The builder's commit need not wait for its WAL to reach the disk: its table counts only
    // once the refresh's transaction, which waits for all WAL before it, commits.
    await sql`set local synchronous_commit = off`.execute(conn);
    await sql`create schema ${sql.id(part.schema)}`.execute(conn);
    // unlogged, as the partitions it replaces (migration 0016): no WAL for what a refresh rebuilds
    await sql`create unlogged table ${sql.id(part.schema, 'repo_daily')} (like ${sql.id(mainSchema, 'repo_daily')} including defaults)`.execute(conn);
    // the check of its range, which lets the partition be attached without a scan, is checked row
    // by row as the series is written (added after, it read the table again: ~0.17 s a builder)
    if (part.lo !== null || part.hi !== null) {
      await sql`alter table ${sql.id(part.schema, 'repo_daily')} add constraint ${sql.id(`${part.table}_range`)}
                check (${rangeCheck(part)})`.execute(conn);
    }
    await sql`create table ${sql.id(part.schema, 'trend_dirty_repos')} (like ${sql.id(mainSchema, 'trend_dirty_repos')} including defaults)`.execute(conn);
    // every repo of the range, from the beginning: what 03_claim_changes claims on a full refresh
    await sql`
      insert into ${sql.id(part.schema, 'trend_dirty_repos')} (repo_id, from_day, commits_from)
      select id, '-infinity'::date, '-infinity'::date from ${sql.id(mainSchema, 'repos')}
      where (${part.lo?.toString() ?? null}::bigint is null or id >= ${part.lo?.toString() ?? null}::bigint)
        and (${part.hi?.toString() ?? null}::bigint is null or id < ${part.hi?.toString() ?? null}::bigint)`.execute(conn);
    await sql`analyze ${sql.id(part.schema, 'trend_dirty_repos')}`.execute(conn);
    await sql`select set_config('search_path', ${quoteIdent(part.schema)} || ', ' || current_setting('search_path'), true)`.execute(conn);
    const res = await runSqlFile(conn, '06_repo_daily', { full: true });
    const days = Number(res.numAffectedRows ?? 0);
    const t1 = performance.now();
    await sql`alter table ${sql.id(part.schema, 'repo_daily')} add constraint ${sql.id(`${part.table}_pkey`)} primary key (repo_id, day)`.execute(conn);
    // Each repo's as_of (its latest day), its commit authors per window and its trends, as the
    // refresh's 07_dirty_as_of, 10_repo_authors and 12_repo_trends would work them out, into the
    // range's own tables, which the refresh copies: in the refresh's session, after the builders,
    // they took 1.5-2.5 s on two vCPUs (3,000 repos, measured). The range's queue of new commits
    // is empty: the refresh emptied the real one before exporting its snapshot.
    await sql`set local enable_mergejoin = on`.execute(conn);
    await runSqlFile(conn, '07_dirty_as_of');
    await sql`analyze ${sql.id(part.schema, 'trend_dirty_repos')}`.execute(conn); // as the refresh does after 07
    // Stand-ins for the two tables 10_repo_authors writes, spelt out: `like` the real ones would
    // wait for the refresh, which holds them emptied by TRUNCATE (02_full_reset, 10_full_clear_queue).
    await sql`create unlogged table ${sql.id(part.schema, 'trend_repo_authors')} (
                repo_id bigint not null, author_key text not null, first_commit_at timestamptz not null,
                commits_365d integer not null, commits_90d integer not null, commits_prev_90d integer not null,
                commits_30d integer not null, commits_prev_30d integer not null)`.execute(conn);
    await sql`create unlogged table ${sql.id(part.schema, 'trend_commit_queue')} (repo_id bigint not null)`.execute(conn);
    await runSqlFile(conn, '10_repo_authors');
    // and the range's trends (12_repo_trends reads the range's series and author windows)
    await sql`create unlogged table ${sql.id(part.schema, 'repo_trends')} (like ${sql.id(mainSchema, 'repo_trends')} including defaults)`.execute(conn);
    await runSqlFile(conn, '12_repo_trends');
    await sql`commit`.execute(conn);
    logger?.debug(
      { step: 'parallel_daily_build', lo: part.lo?.toString() ?? null, hi: part.hi?.toString() ?? null, rows: days,
        ms: Math.round(performance.now() - t0), keyMs: Math.round(performance.now() - t1) },
      'trends step',
    );
    return days;
  } catch (error) {
    await sql`rollback`.execute(conn).catch(() => undefined);
    throw error;
  }
}

/** Drops what builders of an earlier refresh left (their refresh failed after they committed). */
async function dropBuildSchemas(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select nspname as name from pg_namespace where starts_with(nspname, ${BUILD_SCHEMA_PREFIX})`.execute(db);
  for (const { name } of rows) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(db);
}

/** A partition bound: the repo id (digits of a bigint read from Postgres), or MINVALUE/MAXVALUE. */
function bound(value: bigint | null, open: 'minvalue' | 'maxvalue'): RawBuilder<unknown> {
  return sql.raw(value === null ? open : value.toString());
}

function rangeCheck(part: Part): RawBuilder<unknown> {
  const conditions = [
    ...(part.lo !== null ? [`repo_id >= ${part.lo.toString()}`] : []),
    ...(part.hi !== null ? [`repo_id < ${part.hi.toString()}`] : []),
  ];
  return sql.raw(conditions.join(' and '));
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
