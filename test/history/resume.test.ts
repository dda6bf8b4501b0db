import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/database.js';
import { HistoryBusyError } from '../../src/history/index.js';
import { allHistoryRows, historyWorld, type HistoryWorld } from './world.js';

const REPOS = ['dapr/dapr', 'kubeedge/kubeedge', 'open-policy-agent/opa'];

/** stored_total must be what the tables hold: no row counted twice, none missed. */
async function storedTotalsMatch(world: HistoryWorld): Promise<void> {
  const { rows } = await sql<{ stream: string; stored: number; actual: number }>`
    select s.stream, s.stored_total as stored,
      case s.stream
        when 'forks' then (select count(*) from repo_forks f where f.repo_id = s.repo_id)
        when 'releases' then (select count(*) from repo_releases r where r.repo_id = s.repo_id)
        when 'commits' then (select count(*) from repo_commits c where c.repo_id = s.repo_id)
        else (select count(*) from repo_stars x where x.repo_id = s.repo_id) end::int as actual
    from repo_streams s`.execute(world.database.db);
  for (const r of rows) expect(r.stored, r.stream).toBe(r.actual);
}

describe.each(DATABASE_KINDS)('history resumes on %s', (kind) => {
  const worlds: HistoryWorld[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.close();
  });

  it('stopped between pages, the next run ends with exactly the rows of an uninterrupted one', async () => {
    const reference = await historyWorld(kind, REPOS);
    worlds.push(reference);
    await reference.history({ pagesPerQuery: 3 });
    const expected = await allHistoryRows(reference);

    const world = await historyWorld(kind, REPOS);
    worlds.push(world);
    const abort = new AbortController();
    const stopped = await world.history({
      pagesPerQuery: 3,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'history backfill' && p.done >= 6) abort.abort();
      },
    });
    expect(stopped.status).toBe('partial');
    expect(stopped.backfillLeft.streams).toBeGreaterThan(0);
    const resumed = await world.history({ pagesPerQuery: 3 });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.backfillLeft.streams).toBe(0);
    expect(await allHistoryRows(world)).toEqual(expected);
    await storedTotalsMatch(world);
  });

  it('stops after queries fail in a row, and the next run fills the rest without a gap', async () => {
    const reference = await historyWorld(kind, REPOS);
    worlds.push(reference);
    await reference.history({ pagesPerQuery: 4 });
    const expected = await allHistoryRows(reference);

    const world = await historyWorld(kind, REPOS);
    worlds.push(world);
    // Every GraphQL request fails (connection dropped, after the client's retries) from the 3rd on.
    const start = world.sim.clock.nowMs();
    let sent = 0;
    const failing = await world.history({
      pagesPerQuery: 4,
      onProgress: (p) => {
        if (p.phase === 'history backfill' && ++sent === 2) world.sim.faults.set({ kind: 'drop', route: 'graphql', rate: 1 });
      },
    });
    world.sim.faults.clear();
    // The client's retry backoff moved the simulated clock; the simulator places past events to the
    // second relative to its now, so go back to the reference's instant to compare rows exactly.
    world.sim.clock.set(start);
    expect(failing.status).toBe('partial');
    expect(failing.message).toMatch(/failed queries in a row/);
    const resumed = await world.history({ pagesPerQuery: 4 });
    expect(resumed.backfillLeft.streams).toBe(0);
    expect(await allHistoryRows(world)).toEqual(expected);
    await storedTotalsMatch(world);
  });

  // PGlite serves one process (a lock file keeps others out) over one session, which holds the lock already.
  it.runIf(kind === 'postgres')('lets one history run at a time on a database: a second one is refused, not interleaved', async () => {
    const world = await historyWorld(kind, REPOS);
    worlds.push(world);
    world.sim.faults.inject({ kind: 'slow', route: 'graphql', count: 1, delayMs: 500 });
    const first = world.history();
    await new Promise((r) => setTimeout(r, 100));
    await expect(world.history()).rejects.toBeInstanceOf(HistoryBusyError);
    expect((await first).status).toBe('succeeded');
  });
});
