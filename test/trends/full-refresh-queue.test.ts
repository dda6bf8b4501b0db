import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { refreshTrends } from '../../src/trends/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addCommits, addProject, addSnapshot, addStream, at } from './fixtures.js';

/**
 * A full refresh empties the queue of new commits (trend_commit_queue) at once, while collects may
 * be storing commits: each commit must be counted once, by this refresh or by the next one. Two
 * sessions at once: Postgres only (PGlite has one).
 */
describe.runIf(DATABASE_KINDS.includes('postgres'))('commits stored while a full refresh runs (Postgres)', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('postgres');
  });
  afterEach(async () => {
    await t.drop();
  });

  async function authors(): Promise<Array<{ author_key: string; commits_365d: number }>> {
    const { rows } = await sql<{ author_key: string; commits_365d: number }>`
      select author_key, commits_365d from trend_repo_authors order by author_key`.execute(t.db);
    return rows;
  }

  async function queued(): Promise<string[]> {
    const { rows } = await sql<{ author_key: string }>`select author_key from trend_commit_queue order by author_key`.execute(t.db);
    return rows.map((r) => r.author_key);
  }

  it('are counted once: those it waited for by it, those that waited for it by the next refresh', async () => {
    const { repoIds } = await addProject(t.db, { name: 'Busy', repos: ['acme/busy'] });
    const repo = repoIds[0]!;
    await addSnapshot(t.db, repo, at('2026-01-10', 9), { stars: 5 });
    await addStream(t.db, repo, 'commits', { backfill_done: true, checked_at: at('2026-01-10', 12) });
    await addCommits(t.db, repo, 'ann', [at('2026-01-02', 3), at('2026-01-03', 3)]);
    await refreshTrends(t.db);
    expect(await authors()).toEqual([{ author_key: 'login:ann', commits_365d: 2 }]);

    // A collect has stored bea's commit (queued by the trigger) but not committed when the full
    // refresh starts; it commits once the refresh waits for it.
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstStored!: () => void;
    const firstIsStored = new Promise<void>((resolve) => (firstStored = resolve));
    const first = t.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await addCommits(conn, repo, 'bea', [at('2026-01-05', 3)]);
      firstStored();
      await firstMayCommit;
      await sql`commit`.execute(conn);
    });
    await firstIsStored;

    // Another collect stores cid's commit once the refresh has emptied the queue.
    let second: Promise<void> | undefined;
    const steps = new Writable({
      write(line: Buffer, _encoding, done) {
        if ((JSON.parse(line.toString()) as { step?: string }).step === '10_full_clear_queue') {
          second = addCommits(t.db, repo, 'cid', [at('2026-01-06', 3)]);
        }
        done();
      },
    });
    const logger = createLogger({ level: 'debug', pretty: false, destination: steps });
    let settled = false;
    const refresh = refreshTrends(t.db, { full: true, logger }).finally(() => (settled = true));
    // let the first collect commit once the refresh is waiting for it (or has ended)
    for (let waiting = 0; waiting === 0 && !settled; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_locks where relation = 'trend_commit_queue'::regclass and not granted`.execute(t.db);
      waiting = rows[0]!.n;
    }
    commitFirst();
    await first;
    await refresh;
    expect(second, 'the second collect started during the refresh').toBeDefined();
    await second;

    // bea's commit counted by the full refresh; cid's waits in the queue for the next one
    expect(await authors()).toEqual([
      { author_key: 'login:ann', commits_365d: 2 },
      { author_key: 'login:bea', commits_365d: 1 },
    ]);
    expect(await queued()).toEqual(['login:cid']);

    await refreshTrends(t.db);
    const afterNext = await authors();
    expect(afterNext).toEqual([
      { author_key: 'login:ann', commits_365d: 2 },
      { author_key: 'login:bea', commits_365d: 1 },
      { author_key: 'login:cid', commits_365d: 1 },
    ]);
    expect(await queued()).toEqual([]);
    await refreshTrends(t.db, { full: true });
    expect(await authors()).toEqual(afterNext);
  });
});
