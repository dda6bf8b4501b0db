import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index.js';
import { graphql } from './test-client.js';

interface GqlError { type?: string; path?: Array<string | number>; message: string }
interface Gql<D> { data?: D | null; errors?: GqlError[] }
interface RepoData { nameWithOwner: string; databaseId: number; stargazerCount: number }

const REPOS = Array.from({ length: 100 }, (_, i) => `org${i}/repo${i}`);
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ repos: [...REPOS, 'cncf/gone', 'cncf/old-name', 'cncf/dmca'], seed: 7 });
  sim.state.delete('cncf/gone');
  sim.state.rename('cncf/old-name', 'cncf-new/new-name');
  sim.state.block('cncf/dmca');
});
afterAll(() => sim.close());

describe('batched repository queries', () => {
  it('answers the other aliases when one repo is deleted, with NOT_FOUND at its path', async () => {
    const res = await graphql<Gql<Record<string, RepoData | null>>>(sim, `
      query($o: String!) {
        r0: repository(owner: $o, name: "repo0") { ...R }
        r1: repository(owner: "cncf", name: "gone") { ...R }
        r2: repository(owner: "org2", name: "repo2") { ...R }
      }
      fragment R on Repository { nameWithOwner databaseId stargazerCount }`, { o: 'org0' });
    expect(res.status).toBe(200);
    expect(res.body.data?.r0?.nameWithOwner).toBe('org0/repo0');
    expect(res.body.data?.r2?.stargazerCount).toBeGreaterThan(0);
    expect(res.body.data?.r1).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ type: 'NOT_FOUND', path: ['r1'], message: "Could not resolve to a Repository with the name 'cncf/gone'." }),
    ]);
  });

  it('follows renames and reports the new nameWithOwner and the same databaseId', async () => {
    const res = await graphql<Gql<Record<string, RepoData>>>(sim, `{
      old: repository(owner: "cncf", name: "old-name") { nameWithOwner databaseId }
      cur: repository(owner: "cncf-new", name: "new-name") { nameWithOwner databaseId } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.old?.nameWithOwner).toBe('cncf-new/new-name');
    expect(res.body.data?.old?.databaseId).toBe(res.body.data?.cur?.databaseId);
  });

  it('nulls a DMCA-blocked repo with an error', async () => {
    const res = await graphql<Gql<Record<string, RepoData | null>>>(sim, '{ b: repository(owner: "cncf", name: "dmca") { nameWithOwner } }');
    expect(res.body.data?.b).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({ path: ['b'], message: 'Repository access blocked' });
  });

  it('answers malformed queries with validation errors and HTTP 200', async () => {
    const res = await graphql<Gql<unknown>>(sim, '{ repository(owner: "org0", name: "repo0") { starCount } }');
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.message).toMatch(/Cannot query field "starCount" on type "Repository"/);
  });
});

describe('query cost', () => {
  // N connections per repo, each a top-level connection (one request each): 100 × N requests.
  const batch = (connections: number) => REPOS.map((r, i) => {
    const [owner, name] = r.split('/');
    const conns = ['releases(first: 10) { totalCount }', 'forks(first: 5) { totalCount }', 'issues(states: OPEN) { totalCount }', 'pullRequests(states: OPEN) { totalCount }'].slice(0, connections);
    return `r${i}: repository(owner: "${owner}", name: "${name}") { stargazerCount ${conns.join(' ')} }`;
  }).join('\n');

  it.each([0, 1, 2, 3, 4])('prices a 100-repo batch with %i connections each at max(1, round(100·N/100))', async (n) => {
    const res = await graphql<Gql<{ rateLimit: { cost: number; remaining: number; used: number } }>>(sim, `{ rateLimit { cost remaining used } ${batch(n)} }`, undefined, `cost-${n}`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.rateLimit.cost).toBe(Math.max(1, n));
    expect(res.body.data?.rateLimit.used).toBe(Math.max(1, n));
    expect(res.headers.get('x-ratelimit-used')).toBe(String(Math.max(1, n)));
  });

  it('multiplies nested connections by the first/last of their parents (GitHub doc example shape)', async () => {
    // 49 repos × forks(first: 100) { nodes { releases(first: 100) } }: each forks is 1 request,
    // each releases under it 100 → 49 × 101 = 4,949 requests → round(49.49) = 49 points.
    const q = REPOS.slice(0, 49).map((r, i) => {
      const [o, n] = r.split('/');
      return `r${i}: repository(owner: "${o}", name: "${n}") { forks(first: 100) { nodes { releases(first: 100) { totalCount } } } }`;
    }).join('\n');
    const res = await graphql<Gql<{ rateLimit: { cost: number; nodeCount: number } }>>(sim, `{ rateLimit(dryRun: true) { cost nodeCount } ${q} }`, undefined, 'nested');
    expect(res.body.data?.rateLimit.cost).toBe(49);
    expect(res.body.data?.rateLimit.nodeCount).toBe(49 * (100 + 100 * 100));
    expect(sim.stats.snapshot().byUser['nested']?.graphqlPoints ?? 0).toBe(0);
  });

  it('refuses first > 100 and queries over 500,000 nodes the way GitHub words it', async () => {
    const big = await graphql<Gql<unknown>>(sim, '{ repository(owner: "org0", name: "repo0") { releases(first: 101) { totalCount } } }');
    expect(big.body.errors?.[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION', message: 'Requesting 101 records on the `releases` connection exceeds the `first` limit of 100 records.' });
    const missing = await graphql<Gql<unknown>>(sim, '{ repository(owner: "org0", name: "repo0") { releases { nodes { tagName } } } }');
    expect(missing.body.errors?.[0]?.type).toBe('MISSING_PAGINATION_BOUNDARIES');
    const q = REPOS.slice(0, 60).map((r, i) => {
      const [o, n] = r.split('/');
      return `r${i}: repository(owner: "${o}", name: "${n}") { forks(first: 100) { nodes { releases(first: 100) { totalCount } } } }`;
    }).join('\n');
    const tooMany = await graphql<Gql<unknown>>(sim, `{ ${q} }`);
    expect(tooMany.body.data).toBeUndefined();
    expect(tooMany.body.errors?.[0]?.type).toBe('MAX_NODE_LIMIT_EXCEEDED');
    expect(tooMany.body.errors?.[0]?.message).toMatch(/^By the time this query traverses to the releases connection, it is requesting up to 505,000 possible nodes which exceeds the maximum limit of 500,000\.$/);
  });
});

describe('lists', () => {
  it('pages releases newest first with cursors, and marks exactly one as latest', async () => {
    sim.state.setRepo('org1/repo1', { releases: { atAnchor: 80 } });
    const [owner, repo] = ['org1', 'repo1'];
    const q = `query($after: String) { repository(owner: "${owner}", name: "${repo}") { releases(first: 20, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      totalCount pageInfo { hasNextPage endCursor } nodes { tagName createdAt isLatest } } } }`;
    type Page = Gql<{ repository: { releases: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ tagName: string; createdAt: string; isLatest: boolean }> } } }>;
    const first = await graphql<Page>(sim, q);
    const page1 = first.body.data?.repository.releases;
    expect(page1?.pageInfo.hasNextPage).toBe(true);
    const second = await graphql<Page>(sim, q, { after: page1?.pageInfo.endCursor });
    const all = [...(page1?.nodes ?? []), ...(second.body.data?.repository.releases.nodes ?? [])];
    expect(all).toHaveLength(40);
    expect(new Set(all.map((r) => r.tagName)).size).toBe(40);
    const dates = all.map((r) => Date.parse(r.createdAt));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(all.filter((r) => r.isLatest).length).toBeLessThanOrEqual(1);
  });

  it('refuses the stargazer list to non-collaborators but keeps totalCount public', async () => {
    const res = await graphql<Gql<{ repository: { stargazerCount: number; stargazers: { totalCount: number } | null } }>>(sim, `{
      repository(owner: "org0", name: "repo0") { stargazerCount stargazers(first: 10, orderBy: {field: STARRED_AT, direction: DESC}) { totalCount edges { starredAt } } } }`);
    expect(res.body.data?.repository.stargazers).toBeNull();
    expect(res.body.data?.repository.stargazerCount).toBeGreaterThan(0);
    expect(res.body.errors?.[0]).toMatchObject({ type: 'FORBIDDEN', path: ['repository', 'stargazers'] });
    const count = await graphql<Gql<{ repository: { stargazers: { totalCount: number } } }>>(sim, '{ repository(owner: "org0", name: "repo0") { stargazers { totalCount } } }');
    expect(count.body.data?.repository.stargazers.totalCount).toBe(res.body.data?.repository.stargazerCount);
  });
});
