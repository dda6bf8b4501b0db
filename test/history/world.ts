import { sql } from 'kysely';
import { hashEmail, runHistory, type HistoryOptions, type HistorySummary } from '../../src/history/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { GitHubClient } from '../../src/github/index.js';
import { collectorWorld, type CollectorWorld } from '../helpers/collector.js';
import type { DatabaseKind } from '../helpers/database.js';
import type { SimulatorOptions } from '../simulator/index.js';
import { isoSeconds } from '../simulator/clock.js';
import { viewRepo } from '../simulator/world/view.js';

export const DAY = 86_400_000;
const silent = createLogger({ level: 'silent' });

export interface HistoryWorld extends CollectorWorld {
  /** One history run with a fresh client, on the simulator's clock. */
  history(options?: Partial<HistoryOptions> & { client?: GitHubClient }): Promise<HistorySummary>;
}

/** A simulator and database tracking `repos`, with one snapshot collect done (history reads only observed repos). */
export async function historyWorld(kind: DatabaseKind, repos: string[], simOptions: SimulatorOptions = {}): Promise<HistoryWorld> {
  const world = await collectorWorld(kind, repos, simOptions);
  // With the simulator's `tokens`, only those are accepted: every client uses the first.
  const tokens = simOptions.tokens ? Object.keys(simOptions.tokens).slice(0, 1) : undefined;
  const client = (options: { budgetShare?: number } = {}): GitHubClient => world.client({ ...options, ...(tokens ? { tokens } : {}) });
  await world.run({ contributorsMaxAgeHours: 0, client: client() });
  return {
    ...world,
    client,
    run: (options = {}) => world.run({ client: client(), ...options }),
    history: ({ client: given, ...options } = {}) =>
      runHistory(world.database.db, given ?? client(), {
        logger: silent,
        horizonDays: 365,
        reservePoints: 0,
        now: () => world.sim.clock.now(),
        ...options,
      }),
  };
}

/** What the simulator lists for a repo at its current time, oldest first, as GitHub would serve it. */
export function simLists(world: CollectorWorld, fullName: string) {
  const found = world.sim.state.resolve(fullName);
  if (found.kind !== 'found') throw new Error(`${fullName} is not in the simulator`);
  const view = viewRepo(world.sim.state, found.record, world.sim.clock.nowMs());
  const c = view.counts;
  return {
    forks: Array.from({ length: c.directForks }, (_, i) => view.fork(i)).map((f) => ({ id: f.databaseId, at: isoSeconds(f.createdAt) })),
    releases: Array.from({ length: c.releases }, (_, i) => view.release(i)).map((r) => ({ tag: r.tagName, at: isoSeconds(r.createdAt) })),
    commits: Array.from({ length: c.commits }, (_, i) => view.commit(i)).map((m) => ({
      oid: m.oid,
      at: isoSeconds(m.committedDate),
      author: m.authorLogin ? `login:${m.authorLogin}` : `email:${hashEmail(m.authorEmail)}`,
    })),
  };
}

/** Counts per UTC day of the items at or after `from` (ISO strings). */
export function perDay(times: readonly string[], from: Date | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of times) {
    if (from !== null && Date.parse(t) < from.getTime()) continue;
    const day = t.slice(0, 10);
    counts[day] = (counts[day] ?? 0) + 1;
  }
  return counts;
}

/** Each author's first commit day among `commits` at or after `from`, counted per day. */
export function newContributorsPerDay(commits: ReadonlyArray<{ at: string; author: string }>, from: Date | null): Record<string, number> {
  const first = new Map<string, string>();
  for (const c of commits) {
    if (from !== null && Date.parse(c.at) < from.getTime()) continue;
    const seen = first.get(c.author);
    if (seen === undefined || c.at < seen) first.set(c.author, c.at);
  }
  return perDay([...first.values()], null);
}

/** The database's counts per day for one repo (UTC days). */
export async function storedPerDay(world: CollectorWorld, fullName: string) {
  const db = world.database.db;
  const id = (await db.selectFrom('repos').select('id').where('full_name_key', '=', fullName.toLowerCase()).executeTakeFirstOrThrow()).id;
  const days = async (q: ReturnType<typeof sql<{ day: string; n: number }>>) => {
    const { rows } = await q.execute(db);
    return Object.fromEntries(rows.map((r) => [r.day, Number(r.n)]));
  };
  return {
    id,
    forks: await days(sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n from repo_forks where repo_id = ${id} group by 1`),
    releases: await days(sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n from repo_releases where repo_id = ${id} group by 1`),
    newContributors: await days(
      sql`select to_char(first_commit_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n from repo_contributor_first_seen where repo_id = ${id} group by 1`,
    ),
  };
}

/** Every history row of every table (seen_at aside: it says when this tool saw it), in a stable order. */
export async function allHistoryRows(world: { database: { db: CollectorWorld['database']['db'] } }) {
  const db = world.database.db;
  const q = async (text: ReturnType<typeof sql>) => (await text.execute(db)).rows;
  return {
    forks: await q(sql`select r.full_name_key, f.fork_id, f.full_name, f.created_at from repo_forks f join repos r on r.id = f.repo_id order by 1, 2`),
    releases: await q(sql`select r.full_name_key, x.tag_name, x.name, x.created_at, x.published_at, x.is_prerelease from repo_releases x join repos r on r.id = x.repo_id order by 1, 2`),
    commits: await q(sql`select r.full_name_key, c.oid, c.committed_at, c.author_key, c.author_login from repo_commits c join repos r on r.id = c.repo_id order by 1, 2`),
    stars: await q(sql`select r.full_name_key, s.user_login, s.starred_at from repo_stars s join repos r on r.id = s.repo_id order by 1, 2`),
  };
}

/** Keeps only days after `from`'s day (a horizon's own day is partial, and release times may be out of order within an hour). */
export function afterDay(counts: Record<string, number>, from: Date): Record<string, number> {
  const day = from.toISOString().slice(0, 10);
  return Object.fromEntries(Object.entries(counts).filter(([d]) => d > day));
}
