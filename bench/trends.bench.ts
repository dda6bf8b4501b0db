/**
 * The trends benchmark: a synthetic history generated in SQL, then a full refresh and the refresh
 * after one hourly collect, on Postgres and on PGlite.
 *
 *   npx tsx bench/trends.bench.ts [--db pglite|postgres|both] [--repos 3000] [--pg-url URL]
 *
 * History (generate_series, deterministic): `--repos` repos in projects of three, 3 years of one
 * snapshot a day then the last 90 days hourly, one year of commits (about one a day per repo, 20
 * authors each, with their backfill marked done) and a release every ~30 days. Then: the first
 * (full) refresh; one hourly collect (a snapshot per repo, a few commits) and the incremental
 * refresh; the same again with retention (RETENTION_DAYS=90) on. Prints the figures as Markdown.
 */
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { createLogger } from '../src/log/logger.js';
import { refreshTrends } from '../src/trends/index.js';
import { createBenchDatabase, type BenchDbKind } from './lib/databases.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    repos: { type: 'string', default: '3000' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    steps: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
/** --steps: each refresh statement's time on stderr (JSON lines). */
const logger = values.steps ? createLogger({ level: 'debug', pretty: false }) : undefined;
const kinds: BenchDbKind[] = values.db === 'both' ? ['postgres', 'pglite'] : [values.db as BenchDbKind];
const REPOS = Number(values.repos);
/** The synthetic "now": the last hourly snapshot is one hour before it. */
const END = '2026-11-28T00:00:00Z';
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  log(`  ${label}: ${(ms / 1000).toFixed(2)} s`);
  return { value, ms };
}

/** Every statement is parameterless DDL/DML over generate_series; the sizes are bound. */
async function generate(db: Kysely<Database>): Promise<Record<'repos' | 'repo_snapshots' | 'repo_commits' | 'repo_releases', number>> {
  const end = END;
  await sql`insert into imports (source, kind, location, content_sha256) values ('bench', 'list', 'bench', 'x')`.execute(db);
  await sql`
    insert into repos (owner, name, full_name_key, status, github_created_at)
    select 'bench', 'repo' || i, 'bench/repo' || i, 'active', ${end}::timestamptz - make_interval(days => 400 + (i * 37) % 3000)
    from generate_series(1, ${REPOS}::int) i`.execute(db);
  await sql`
    insert into projects (source, name, name_key, category, subcategory, maturity, content_hash)
    select 'bench', 'Project ' || p, 'project ' || p, 'Category ' || (p % 12), 'Sub', 
           (array['sandbox', 'incubating', 'graduated', 'none'])[1 + p % 4], 'x'
    from generate_series(1, (${REPOS}::int + 2) / 3) p`.execute(db);
  await sql`
    insert into project_repos (project_id, repo_id, role)
    select p.id, r.id, case when r.id % 3 = 1 then 'primary' else 'additional' end
    from repos r join projects p on p.name = 'Project ' || ((r.id + 2) / 3)`.execute(db);
  // Stars: a base and a growth rate per repo, plus a weekly rhythm; never decreasing.
  const snapshots = sql`
    insert into repo_snapshots (repo_id, observed_at, full_name, stars, forks, open_issues, open_prs, pushed_at)
    select r.id, t, 'bench/repo' || r.id,
           (10 + (r.id * 7919) % 5000) + floor(extract(epoch from t - (${end}::timestamptz - interval '1095 days')) / 86400
             * (1 + r.id % 13) * (1 + 0.2 * sin(extract(epoch from t) / 86400 / 7)))::int,
           (2 + (r.id * 31) % 400) + floor(extract(epoch from t - (${end}::timestamptz - interval '1095 days')) / 86400 / (3 + r.id % 5))::int,
           (r.id * 17) % 300, (r.id * 13) % 60, t - interval '3 hours'
    from repos r
    cross join generate_series`;
  await sql`${snapshots}(${end}::timestamptz - interval '1095 days' + interval '12 hours', ${end}::timestamptz - interval '91 days', interval '1 day') t`.execute(db);
  await sql`${snapshots}(${end}::timestamptz - interval '90 days', ${end}::timestamptz - interval '1 hour', interval '1 hour') t`.execute(db);
  // A year of commits: about one a day per repo, by 20 authors of unequal weight.
  await sql`
    insert into repo_commits (repo_id, oid, committed_at, author_key, author_login)
    select r.id, r.id || '-' || d, ${end}::timestamptz - make_interval(days => d, hours => ((r.id + d) % 24)::int),
           'login:a' || ((r.id + (d * d) % 97) % 20), 'a' || ((r.id + (d * d) % 97) % 20)
    from repos r cross join generate_series(1, 364) d
    where (r.id + d) % 7 <> 0`.execute(db);
  await sql`
    insert into repo_releases (repo_id, tag_name, created_at, published_at)
    select r.id, 'v' || k, ${end}::timestamptz - make_interval(days => (k * (20 + r.id % 20))::int), ${end}::timestamptz - make_interval(days => (k * (20 + r.id % 20))::int)
    from repos r cross join generate_series(1, 1095 / 40) k`.execute(db);
  await sql`
    insert into repo_streams (repo_id, stream, newest_at, oldest_at, backfill_done, horizon_at, checked_at)
    select r.id, s, ${end}::timestamptz - interval '1 hour', ${end}::timestamptz - interval '365 days', true,
           ${end}::timestamptz - interval '365 days', ${end}::timestamptz - interval '1 hour'
    from repos r cross join unnest(array['commits', 'releases']) s`.execute(db);
  const counts = { repos: 0, repo_snapshots: 0, repo_commits: 0, repo_releases: 0 };
  for (const table of ['repos', 'repo_snapshots', 'repo_commits', 'repo_releases'] as const) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    counts[table] = rows[0]!.n;
  }
  return counts;
}

