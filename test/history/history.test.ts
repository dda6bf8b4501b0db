import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/database.js';
import { HOUR } from '../helpers/collector.js';
import { DAY, afterDay, allHistoryRows, historyWorld, newContributorsPerDay, perDay, simLists, storedPerDay, type HistoryWorld } from './world.js';

const REPOS = ['dapr/dapr', 'open-policy-agent/opa', 'kubeedge/kubeedge', 'fluxcd/flux2', 'tikv/tikv'];

describe.each(DATABASE_KINDS)('history against the simulator on %s', (kind) => {
  let world: HistoryWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('backfills a year: forks, releases and new contributors per day equal the simulator; a second run adds nothing', async () => {
    world = await historyWorld(kind, REPOS);
    const first = await world.history();
    expect(first.status).toBe('succeeded');
    expect(first.backfillLeft.streams).toBe(0);
    const horizon = new Date(world.sim.clock.nowMs() - 365 * DAY);

    for (const repo of REPOS) {
      const truth = simLists(world, repo);
      const stored = await storedPerDay(world, repo);
      expect(stored.forks, `${repo} forks`).toEqual(perDay(truth.forks.map((f) => f.at), horizon));
      expect(afterDay(stored.releases, horizon), `${repo} releases`).toEqual(afterDay(perDay(truth.releases.map((r) => r.at), horizon), horizon));
      expect(stored.newContributors, `${repo} new contributors`).toEqual(newContributorsPerDay(truth.commits, horizon));
    }

    const before = await allHistoryRows(world);
    const second = await world.history();
    expect(second.status).toBe('succeeded');
    expect(second.rows).toEqual({ forks: 0, releases: 0, commits: 0, stars: 0 });
    expect(second.pages.backfill).toBe(0);
    expect(await allHistoryRows(world)).toEqual(before);
  });

  it('a quiet repo costs one small request: the newest pages of every stream in one query of one point', async () => {
    world = await historyWorld(kind, REPOS);
    await world.history();
    world.sim.stats.reset();
    const quiet = await world.history();
    expect(quiet.counters.graphql_requests).toBe(1);
    expect(quiet.counters.graphql_points).toBe(1);
    // Forks, releases and commits of each repo; the refused star lists wait for their recheck.
    expect(quiet.pages).toEqual({ probe: REPOS.length * 3, catchup: 0, backfill: 0 });
    expect(quiet.rows).toEqual({ forks: 0, releases: 0, commits: 0, stars: 0 });
    expect(world.sim.stats.snapshot().graphqlPoints).toBe(1);
  });

  it('reads what is new a month later, down to the watermark, with no gap and no duplicate', async () => {
    world = await historyWorld(kind, ['kubeedge/kubeedge', 'dapr/dapr']);
    await world.history();
    const horizon = new Date(world.sim.clock.nowMs() - 365 * DAY);
    world.sim.clock.advance(30 * DAY);
    await world.run({ contributorsMaxAgeHours: 0 });
    const later = await world.history();
    expect(later.status).toBe('succeeded');
    expect(later.rows.commits).toBeGreaterThan(0);
    // A month of kubeedge's commits does not fit the first 25-item page: the rest came as catch-up pages.
    expect(later.pages.catchup).toBeGreaterThan(0);
    for (const repo of ['kubeedge/kubeedge', 'dapr/dapr']) {
      const truth = simLists(world, repo);
      const stored = await storedPerDay(world, repo);
      expect(stored.forks).toEqual(perDay(truth.forks.map((f) => f.at), horizon));
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from repo_commits where repo_id = ${stored.id}`.execute(world.database.db);
      expect(rows[0]?.n).toBe(truth.commits.filter((c) => Date.parse(c.at) >= horizon.getTime()).length);
    }
  });

  it('takes the whole history with horizon all: new contributors per day equal the simulator since the first commit', async () => {
    world = await historyWorld(kind, ['fluxcd/flux2', 'tikv/tikv']);
    const run = await world.history({ horizonDays: null });
    expect(run.status).toBe('succeeded');
    for (const repo of ['fluxcd/flux2', 'tikv/tikv']) {
      const truth = simLists(world, repo);
      const stored = await storedPerDay(world, repo);
      expect(stored.newContributors).toEqual(newContributorsPerDay(truth.commits, null));
      expect(stored.forks).toEqual(perDay(truth.forks.map((f) => f.at), null));
    }
    // Complete from the first item: GitHub's counts and the stored rows agree, no drift.
    const streams = await world.database.db.selectFrom('repo_streams').selectAll().where('stream', '<>', 'stars').execute();
    for (const s of streams) {
      expect(s).toMatchObject({ backfill_done: true, before_horizon_total: 0, drift_noted_at: null });
      expect(s.stored_total).toBe(s.reported_total);
    }
  });

  it('pages a repo with more forks than one budget allows round-robin with the others, and finishes over the next runs', async () => {
    const repos = ['kubernetes/kubernetes', 'dapr/dapr', 'open-policy-agent/opa', 'fluxcd/flux2'];
    world = await historyWorld(kind, repos, { limits: { graphql: 14 } });
    world.sim.resetBudgets();
    const first = await world.history({ skipBackfill: false });
    expect(first.status).toBe('partial');
    expect(first.message).toMatch(/budget share/);
    expect(world.sim.stats.snapshot().exhaustedBudgetRequests).toBe(0);

    const streams = await world.database.db
      .selectFrom('repo_streams')
      .innerJoin('repos', 'repos.id', 'repo_streams.repo_id')
      .select(['repos.full_name_key as repo', 'stream', 'backfill_done', 'stored_total'])
      .where('stream', '<>', 'stars')
      .execute();
    // The small repos finished while kubernetes' forks were paged alongside, one page per turn.
    for (const s of streams.filter((x) => x.repo !== 'kubernetes/kubernetes')) expect(s, `${s.repo} ${s.stream}`).toMatchObject({ backfill_done: true });
    const k8sForks = streams.find((x) => x.repo === 'kubernetes/kubernetes' && x.stream === 'forks');
    expect(k8sForks?.backfill_done).toBe(false);
    expect(k8sForks?.stored_total).toBeGreaterThan(100);

    // What is stored is the newest forks without a hole: exactly the simulator's newest N.
    const truthNow = simLists(world, 'kubernetes/kubernetes').forks;
    const storedIds = async () =>
      (
        await sql<{ fork_id: number }>`select fork_id from repo_forks f join repos r on r.id = f.repo_id where r.full_name_key = 'kubernetes/kubernetes'`.execute(
          world!.database.db,
        )
      ).rows.map((r) => Number(r.fork_id));
    const partial = new Set(await storedIds());
    expect(partial).toEqual(new Set(truthNow.slice(truthNow.length - partial.size).map((f) => f.id)));

    const horizon = (
      await world.database.db
        .selectFrom('repo_streams')
        .select('horizon_at')
        .where('stream', '=', 'forks')
        .where('repo_id', '=', (await world.database.db.selectFrom('repos').select('id').where('full_name_key', '=', 'kubernetes/kubernetes').executeTakeFirstOrThrow()).id)
        .executeTakeFirstOrThrow()
    ).horizon_at as Date;
    let runs = 1;
    let last = first;
    while (last.backfillLeft.streams > 0 && runs < 40) {
      world.sim.clock.advance(HOUR);
      world.sim.resetBudgets();
      last = await world.history();
      runs++;
    }
    expect(last.backfillLeft.streams).toBe(0);
    expect(runs).toBeGreaterThan(2);
    const truth = simLists(world, 'kubernetes/kubernetes').forks.filter((f) => Date.parse(f.at) >= horizon.getTime());
    const ids = await storedIds();
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(truth.map((f) => f.id)));
  }, 120_000);
});
