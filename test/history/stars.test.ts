import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/database.js';
import { DAY, historyWorld, type HistoryWorld } from './world.js';
import { isoSeconds } from '../simulator/clock.js';
import { viewRepo } from '../simulator/world/view.js';

const REPOS = ['fluxcd/flux2', 'tikv/tikv', 'vitessio/vitess'];

describe.each(DATABASE_KINDS)('stars on %s', (kind) => {
  let world: HistoryWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('stores stargazers where the token may list them, records the refusal elsewhere without failing, and asks again 30 days later', async () => {
    world = await historyWorld(kind, REPOS, { tokens: { tok: { user: 'maintainer', collaboratorOf: ['fluxcd/flux2'] } } });
    const run = await world.history({ horizonDays: null });
    expect(run.status).toBe('succeeded');
    expect(run.restricted).toBe(2);
    expect(run.counters.errors).toEqual([]);

    const streams = await world.database.db
      .selectFrom('repo_streams')
      .innerJoin('repos', 'repos.id', 'repo_streams.repo_id')
      .select(['repos.full_name_key as repo', 'restricted', 'restricted_reason', 'repo_streams.next_check_at', 'stored_total', 'backfill_done'])
      .where('stream', '=', 'stars')
      .orderBy('repo')
      .execute();
    const now = world.sim.clock.nowMs();
    expect(streams.map((s) => [s.repo, s.restricted])).toEqual([
      ['fluxcd/flux2', false],
      ['tikv/tikv', true],
      ['vitessio/vitess', true],
    ]);
    for (const s of streams.filter((x) => x.restricted)) {
      expect(s.restricted_reason).toMatch(/FORBIDDEN/);
      expect((s.next_check_at as Date).getTime()).toBe(now + 30 * DAY);
    }

    // flux2's stargazers, each with its time, exactly as the simulator lists them.
    const found = world.sim.state.resolve('fluxcd/flux2');
    if (found.kind !== 'found') throw new Error('flux2 missing');
    const view = viewRepo(world.sim.state, found.record, now);
    const truth = Array.from({ length: view.counts.stars }, (_, i) => view.stargazer(i)).map((s) => `${s.login} ${isoSeconds(s.starredAt)}`);
    const stored = await world.database.db
      .selectFrom('repo_stars')
      .innerJoin('repos', 'repos.id', 'repo_stars.repo_id')
      .select(['user_login', 'starred_at', 'source'])
      .where('repos.full_name_key', '=', 'fluxcd/flux2')
      .execute();
    expect(stored.map((s) => `${s.user_login} ${isoSeconds((s.starred_at as Date).getTime())}`).sort()).toEqual(truth.sort());
    expect(new Set(stored.map((s) => s.source))).toEqual(new Set(['graphql']));

    // Refused lists are not asked in the next runs…
    world.sim.stats.reset();
    world.sim.clock.advance(DAY);
    const next = await world.history({ horizonDays: null });
    expect(next.restricted).toBe(0);
    expect(next.pages.probe).toBe(REPOS.length * 3 + 1);
    // …until their recheck is due.
    world.sim.clock.advance(30 * DAY);
    const recheck = await world.history({ horizonDays: null });
    expect(recheck.restricted).toBe(2);
    expect(recheck.status).toBe('succeeded');
  });
});
