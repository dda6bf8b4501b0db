import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { runSqlFile } from './sql-files.js';

export interface CompactOptions {
  /** Snapshots of days older than this many days keep only the day's last one. */
  retentionDays: number;
  /** Default: the database's clock. */
  now?: Date;
}

export interface CompactResult {
  /** Snapshots deleted. */
  deleted: number;
  /** Days before this instant (a UTC midnight) hold one snapshot per repo. */
  compactedBefore: Date;
}

const DAY_MS = 86_400_000;

/**
 * Retention: hourly snapshots of days that ended more than `retentionDays` ago are compacted to
 * the day's last one (what trends read). Only days not compacted before are looked at; call it
 * inside the refresh's transaction (it holds the trend lock) or on its own.
 */
export async function compactSnapshots(db: Kysely<Database>, options: CompactOptions): Promise<CompactResult> {
  const now = options.now ?? (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]!.now;
  const cutoff = new Date(Math.floor((now.getTime() - options.retentionDays * DAY_MS) / DAY_MS) * DAY_MS);
  const { rows } = await sql<{ compacted_before: Date | null }>`
    select compacted_before from trend_refresh_state`.execute(db);
  const previous = rows[0]?.compacted_before ?? null;
  // A day already compacted may have had a late snapshot added since: look one day further back.
  const since: Date | string = previous ? new Date(previous.getTime() - DAY_MS) : '-infinity';
  if (previous && previous.getTime() >= cutoff.getTime()) return { deleted: 0, compactedBefore: previous };
  const res = await runSqlFile(db, 'compact_snapshots', { since, cutoff });
  await sql`update trend_refresh_state set compacted_before = ${cutoff}`.execute(db);
  return { deleted: Number(res.numAffectedRows ?? 0), compactedBefore: cutoff };
}
