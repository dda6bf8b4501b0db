import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addCommits, addDays, addProject, addSnapshot, addStream, at, everything } from './fixtures.js';

/**
 * Commit-author windows (30/90/365 days and the periods before) are moved from day to day by the
 * commits that enter and leave them, not counted again: after every daily refresh they must equal
 * what a full refresh counts from scratch.
 */
describe.each(DATABASE_KINDS)('commit authors per window, refreshed day by day, on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  async function authors(): Promise<unknown[]> {
    const { rows } = await sql`
      select repo_id, author_key, commits_365d, commits_90d,
             commits_prev_90d, commits_30d, commits_prev_30d
      from trend_repo_authors order by repo_id, author_key`.execute(t.db);
    return rows;
  }

  it('match a count from scratch as the days move, windows drop old commits, days are skipped and late commits arrive', async () => {
    const { repoIds: [repo] } = await addProject(t.db, { name: 'Rocket', repos: ['acme/rocket'] });
    const start = '2025-01-01';
    // alice commits every 10 days for a year; bob once, early (leaves the 365-day window);
    // carol on the days around each window's edge.
    await addCommits(t.db, repo!, 'alice', Array.from({ length: 37 }, (_, i) => at(addDays(start, i * 10), 9)));
    await addCommits(t.db, repo!, 'bob', [at(addDays(start, 3), 9)]);
    await addCommits(t.db, repo!, 'carol', [29, 30, 59, 60, 89, 90, 179, 180, 364, 365].map((age) => at(addDays('2026-01-01', -age), 9)));
    await addStream(t.db, repo!, 'commits', { backfill_done: true, checked_at: at('2026-01-01', 23) });
    await addSnapshot(t.db, repo!, at('2026-01-01', 12), { stars: 10 });
    await refreshTrends(t.db);
    const first = (await authors()) as Array<{ author_key: string; commits_365d: number; commits_30d: number; commits_prev_30d: number }>;
    // as of 2026-01-01: carol's ages 29…364 count in 365 days except 365; her 30 days hold age 29
    const carol = first.find((a) => a.author_key === 'login:carol')!;
    expect([carol.commits_365d, carol.commits_30d, carol.commits_prev_30d]).toEqual([9, 1, 2]);

    // Each later day: a snapshot (the as_of moves), sometimes new commits, and checks against scratch.
    const steps: Array<{ day: string; commits?: Array<[string, string]> }> = [
      { day: '2026-01-02', commits: [['alice', '2026-01-02']] },
      { day: '2026-01-03' },
      { day: '2026-01-07', commits: [['dave', '2026-01-06']] }, // three days nobody refreshed
      { day: '2026-01-08', commits: [['erin', '2025-06-01']] }, // a late commit among the counted days
      { day: '2026-01-08', commits: [['alice', '2026-01-08'], ['frank', '2025-12-01']] }, // the same day again
      { day: '2026-02-15' },
      { day: '2026-04-20', commits: [['dave', '2026-04-20']] },
    ];
    for (const [i, step] of steps.entries()) {
      for (const [author, day] of step.commits ?? []) await addCommits(t.db, repo!, author, [at(day, 8)]);
      await sql`update repo_streams set checked_at = ${at(step.day, 23)} where repo_id = ${repo} and stream = 'commits'`.execute(t.db);
      await addSnapshot(t.db, repo!, at(step.day, 12 + i), { stars: 10 });
      await refreshTrends(t.db);
      const stepwise = { authors: await authors(), ...(await everything(t.db)) };
      await refreshTrends(t.db, { full: true });
      const scratch = { authors: await authors(), ...(await everything(t.db)) };
      expect(stepwise, `as of ${step.day}`).toEqual(scratch);
      const { rows: asOf } = await sql<{ as_of: string }>`select to_char(as_of, 'YYYY-MM-DD') as as_of from repo_trends where repo_id = ${repo}`.execute(t.db);
      expect(asOf).toEqual([{ as_of: step.day }]);
    }
    // bob's one commit (2025-01-04) is long out of the 365 days: no row left for him
    expect(((await authors()) as Array<{ author_key: string }>).map((a) => a.author_key)).toEqual(['login:alice', 'login:carol', 'login:dave', 'login:erin', 'login:frank']);
    // every new commit was claimed from the queue
    expect((await sql`select count(*)::int as n from trend_commit_queue`.execute(t.db)).rows).toEqual([{ n: 0 }]);
  });
});
