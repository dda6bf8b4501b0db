import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../src/github/index.js';
import { makeClient, rateHeaders } from '../helpers/github-fakes.js';

const API = 'https://api.github.com';
const ROUTE = 'GET /repos/{owner}/{repo}';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('primary budget spent by someone else', () => {
  it('a 403 with remaining 0 makes the client wait for the reset, then retry', async () => {
    const { client, clock } = makeClient();
    const resetAt = (Math.floor(clock.now() / 1000) + 300) * 1000;
    let retriedAt = 0;
    const scope = nock(API)
      .get('/repos/o/r')
      .reply(403, { message: 'API rate limit exceeded for user ID 1.' }, rateHeaders({ now: clock.now(), remaining: 0, resetIn: 300 }))
      .get('/repos/o/r')
      .reply(() => {
        retriedAt = clock.now();
        return [200, { ok: true }, rateHeaders({ now: clock.now(), remaining: 4999, resetIn: 3600 })];
      });

    const res = await client.rest<{ ok: boolean }>(ROUTE, { owner: 'o', repo: 'r' });

    expect(res.data?.ok).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(retriedAt).toBeGreaterThanOrEqual(resetAt);
    expect(client.budget().spend.rateLimitWaits).toBe(1);
  });

  it('a GraphQL RATE_LIMITED answer moves the query to a token with budget', async () => {
    const { client, clock } = makeClient({ tokens: ['tok-a', 'tok-b'] });
    const a = nock(API, { reqheaders: { authorization: 'token tok-a' } })
      .post('/graphql')
      .reply(
        200,
        { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] },
        rateHeaders({ now: clock.now(), remaining: 0, resetIn: 900, resource: 'graphql' }),
      );
    const b = nock(API, { reqheaders: { authorization: 'token tok-b' } })
      .post('/graphql')
      .reply(200, { data: { x: 1 } }, rateHeaders({ now: clock.now(), remaining: 4000, resource: 'graphql' }));

    const res = await client.graphql<{ x: number }>('query { x }');

    expect(res.data.x).toBe(1);
    expect(a.isDone() && b.isDone()).toBe(true);
    expect(client.budget().tokens[0]?.graphql?.remaining).toBe(0);
  });

  it('with one unit left and concurrent requests, sends only one before the reset', async () => {
    const { client, clock } = makeClient({ concurrency: 2 });
    const start = clock.now();
    const sentAt: number[] = [];
    const reply = (remaining: number) => () => {
      sentAt.push(clock.now());
      return [200, {}, rateHeaders({ now: start, remaining, resetIn: remaining === 0 ? 60 : 3600 })] as [number, object, Record<string, string>];
    };
    const scope = nock(API)
      .get('/repos/o/warm')
      .reply(200, {}, rateHeaders({ now: start, remaining: 1, resetIn: 60 }))
      .get(/\/repos\/o\/r\d/)
      .reply(reply(0))
      .get(/\/repos\/o\/r\d/)
      .reply(reply(4999));

    await client.rest(ROUTE, { owner: 'o', repo: 'warm' });
    await Promise.all([client.rest(ROUTE, { owner: 'o', repo: 'r1' }), client.rest(ROUTE, { owner: 'o', repo: 'r2' })]);

    expect(scope.isDone()).toBe(true);
    expect(sentAt[0]).toBe(start);
    expect(sentAt[1]).toBeGreaterThanOrEqual(start + 60_000);
  });
});

describe('budget share on GraphQL', () => {
  it('refuses a query once the share of points is spent', async () => {
    const { client, clock } = makeClient({ budgetShare: 0.25 });
    const scope = nock(API)
      .post('/graphql')
      .reply(200, { data: { rateLimit: { cost: 3 } } }, rateHeaders({ now: clock.now(), limit: 100, remaining: 75, used: 25, resource: 'graphql' }));
    const beyond = nock(API).post('/graphql').reply(200, { data: {} });

    const first = await client.graphql('query { rateLimit { cost } }');
    expect(first.cost).toBe(3);
    expect(client.remainingShare('graphql')).toBe(0);
    const err = await client.graphql('query { x }').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect((err as BudgetExhaustedError).resource).toBe('graphql');
    expect(scope.isDone()).toBe(true);
    expect(beyond.isDone()).toBe(false);
    expect(client.budget().spend.graphqlPoints).toBe(3);
  });

  it('counts two tokens that report the very same window once (one user, one budget)', async () => {
    const { client, clock } = makeClient({ tokens: ['tok-a', 'tok-b'] });
    const same = rateHeaders({ now: clock.now(), remaining: 1000, limit: 5000 });
    nock(API, { reqheaders: { authorization: 'token tok-a' } }).get('/repos/o/one').reply(200, {}, same);
    nock(API, { reqheaders: { authorization: 'token tok-b' } }).get('/repos/o/two').reply(200, {}, same);
    await client.rest(ROUTE, { owner: 'o', repo: 'one' });
    await client.rest(ROUTE, { owner: 'o', repo: 'two' });
    expect(client.remainingShare('core')).toBe(1000);
  });
});