/** What one hourly collect adds: a snapshot per repo, a commit in one repo of five, a new stream watermark. */
async function hourlyCollect(db: Kysely<Database>, hour: number): Promise<void> {
  const at = new Date(Date.parse(END) + (hour - 1) * 3_600_000);
  await sql`
    insert into repo_snapshots (repo_id, observed_at, full_name, stars, forks, open_issues, open_prs)
    select s.repo_id, ${at}::timestamptz, s.full_name, s.stars + 1 + s.repo_id % 3, s.forks, s.open_issues, s.open_prs
    from latest_snapshots s`.execute(db);
  await sql`
    insert into repo_commits (repo_id, oid, committed_at, author_key)
    select id, id || '-h' || ${hour}::int, ${at}::timestamptz - interval '10 minutes', 'login:new' || (id % 50)
    from repos where id % 5 = ${hour % 5}::int`.execute(db);
  await sql`update repo_streams set checked_at = ${at}::timestamptz, newest_at = ${at}::timestamptz where stream = 'commits'`.execute(db);
}

const results: string[] = [];
for (const kind of kinds) {
  log(`${kind}: ${REPOS} repos`);
  const bench = await createBenchDatabase(kind, values['pg-url']);
  const handle = await openDatabase(bench.config);
  try {
    await migrate(handle.db);
    const gen = await timed('generate history', () => generate(handle.db));
    // Vacuumed and analyzed, as autovacuum keeps a live database: without it every index-only
    // lookup of the freshly generated tables also reads the table (its visibility map is empty).
    if (kind === 'postgres') await sql`vacuum analyze`.execute(handle.db);
    // The generated history (several GB of new pages and WAL) is written out now, not by the
    // checkpointer while the refresh being timed runs (needs a superuser or pg_checkpoint; else skipped).
    if (kind === 'postgres') await sql`checkpoint`.execute(handle.db).catch(() => log('  (no checkpoint: not allowed for this user)'));
    if (values.keep && kind === 'postgres') {
      await refreshTrends(handle.db, { logger });
      await hourlyCollect(handle.db, 1);
      continue;
    }
    const full = await timed('full refresh', () => refreshTrends(handle.db, { logger }));
    await hourlyCollect(handle.db, 1);
    const hourly = await timed('refresh after one hourly collect', () => refreshTrends(handle.db, { logger }));
    await hourlyCollect(handle.db, 2);
    const withRetention = await timed('the same with retention on (first compaction)', () =>
      refreshTrends(handle.db, { logger, retentionDays: 90, now: new Date(Date.parse(END) + 3_600_000) }));
    await hourlyCollect(handle.db, 3);
    const steady = await timed('the same, retention already caught up', () =>
      refreshTrends(handle.db, { logger, retentionDays: 90, now: new Date(Date.parse(END) + 2 * 3_600_000) }));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from repo_daily`.execute(handle.db);
    results.push(
      `| ${kind} | ${gen.value.repos} repos, ${gen.value.repo_snapshots.toLocaleString('en-US')} snapshots, ${gen.value.repo_commits.toLocaleString('en-US')} commits, ${gen.value.repo_releases.toLocaleString('en-US')} releases → ${rows[0]!.n.toLocaleString('en-US')} daily rows | ${(gen.ms / 1000).toFixed(0)} s | ${(full.ms / 1000).toFixed(1)} s | ${(hourly.ms / 1000).toFixed(2)} s (${hourly.value.repos} repos, ${hourly.value.days} days) | ${(withRetention.ms / 1000).toFixed(2)} s (${withRetention.value.compacted?.deleted ?? 0} deleted) | ${(steady.ms / 1000).toFixed(2)} s |`,
    );
  } finally {
    await handle.close();
    if (values.keep) log(`  kept: ${bench.location}`);
    else await bench.drop();
  }
}
process.stdout.write(
  [
    '| database | history | generate | full refresh | after one hourly collect | + retention, first time | + retention, steady |',
    '|---|---|---|---|---|---|---|',
    ...results,
  ].join('\n') + '\n',
);
