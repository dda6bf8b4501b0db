import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/index.js';
import { hashEmail, runHistory } from '../../src/history/index.js';
import { importList } from '../../src/landscape/index.js';
import { createLogger } from '../../src/log/logger.js';
import { historyStatus } from '../../src/cli/commands/status-history.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/database.js';

const API = 'https://api.github.com';
const NOW = new Date('2026-11-28T10:00:00Z');
const headers = { date: 'Sat, 28 Nov 2026 10:00:00 GMT', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4990', 'x-ratelimit-used': '10', 'x-ratelimit-reset': '1795850000', 'x-ratelimit-resource': 'graphql' };
const rateLimit = { resources: { core: { limit: 5000, used: 0, remaining: 5000, reset: 1795850000 }, graphql: { limit: 5000, used: 10, remaining: 4990, reset: 1795850000 } } };
const client = () => createGitHubClient({ apiUrl: API, tokens: ['ghp_unit'], logger: createLogger({ level: 'silent' }), graphqlSpacingMs: 0 });

type Body = { query: string; variables: Record<string, unknown> };
const page = (totalCount: number, edges: unknown[], hasNextPage = false) => ({ totalCount, pageInfo: { hasNextPage, endCursor: edges.length ? `c${edges.length}` : null }, edges });
const fork = (id: number, createdAt: string) => ({ cursor: `f${id}`, node: { databaseId: id, nameWithOwner: `someone${id}/rocket`, createdAt } });
const commit = (oid: string, committedDate: string, author: { email: string | null; user: { login: string } | null }) => ({ cursor: `k${oid}`, node: { oid, committedDate, author } });

/** Answers each alias of the history query by its stream, from `streams`. */
function answer(body: Body, streams: { forks: unknown; releases: unknown; commits: unknown; stars: unknown | 'FORBIDDEN' }) {
  const data: Record<string, unknown> = { rateLimit: { cost: 1, remaining: 4989, resetAt: '2026-11-28T11:00:00Z' } };
  const errors: unknown[] = [];
  for (const match of body.query.matchAll(/(p\d+): repository\(owner: \$o\d+, name: \$n\d+\) \{ (\w+)/g)) {
    const [, alias, field] = match as unknown as [string, string, string];
    if (field === 'forks') data[alias] = { forks: streams.forks };
    if (field === 'releases') data[alias] = { releases: streams.releases };
    if (field === 'defaultBranchRef') {
      const total = body.query.includes('total: history') ? { total: { totalCount: (streams.commits as { totalCount: number }).totalCount } } : {};
      data[alias] = { defaultBranchRef: { target: { history: streams.commits, ...total } } };
    }
    if (field === 'stargazers') {
      if (streams.stars === 'FORBIDDEN') {
        data[alias] = { stargazers: null };
        errors.push({ type: 'FORBIDDEN', path: [alias, 'stargazers'], message: 'Must have admin rights to Repository.' });
      } else data[alias] = { stargazers: streams.stars };
    }
  }
  return errors.length ? { data, errors } : { data };
}

describe.each(DATABASE_KINDS)('history with a mocked GitHub on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    nock.disableNetConnect();
    database = await createTestDatabase(kind);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'greenshoots-nock-'));
    writeFileSync(path.join(dir, 'repos.yml'), '- acme/rocket\n');
    await importList(database.db, { source: { file: path.join(dir, 'repos.yml') } });
    await database.db.updateTable('repos').set({ status: 'active', current_full_name: 'acme/rocket', github_id: 42 }).execute();
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await database.drop();
  });

  const run = () => runHistory(database.db, client(), { logger: createLogger({ level: 'silent' }), horizonDays: null, reservePoints: 0, now: () => NOW });

  it('stops at the watermark: a quiet repo costs one request, asks 25 items and commits only since the watermark', async () => {
    const streams = {
      forks: page(2, [fork(2, '2026-11-20T00:00:00Z'), fork(1, '2026-10-01T00:00:00Z')]),
      releases: page(0, []),
      commits: page(2, [
        commit('b2', '2026-11-27T08:00:00Z', { email: 'Alice@Example.org ', user: null }),
        commit('a1', '2026-11-01T08:00:00Z', { email: 'bob@example.org', user: { login: 'bob' } }),
      ]),
      stars: 'FORBIDDEN' as const,
    };
    const bodies: Body[] = [];
    const scope = nock(API)
      .get('/rate_limit').times(2).reply(200, rateLimit, headers)
      .post('/graphql', (b: Body) => (bodies.push(b), true)).times(2).reply(200, (_uri, b) => answer(b as Body, streams), headers);

    const first = await run();
    expect(first).toMatchObject({ status: 'succeeded', restricted: 1, rows: { forks: 2, releases: 0, commits: 2, stars: 0 } });
    const second = await run();
    expect(second).toMatchObject({ status: 'succeeded', restricted: 0, rows: { forks: 0, releases: 0, commits: 0, stars: 0 } });
    expect(second.counters.graphql_requests).toBe(1);
    expect(scope.isDone()).toBe(true);

    // The quiet run: forks, releases, commits; no stars (refused, asked again in 30 days); 25 items each.
    const quiet = bodies[1] as Body;
    expect(quiet.query.match(/repository\(/g)).toHaveLength(3);
    expect(quiet.query).not.toContain('stargazers');
    expect(Object.entries(quiet.variables).filter(([k]) => k.startsWith('f')).map(([, v]) => v)).toEqual([25, 25, 25]);
    // Commits since the watermark (the newest commit) minus the 2-day overlap.
    expect(Object.values(quiet.variables)).toContain('2026-11-25T08:00:00.000Z');

    // Authors: the login when linked, else the hash of the trimmed, lower-cased email, never the email.
    const commits = await database.db.selectFrom('repo_commits').select(['oid', 'author_key', 'author_login']).orderBy('oid').execute();
    expect(commits).toEqual([
      { oid: 'a1', author_key: 'login:bob', author_login: 'bob' },
      { oid: 'b2', author_key: `email:${hashEmail('alice@example.org')}`, author_login: null },
    ]);
    // SHA-256 of "alice@example.org" (echo -n alice@example.org | sha256sum)
    expect(hashEmail(' ALICE@Example.org ')).toBe('7a64adf28737ea90719cbdf0b1a87a5effff3753b79c91d717f4f4153ead0498');
    const text = JSON.stringify(await database.db.selectFrom('repo_commits').selectAll().execute());
    expect(text).not.toMatch(/example\.org/i);
  });

  it('notes drift when GitHub counts more forks than it lists, and shows it in status', async () => {
    const listed = [fork(2, '2026-11-20T00:00:00Z'), fork(1, '2026-10-01T00:00:00Z')];
    let forkTotal = 2;
    const streams = () => ({ forks: page(forkTotal, listed), releases: page(0, []), commits: page(0, []), stars: 'FORBIDDEN' as const });
    nock(API)
      .get('/rate_limit').times(2).reply(200, rateLimit, headers)
      .post('/graphql').times(2).reply(200, (_uri, b) => answer(b as Body, streams()), headers);

    await run();
    expect((await historyStatus(database.db)).drift).toEqual([]);
    forkTotal = 3; // one fork GitHub counts but does not list (e.g. made private)
    const second = await run();
    expect(second.drift).toBe(1);
    const status = await historyStatus(database.db);
    expect(status.drift).toEqual([{ repo: 'acme/rocket', stream: 'forks', reported: 3, stored: 2, before_horizon: 0, drift: 1, noted_at: NOW }]);
    expect(status.restricted.map((r) => r.repo)).toEqual(['acme/rocket']);
  });

  it('records a star list answered empty as restricted, without failing the run', async () => {
    const streams = { forks: page(0, []), releases: page(0, []), commits: page(0, []), stars: page(120, []) };
    nock(API).get('/rate_limit').reply(200, rateLimit, headers).post('/graphql').reply(200, (_uri, b) => answer(b as Body, streams), headers);
    const result = await run();
    expect(result).toMatchObject({ status: 'succeeded', restricted: 1 });
    const stars = await database.db.selectFrom('repo_streams').selectAll().where('stream', '=', 'stars').executeTakeFirstOrThrow();
    expect(stars).toMatchObject({ restricted: true, restricted_reason: 'GitHub answered an empty stargazer list for 120 stars' });
    expect(stars.next_check_at).toEqual(new Date(NOW.getTime() + 30 * 86_400_000));
  });
});
