import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubAuthError, GitHubGraphqlError, GraphqlTooLargeError, graphqlUrlFor } from '../../src/github/index.js';
import { makeClient, rateHeaders } from '../helpers/github-fakes.js';

const API = 'https://api.github.com';
const QUERY = 'query { a: repository(owner: "o", name: "a") { stargazerCount } b: repository(owner: "o", name: "gone") { stargazerCount } }';
const TIMEOUT_MESSAGE =
  'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `0400:3A3B:1A2B3C` when reporting this issue.';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('graphql', () => {
  it('returns the other aliases\' data when one is NOT_FOUND, with the errors, cost and server date', async () => {
    const { client, clock } = makeClient();
    const scope = nock(API, { reqheaders: { authorization: 'token tok-a' } })
      .post('/graphql', (body: { query?: string; variables?: Record<string, unknown> }) => body.query === QUERY && body.variables?.['n'] === 2)
      .reply(
        200,
        {
          data: { a: { stargazerCount: 42 }, b: null, rateLimit: { cost: 1, remaining: 4990 } },
          errors: [{ type: 'NOT_FOUND', path: ['b'], message: "Could not resolve to a Repository with the name 'o/gone'." }],
        },
        { date: 'Sat, 28 Nov 2026 10:00:03 GMT', ...rateHeaders({ now: clock.now(), remaining: 4990, resource: 'graphql' }) },
      );

    const res = await client.graphql<{ a: { stargazerCount: number } | null; b: null }>(QUERY, { n: 2 });

    expect(scope.isDone()).toBe(true);
    expect(res.data.a?.stargazerCount).toBe(42);
    expect(res.data.b).toBeNull();
    expect(res.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['b'] })]);
    expect(res).toMatchObject({ status: 200, cost: 1 });
    expect(res.servedAt?.toISOString()).toBe('2026-11-28T10:00:03.000Z');
    expect(client.budget().tokens[0]?.graphql?.remaining).toBe(4990);
    expect(client.budget().spend).toMatchObject({ graphqlRequests: 1, graphqlPoints: 1 });
  });

  it('takes the cost from the growth of x-ratelimit-used when the query does not ask for it', async () => {
    const { client, clock } = makeClient();
    nock(API)
      .post('/graphql')
      .reply(200, { data: { x: 1 } }, rateHeaders({ now: clock.now(), remaining: 4990, used: 10, resource: 'graphql' }))
      .post('/graphql')
      .reply(200, { data: { x: 2 } }, rateHeaders({ now: clock.now(), remaining: 4986, used: 14, resource: 'graphql' }));
    await client.graphql('query { x }');
    const second = await client.graphql('query { x }');
    expect(second.cost).toBe(4);
  });

  it('retries a query GitHub cut off (502), then throws GraphqlTooLargeError so the caller can shrink it', async () => {
    const { client } = makeClient({ retries: 2 });
    let calls = 0;
    nock(API)
      .post('/graphql')
      .reply(() => {
        calls++;
        return [502, { data: null, errors: [{ message: TIMEOUT_MESSAGE }] }];
      })
      .persist();
    const err = await client.graphql(QUERY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphqlTooLargeError);
    expect((err as GraphqlTooLargeError).code).toBe('GITHUB_QUERY_TOO_LARGE');
    expect(calls).toBe(3);
  });

  it('treats a 200 "Something went wrong" answer the same way', async () => {
    const { client } = makeClient({ retries: 1 });
    const scope = nock(API).post('/graphql').times(2).reply(200, { data: null, errors: [{ message: TIMEOUT_MESSAGE }] });
    await expect(client.graphql(QUERY)).rejects.toBeInstanceOf(GraphqlTooLargeError);
    expect(scope.isDone()).toBe(true);
  });

  it('does not retry MAX_NODE_LIMIT_EXCEEDED, and reports it as too large', async () => {
    const { client } = makeClient();
    let calls = 0;
    nock(API)
      .post('/graphql')
      .reply(() => {
        calls++;
        return [200, { errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: 'This query requests up to 1,010,000 possible nodes which exceeds the maximum limit of 500,000.' }] }];
      })
      .persist();
    const err = await client.graphql(QUERY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphqlTooLargeError);
    expect((err as GraphqlTooLargeError).errors[0]?.type).toBe('MAX_NODE_LIMIT_EXCEEDED');
    expect(calls).toBe(1);
  });

  it('reports a query that failed as a whole (no data) as GitHubGraphqlError', async () => {
    const { client } = makeClient();
    nock(API)
      .post('/graphql')
      .reply(200, { errors: [{ message: "Field 'nope' doesn't exist on type 'Query'", extensions: { code: 'undefinedField' } }] });
    await expect(client.graphql('query { nope }')).rejects.toBeInstanceOf(GitHubGraphqlError);
  });

  it('spaces queries at least a second apart on the injected clock', async () => {
    const { client, clock } = makeClient();
    const sentAt: number[] = [];
    nock(API)
      .post('/graphql')
      .times(3)
      .reply(() => {
        sentAt.push(clock.now());
        return [200, { data: { x: 1 } }];
      });
    // The simulated clock only moves when the client sleeps: back-to-back queries must wait for it.
    for (let i = 0; i < 3; i++) await client.graphql('query { x }');
    expect(sentAt).toHaveLength(3);
    expect((sentAt[1] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((sentAt[2] ?? 0) - (sentAt[1] ?? 0)).toBeGreaterThanOrEqual(1000);
  });
});

describe('GitHub Enterprise Server and other bases', () => {
  it('posts GraphQL to /api/graphql when the base ends in /api/v3, and REST under /api/v3', async () => {
    const { client } = makeClient({ apiUrl: 'https://ghe.example.com/api/v3' });
    const scope = nock('https://ghe.example.com')
      .post('/api/graphql')
      .reply(200, { data: { viewer: { login: 'me' } } })
      .get('/api/v3/repos/o/r')
      .reply(200, { full_name: 'o/r' });
    const res = await client.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    expect(res.data.viewer.login).toBe('me');
    expect(scope.isDone()).toBe(true);
  });

  it('derives the GraphQL URL like Octokit', () => {
    expect(graphqlUrlFor('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrlFor('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/graphql');
    expect(graphqlUrlFor('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/graphql');
  });

  it('talks to a local simulator at http://127.0.0.1:PORT', async () => {
    const { client } = makeClient({ apiUrl: 'http://127.0.0.1:8787/' });
    const scope = nock('http://127.0.0.1:8787').post('/graphql').reply(200, { data: { ok: true } }).get('/rate_limit').reply(200, { resources: {} });
    await client.graphql('query { ok }');
    await client.refreshBudget();
    expect(scope.isDone()).toBe(true);
  });
});

describe('without a token', () => {
  it('warns once, sends REST without Authorization, and refuses GraphQL without a request', async () => {
    const { client, log } = makeClient({ tokens: [] });
    const scope = nock(API, { badheaders: ['authorization'] })
      .get('/repos/o/r')
      .times(2)
      .reply(200, {}, { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': '1795845600', 'x-ratelimit-resource': 'core' });
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    await client.rest('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    await expect(client.graphql('query { x }')).rejects.toBeInstanceOf(GitHubAuthError);
    expect(scope.isDone()).toBe(true);
    expect(log.lines().filter((l) => String(l['msg']).includes('no GitHub token'))).toHaveLength(1);
    expect(client.budget().tokens[0]).toMatchObject({ label: 'unauthenticated', core: { limit: 60 } });
  });
});
